from __future__ import annotations

from django.db import models
from django.utils import timezone

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
