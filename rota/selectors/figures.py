"""A span of the published rota in numbers, for Insights: cover met and requests honoured."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from rota.models import Assignment, PeriodStatus
from rota.selectors.fairness import requests_honoured
from rota.selectors.grid import cover_table, needs_and_skills
from rota.selectors.setup import shift_types
from teams.models import Team


@dataclass(frozen=True)
class RotaFigures:
    cover_cells: int  # (day, shift type) pairs with a minimum cover
    cover_met: int  # of those, with enough people and every required skill
    requests: int
    honoured: int


def rota_figures(*, team: Team, start: date, end: date) -> RotaFigures:
    """Count the published rota from start to end (a fixed number of queries)."""
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    shifts = list(
        Assignment.objects.for_team(team).filter(
            date__range=(start, end), period__status=PeriodStatus.PUBLISHED
        )
    )
    needs, skills = needs_and_skills(team=team, start=start, end=end)
    table = cover_table(
        days=days,
        types=shift_types(team=team, include_retired=True),
        assignments=shifts,
        needs=needs,
        skills_by_user=skills,
    )
    needed = [cell for _, cells in table for cell in cells if cell.minimum > 0]
    asked, honoured = requests_honoured(team=team, since=start, until=end)
    return RotaFigures(
        cover_cells=len(needed),
        cover_met=sum(1 for cell in needed if cell.state != "gap"),
        requests=sum(asked.values()),
        honoured=sum(honoured.values()),
    )
