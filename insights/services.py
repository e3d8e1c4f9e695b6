"""Writes for Insights: weekly snapshots, recomputed idempotently and revised with history."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from insights import formulas
from insights.models import SnapshotRevision, WeeklySnapshot
from insights.selectors import team_week
from teams.models import Team


class WeekNotClosed(ValueError):
    """The week is still running: its figures are computed on demand, not stored."""


def last_closed_week(*, now: datetime | None = None) -> str:
    """The ISO week before the one that contains today (in the teams' time zone)."""
    today = timezone.localdate(now or timezone.now())
    return formulas.iso_week(today - timedelta(days=7))


def snapshot_save(*, team: Team, week: str, now: datetime | None = None) -> WeeklySnapshot:
    """Store (or revise) a closed week's figures; recomputing unchanged figures changes nothing.

    Locks the existing snapshot row, so two recomputations of one week cannot both revise it.
    """
    now = now or timezone.now()
    start, end = formulas.week_days(week)
    if end >= timezone.localdate(now):
        raise WeekNotClosed(f"{week} has not finished yet.")
    figures = team_week(team=team, week=week).figures()
    with transaction.atomic():
        snapshot = (
            WeeklySnapshot.objects.for_team(team).select_for_update().filter(week=week).first()
        )
        if snapshot is None:
            return WeeklySnapshot.objects.create(
                team=team, week=week, start=start, figures=figures, computed_at=now
            )
        if snapshot.figures == figures:
            return snapshot
        SnapshotRevision.objects.create(
            team=team,
            snapshot=snapshot,
            revision=snapshot.revision,
            figures=snapshot.figures,
            changed=sorted(k for k in figures if figures[k] != snapshot.figures.get(k)),
            replaced_at=now,
        )
        snapshot.figures, snapshot.computed_at = figures, now
        snapshot.revision += 1
        snapshot.save(update_fields=["figures", "computed_at", "revision"])
        return snapshot
