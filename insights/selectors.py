"""Reads for Insights: the other apps' selectors in, the pure formulas' figures out."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from caseload import selectors as caseload
from insights import formulas
from insights.models import WeeklySnapshot
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
    caseload: int
    caseload_per_wte: float | None
    continuity: formulas.Continuity
    outcomes: dict[str, dict[str, formulas.Change]]
    handovers_on_time: tuple[int, int]  # (acknowledged within a day, written)

    @property
    def handovers_on_time_share(self) -> float | None:
        return formulas.share(*self.handovers_on_time)

    def figures(self) -> dict[str, Any]:
        """The week as plain JSON: what a snapshot stores and compares."""
        return {
            "source": self.source,
            "team": asdict(self.team),
            "members": {str(pk): asdict(week) for pk, week in sorted(self.members.items())},
            "visits": self.visits,
            "caseload": self.caseload,
            "caseload_per_wte": self.caseload_per_wte,
            "continuity": asdict(self.continuity),
            "outcomes": {
                name: {dim: asdict(change) for dim, change in dims.items()}
                for name, dims in self.outcomes.items()
            },
            "handovers_on_time": list(self.handovers_on_time),
        }


CONTINUITY_DAYS = 90
HANDOVER_WITHIN = timedelta(hours=24)


def snapshots(*, team: Team, weeks: int) -> list[WeeklySnapshot]:
    """The team's latest ``weeks`` snapshots, newest first, in one query."""
    return list(WeeklySnapshot.objects.for_team(team).order_by("-start")[:weeks])


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
    clients = caseload.clients_with_visits(team=team, start=start, end=end)
    since = end - timedelta(days=CONTINUITY_DAYS - 1)
    return TeamWeek(
        week=week,
        start=start,
        end=end,
        source=paid.source,
        team=formulas.combine(members.values()),
        members=members,
        visits=caseload.visit_counts(team=team, start=start, end=end),
        caseload=clients,
        caseload_per_wte=formulas.per_wte(clients, paid.contracted_hours.values()),
        continuity=formulas.continuity(
            caseload.done_visits_by_client(team=team, start=since, end=end)
        ),
        outcomes=formulas.outcomes(caseload.rating_histories(team=team, until=end)),
        handovers_on_time=caseload.handovers_acknowledged(
            team=team, start=start, end=end, within=HANDOVER_WITHIN
        ),
    )
