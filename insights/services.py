"""Writes for Insights: weekly snapshots, recomputed idempotently and revised with history."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from functools import partial

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from caseload.models import Visit
from insights import formulas
from insights.export import services as commons
from insights.models import (
    ClientAnswer,
    PulseSubmission,
    PulseTally,
    SnapshotRevision,
    WeeklySnapshot,
)
from insights.pvi import PULSE_KEYS, Agreement, ClientRating
from insights.selectors import data_version_key, team_week
from teams.models import Team, User

COMMENT_LIMIT = 1000


class WeekNotClosed(ValueError):
    """The week is still running: its figures are computed on demand, not stored."""


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


QUEUED_SECONDS = 600  # how long an enqueued snapshot keeps this process from enqueueing it again


def _queued_key(team_id: int, week: str, revise_only: bool) -> str:
    return f"insights:queued:{team_id}:{week}:{'revise' if revise_only else 'store'}"


@task()
def snapshot_week(team_id: int, week: str, revise_only: bool = False) -> int | None:
    """Store a closed week's snapshot in the task worker, or with ``revise_only`` recompute it
    only if it is stored already; answer the revision (None: nothing stored, nothing to do).

    Idempotent (``snapshot_save``), so a task enqueued twice costs a recomputation, never a
    wrong figure or a spurious revision.
    """
    cache.delete(_queued_key(team_id, week, revise_only))  # later changes enqueue afresh
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        return None
    if revise_only and not WeeklySnapshot.objects.for_team(team).filter(week=week).exists():
        return None
    snapshot = snapshot_save(team=team, week=week)
    commons.snapshot_saved(snapshot=snapshot)
    return snapshot.revision


def snapshot_enqueue(*, team_id: int, week: str, revise_only: bool = False) -> None:
    """Ask the worker for a week's snapshot, once per ``QUEUED_SECONDS`` in this process."""
    if cache.add(_queued_key(team_id, week, revise_only), True, QUEUED_SECONDS):
        snapshot_week.enqueue(team_id=team_id, week=week, revise_only=revise_only)


def week_close_noticed(*, team: Team, stored: frozenset[str], today: date) -> None:
    """Enqueue the snapshot of the week that closed last, unless ``stored`` already holds it.

    Patch's task worker (django-tasks' ``db_worker``) has no clock: it runs what is enqueued
    and nothing else. So the close of a week is noticed by the first Insights page read after
    Monday 00:00 in the teams' time zone (the page reads the stored weeks anyway, so noticing
    costs nothing), and ``manage.py insights_snapshot`` run from cron does the same for teams
    that nobody looks at. Weeks before the team existed are never stored.
    """
    week = formulas.iso_week(today - formulas.ONE_WEEK)
    _monday, sunday = formulas.week_days(week)
    if week not in stored and timezone.localdate(team.created_at) <= sunday:
        transaction.on_commit(partial(snapshot_enqueue, team_id=team.pk, week=week))


def figures_changed(*, team_id: int, day: date | None = None, today: date | None = None) -> None:
    """Note that one of a team's figures changed; everything happens once the change commits.

    The team's data version moves on, so no page reads the running week's figures from before
    the change (``selectors.fresh_week``); and a record dated ``day`` in a closed week (a late
    visit, time entry or client's answer) has that week's snapshot recomputed by a task, which
    keeps the figures it replaces as a revision.
    """
    # Now, so this transaction reads its own change; and again after commit, since another
    # request may have cached the figures from before it in between.
    _version_bump(team_id)
    transaction.on_commit(partial(_version_bump, team_id))
    today = today or timezone.localdate()
    if day is not None and day < today - timedelta(days=today.weekday()):
        week = formulas.iso_week(day)
        transaction.on_commit(
            partial(snapshot_enqueue, team_id=team_id, week=week, revise_only=True)
        )


def _version_bump(team_id: int) -> None:
    # A new random version rather than a counter: a counter evicted and restarted could
    # meet a cached week stored under its old number.
    cache.set(data_version_key(team_id), uuid.uuid4().hex, None)


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
        figures_changed(team_id=team.pk, today=timezone.localdate(now))


def client_answer_save(
    *, visit: Visit, rating: str, comment: str, channel: str, now: datetime | None = None
) -> ClientAnswer:
    """Keep a client's answer about a visit; a second answer for the same visit is refused."""
    if rating not in ClientRating.values:
        raise ValueError("Choose one of the answers.")
    try:
        with transaction.atomic():
            answer = ClientAnswer.objects.create(
                team_id=visit.team_id,
                visit=visit,
                week=formulas.iso_week(visit.date),
                rating=rating,
                comment=comment.strip()[:COMMENT_LIMIT],
                channel=channel,
                answered_at=now or timezone.now(),
            )
            figures_changed(team_id=visit.team_id, day=visit.date, today=timezone.localdate(now))
            return answer
    except IntegrityError:
        raise AlreadyAnswered("This visit has already been answered. Thank you.") from None
