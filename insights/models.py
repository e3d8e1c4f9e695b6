from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from insights.pvi import Agreement, ClientRating
from teams.models import Team, TeamScopedQuerySet, User


class WeeklySnapshot(models.Model):
    """A closed ISO week's figures for one team, as the pages and the commons read them.

    Recomputing is idempotent; when late records change a figure, the figures before are kept
    as a ``SnapshotRevision``, so a published number can always be traced.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    week = models.CharField(max_length=8)  # ISO week, e.g. 2026W48
    start = models.DateField()  # its Monday, for ordering and ranges
    figures = models.JSONField()
    revision = models.PositiveIntegerField(default=1)
    computed_at = models.DateTimeField(default=timezone.now)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.UniqueConstraint(fields=["team", "week"], name="snapshot_once_per_team_week"),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.week} r{self.revision}"


class SnapshotRevision(models.Model):
    """The figures a snapshot held before a recomputation changed them."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    snapshot = models.ForeignKey(WeeklySnapshot, on_delete=models.CASCADE, related_name="revisions")
    revision = models.PositiveIntegerField()
    figures = models.JSONField()
    changed = models.JSONField(default=list)  # the top-level figures that differ
    replaced_at = models.DateTimeField(default=timezone.now)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["snapshot", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "revision"], name="snapshot_revision_once"),
        ]

    def __str__(self) -> str:
        return f"{self.snapshot.week} r{self.revision}"


class PulseSubmission(models.Model):
    """That a member answered a week's pulse, never what: answers go to ``PulseTally``."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    week = models.CharField(max_length=8)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team", "member", "week"], name="pulse_once_per_member_week"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.week}"


class PulseTally(models.Model):
    """How many members gave one answer to one pulse item in one week.

    Counts only, with no row per person and no time, so no answer can be traced to whoever
    gave it, even by someone reading the database.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    week = models.CharField(max_length=8)
    item = models.CharField(max_length=30)
    value = models.PositiveSmallIntegerField(choices=Agreement.choices)
    count = models.PositiveIntegerField(default=0)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team", "week", "item", "value"], name="pulse_tally_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.week} {self.item}={self.value}: {self.count}"


class ClientAnswerChannel(models.TextChoices):
    TABLET = "tablet", "On the nurse's tablet"
    LINK = "link", "Through the link on the day sheet"


class ClientAnswer(models.Model):
    """A client's (or relative's) answer about one visit; at most one per visit."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    visit = models.OneToOneField("caseload.Visit", on_delete=models.PROTECT, related_name="+")
    week = models.CharField(max_length=8)  # the visit's ISO week
    rating = models.CharField(max_length=10, choices=ClientRating.choices)
    comment = models.TextField(blank=True)  # stays inside the team
    channel = models.CharField(max_length=10, choices=ClientAnswerChannel.choices)
    answered_at = models.DateTimeField(default=timezone.now)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["team", "week"])]

    def __str__(self) -> str:
        return f"{self.week} {self.rating}"


# --- The commons export (insights/export/): what leaves a team, and its record -------------


class CommonsEnrolment(models.Model):
    """A team's place in the commons: its choice to join, and what the hub issued it.

    ``joined`` is the team's own decision (off until the team joins; leaving clears it at
    once). The key signs every sending; it is never shown again, logged or put in a page, so
    ``__str__`` and ``__repr__`` leave it out.
    """

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="+")
    joined = models.BooleanField(default=False)
    hub_url = models.CharField(max_length=300, blank=True)  # the hub that issued the key
    org_unit = models.CharField(max_length=40, blank=True)  # the hub's opaque team reference
    key = models.CharField(max_length=200, blank=True, editable=False)
    region = models.CharField(max_length=12, blank=True)
    service_type = models.CharField(max_length=30, blank=True)
    enrolled_at = models.DateTimeField(null=True, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)

    objects = TeamScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.team_id} {'joined' if self.joined else 'not joined'} {self.org_unit}"

    def __repr__(self) -> str:
        return f"<CommonsEnrolment team={self.team_id} joined={self.joined}>"

    @property
    def can_send(self) -> bool:
        return self.joined and bool(self.key and self.org_unit)


class SendingStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Sending(models.Model):
    """One revision of one team-week's payload, recorded before it goes and kept as sent.

    A failure with ``next_attempt_at`` set will be tried again then; without it, it will not.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    week = models.CharField(max_length=8)
    revision = models.PositiveIntegerField()
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=SendingStatus.choices, default=SendingStatus.WAITING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)  # in plain words
    response = models.JSONField(default=dict, blank=True)  # the hub's import summary
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-week", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "week", "revision"], name="sending_once_per_revision"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.week} r{self.revision} {self.status}"
