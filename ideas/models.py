"""Ideas the team decides by consent, tries, measures and keeps or drops (docs/ideas.md)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ideas import rules
from teams.models import TeamOwned

TITLE_MAX = 120
TEXT_MAX = 4000


class Status(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ROUND = "round", _("In a consent round")
    TRIAL = "trial", _("On trial")
    ADOPTED = "adopted", _("Adopted")
    DROPPED = "dropped", _("Dropped")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Idea(TeamOwned):
    """A proposal: its current text is the latest version; each round keeps the one it asked."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="ideas")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    problem = models.TextField(_("problem"), max_length=TEXT_MAX)
    proposal = models.TextField(_("proposal"), max_length=TEXT_MAX)
    benefit = models.TextField(_("expected benefit"), max_length=TEXT_MAX)
    metric = models.CharField(
        _("metric it should move"), max_length=40, blank=True
    )  # a key of insights.metrics, checked by the service
    provenance = models.CharField(max_length=300, blank=True)
    practice = models.CharField(max_length=20, blank=True)  # its public id once shared to the hub
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    version = models.PositiveIntegerField(default=1)  # the proposal's text version
    outcome = models.TextField(_("outcome statement"), max_length=TEXT_MAX, blank=True)
    trial_started_on = models.DateField(null=True, blank=True)
    trial_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    review_due = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at"]
        indexes = [models.Index(fields=["team", "status"], name="idea_team_status")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ideas:idea", kwargs={"team_slug": self.team.slug, "idea_id": self.pk})


class Outcome(models.TextChoices):
    CONSENT = rules.CONSENT, _("Consent: the team tries it")
    OBJECTION = rules.OBJECTION, _("Objection: to be amended and asked again")


class CloseReason(models.TextChoices):
    TIME = rules.TIME, _("its closing time came")
    EVERYONE = rules.EVERYONE, _("everyone had answered")


class ConsentRound(TeamOwned):
    """One round of consent on a frozen version of the proposal.

    The text asked is copied here, so amending the idea never changes what was answered.
    ``closed_at`` is recorded by the first write (or the task) after the round is due; until
    then readers compute the same close from ``closes_at`` and the answers.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="+")
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    proposal_version = models.PositiveIntegerField()
    title = models.CharField(max_length=TITLE_MAX)
    problem = models.TextField(max_length=TEXT_MAX)
    proposal = models.TextField(max_length=TEXT_MAX)
    benefit = models.TextField(max_length=TEXT_MAX)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    trial_weeks = models.PositiveSmallIntegerField()
    opened_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=10, choices=CloseReason.choices, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ["idea", "number"]
        constraints = [
            models.UniqueConstraint(fields=["idea", "number"], name="round_number_once"),
            models.UniqueConstraint(
                fields=["idea"],
                condition=models.Q(closed_at__isnull=True),
                name="round_one_open_per_idea",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.idea} round {self.number}"


class AnswerKind(models.TextChoices):
    CONSENT = rules.CONSENT, _("Consent")
    CONCERN = rules.CONCERN, _("Concern")
    OBJECTION = rules.OBJECTION, _("Objection")


class Answer(TeamOwned):
    """A member's answer in a round; changed in place until the round closes.

    An answer that arrives after the close is kept as a late answer (``late``): shown, never
    counted.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(ConsentRound, on_delete=models.CASCADE, related_name="answers")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=AnswerKind.choices)
    text = models.TextField(max_length=TEXT_MAX, blank=True)
    late = models.BooleanField(default=False)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["answered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "member"],
                condition=models.Q(late=False),
                name="answer_once_per_member_round",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.kind}"


class Comment(TeamOwned):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="+")
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=TEXT_MAX)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.author} on {self.idea}"


class Decision(models.TextChoices):
    KEEP = "keep", _("Keep it")
    CHANGE = "change", _("Change it")
    DROP = "drop", _("Drop it")


class Review(TeamOwned):
    """The team's answer, at the end of a trial, to "keep, change or drop?"."""

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="+")
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="reviews")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=8, choices=Decision.choices)
    note = models.TextField(max_length=TEXT_MAX, blank=True)
    reviewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["reviewed_at"]

    def __str__(self) -> str:
        return f"{self.idea}: {self.decision}"
