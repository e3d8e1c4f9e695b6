"""Reads for the commons export: the team's enrolment, the snapshots a payload is built
from, and what has been sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from disclosure.control import Published
from insights import formulas
from insights.export import payload
from insights.models import CommonsEnrolment, Sending, WeeklySnapshot
from insights.selectors import last_closed_week
from teams.models import Team

REVISION_WEEKS = 4  # nothing older than the last four closed weeks leaves, nor is revised


def enrolment(*, team: Team) -> CommonsEnrolment:
    """The team's enrolment, or an unsaved one (not joined) when it never joined."""
    return CommonsEnrolment.objects.filter(team=team).first() or CommonsEnrolment(team=team)


def recent_weeks(*, now: datetime | None = None) -> list[str]:
    """The closed weeks that may still be sent or revised, newest first."""
    # Imported here: insights.services calls this package's hook after each snapshot.

    last_monday, _ = formulas.week_days(last_closed_week(now=now))
    return [formulas.iso_week(last_monday - timedelta(weeks=n)) for n in range(REVISION_WEEKS)]


@dataclass(frozen=True)
class Preview:
    """One week as it would leave: the payload, and the cells before and after protection."""

    week: str
    payload: dict[str, Any]
    published: list[Published]
    cells: payload.TeamWeekCells
    problems: list[str]  # rules the output breaks (disclosure.check) or schema errors


def preview(*, team: Team, week: str, enrolment: CommonsEnrolment, revision: int) -> Preview | None:
    """Build the week's payload from its snapshot (and the pooled weeks'), or None without one.

    One query: the week's snapshot and the ones before it in the pooling window.
    """
    start, _end = formulas.week_days(week)
    rows = list(
        WeeklySnapshot.objects.for_team(team)
        .filter(start__lte=start, start__gt=start - payload.POOL_WEEKS * formulas.ONE_WEEK)
        .order_by("-start")
        .values_list("week", "figures")
    )
    if not rows or rows[0][0] != week:
        return None
    cells = payload.week_cells(rows[0][1], [figures for _, figures in rows[1:]])
    published, problems = payload.protect(cells)
    built = payload.build(
        week=week,
        org_unit=enrolment.org_unit,
        region=enrolment.region,
        service_type=enrolment.service_type,
        revision=revision,
        staff=cells.staff,
        published=published,
    )
    return Preview(week=week, payload=built, published=published, cells=cells, problems=problems)


def latest_sending(*, team: Team, week: str) -> Sending | None:
    return Sending.objects.for_team(team).filter(week=week).order_by("-revision").first()


def sendings(*, team: Team, limit: int = 20) -> list[Sending]:
    """The team's latest sendings, newest week and revision first."""
    return list(
        Sending.objects.for_team(team)
        .defer("payload", "response")
        .order_by("-week", "-revision")[:limit]
    )
