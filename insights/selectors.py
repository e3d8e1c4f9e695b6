"""Reads for Insights: the other apps' selectors in, the pure formulas' figures out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from caseload import selectors as caseload
from insights import formulas
from rota.selectors import hours
from teams.models import Team


@dataclass(frozen=True)
class TeamWeek:
    """One ISO week of a team: the team's time breakdown, each member's, and visit counts."""

    week: str
    start: date
    end: date
    source: str  # hours.ROTA or hours.CONTRACTS: where paid time came from
    team: formulas.TimeBreakdown
    members: dict[int, formulas.TimeBreakdown]
    visits: dict[str, int]


def team_week(*, team: Team, week: str) -> TeamWeek:
    """Compute a team's figures for an ISO week label such as ``2026W48`` (ValueError if bad)."""
    start, end = formulas.week_days(week)
    paid = hours.paid_time(team=team, start=start, end=end)
    recorded = caseload.recorded_minutes(team=team, start=start, end=end)
    members = {
        user_id: formulas.time_breakdown(
            rostered=paid.worked.get(user_id, 0),
            leave=paid.leave.get(user_id, 0),
            recorded=recorded.get(user_id, {}),
        )
        for user_id in paid.worked.keys() | recorded.keys()
    }
    return TeamWeek(
        week=week,
        start=start,
        end=end,
        source=paid.source,
        team=formulas.combine(members.values()),
        members=members,
        visits=caseload.visit_counts(team=team, start=start, end=end),
    )
