from __future__ import annotations

from django.db import models
from django.utils import timezone

from teams.models import Team, TeamScopedQuerySet


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
