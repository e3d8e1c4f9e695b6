"""Writes for Insights: weekly snapshots, recomputed idempotently and revised with history."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from caseload.models import Visit
from insights import formulas
from insights.models import (
    ClientAnswer,
    PulseSubmission,
    PulseTally,
    SnapshotRevision,
    WeeklySnapshot,
)
from insights.pvi import PULSE_KEYS, Agreement, ClientRating
from insights.selectors import team_week
from teams.models import Team, User

COMMENT_LIMIT = 1000


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


class AlreadyAnswered(ValueError):
    """This pulse week, or this visit, already has its answer."""


def pulse_answer(
    *, team: Team, member: User, answers: dict[str, int], now: datetime | None = None
) -> None:
    """Count a member's pulse for the current week: once per member and week, every item.

    The submission row only says that the member answered; the answers are added to the
    week's tallies, so nothing stored ties an answer to a person.
    """
    week = formulas.iso_week(timezone.localdate(now or timezone.now()))
    if set(answers) != set(PULSE_KEYS) or any(v not in Agreement.values for v in answers.values()):
        raise ValueError("Answer every statement, from 1 to 5.")
    with transaction.atomic():
        _, created = PulseSubmission.objects.get_or_create(team=team, member=member, week=week)
        if not created:
            raise AlreadyAnswered("You have already answered this week's questions.")
        for item, value in answers.items():
            tally, _ = PulseTally.objects.select_for_update().get_or_create(
                team=team, week=week, item=item, value=value
            )
            PulseTally.objects.filter(pk=tally.pk).update(count=F("count") + 1)


def client_answer_save(
    *, visit: Visit, rating: str, comment: str, channel: str, now: datetime | None = None
) -> ClientAnswer:
    """Keep a client's answer about a visit; a second answer for the same visit is refused."""
    if rating not in ClientRating.values:
        raise ValueError("Choose one of the answers.")
    try:
        with transaction.atomic():
            return ClientAnswer.objects.create(
                team_id=visit.team_id,
                visit=visit,
                week=formulas.iso_week(visit.date),
                rating=rating,
                comment=comment.strip()[:COMMENT_LIMIT],
                channel=channel,
                answered_at=now or timezone.now(),
            )
    except IntegrityError:
        raise AlreadyAnswered("This visit has already been answered. Thank you.") from None
