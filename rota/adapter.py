"""Between the ORM and the pure planner: build a ``Problem``, turn a ``Solution`` into words.

People and shift types are named in the problem by their names (made unique), so the
planner's own explanations read naturally; day numbers are turned into dates here.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from rota import rules, selectors
from rota.models import (
    Assignment,
    Availability,
    Contract,
    CoverNeed,
    LeaveRequest,
    LeaveStatus,
    RotaPeriod,
    ShiftRequest,
    ShiftType,
)
from rota.planner import problem as p
from teams.models import User

REQUEST_WEIGHT = 10  # per priority step: low 10, medium 20, high 30
UNDER_COVER_WEIGHT = 100
OVER_COVER_WEIGHT = 1


@dataclass
class Built:
    problem: p.Problem
    people: dict[str, User]
    shift_types: dict[str, ShiftType]
    days: list[date]
    fixed: set[tuple[int, date]]

    def day_text(self, text: str) -> str:
        """Replace the planner's "day N" with the date it stands for."""

        def as_date(match: re.Match) -> str:
            index = int(match.group(1))
            if 0 <= index < len(self.days):
                day = self.days[index]
                return f"{day:%a} {day.day} {day:%b}"
            return match.group(0)

        return re.sub(r"\bday (\d+)\b", as_date, text)


def _staff_ids(members: list[User]) -> dict[int, str]:
    counts: dict[str, int] = defaultdict(int)
    for m in members:
        counts[m.name] += 1
    return {m.pk: m.name if counts[m.name] == 1 else f"{m.name} ({m.pk})" for m in members}


def build_problem(*, period: RotaPeriod, allow_changes: bool = False) -> Built:
    """Read the team's rules, people, cover and wishes for ``period`` into a planner Problem.

    Published shifts become fixed assignments unless ``allow_changes``.
    """
    team = period.team
    days = period.dates
    index = {d: i for i, d in enumerate(days)}
    weeks = period.days / 7
    members = selectors.current_members(team=team)
    ids = _staff_ids(members)
    types = selectors.shift_types(team=team)
    team_rules = selectors.team_rules(team=team)
    min_rest = timedelta(hours=team_rules.min_rest_hours)
    shifts = tuple(
        p.ShiftType(
            id=st.name,
            minutes=st.nominal_minutes,
            forbidden_next=frozenset(
                nxt.name
                for nxt in types
                if rules.rest_forbids(st.start, st.end, nxt.start, min_rest=min_rest)
            ),
        )
        for st in types
    )
    contracts = selectors.contracts(team=team)
    off: dict[int, set[int]] = defaultdict(set)
    for leave in LeaveRequest.objects.for_team(team).filter(
        status=LeaveStatus.APPROVED, start_date__lte=period.end, end_date__gte=period.start
    ):
        off[leave.user_id].update(index[d] for d in days if leave.covers(d))
    for user_id, day in (
        Availability.objects.for_team(team)
        .filter(available=False, date__range=(period.start, period.end))
        .values_list("user_id", "date")
    ):
        off[user_id].add(index[day])
    shortest = min((st.nominal_minutes for st in types), default=0)
    staff = []
    for m in members:
        c = contracts.get(m.pk) or Contract()
        cap = float(c.hours_per_week) * weeks * 60
        if not c.opted_out_of_48h:
            cap = min(cap, team_rules.max_average_weekly_hours * weeks * 60)
        staff.append(
            p.StaffMember(
                id=ids[m.pk],
                max_shifts={st.name: 0 for st in types if st.is_night and not c.nights_allowed},
                min_minutes=int(c.min_shifts_per_week * weeks) * shortest,
                max_minutes=int(cap),
                max_consecutive=c.max_consecutive_days,
                max_weekends=math.ceil(c.max_weekends_per_4_weeks * weeks / 4),
                days_off=frozenset(off[m.pk]),
            )
        )
    needs = list(CoverNeed.objects.for_team(team).select_related("shift_type"))
    cover = tuple(
        p.Cover(
            day=index[day],
            shift=need.shift_type.name,
            target=need.minimum,
            under_weight=UNDER_COVER_WEIGHT,
            over_weight=OVER_COVER_WEIGHT,
        )
        for (day, _), need in sorted(
            selectors.cover_needs_by_day(needs, days).items(), key=lambda kv: (kv[0][0], kv[0][1])
        )
    )
    requests = []
    for r in (
        ShiftRequest.objects.for_team(team)
        .filter(date__range=(period.start, period.end), user__in=members)
        .select_related("shift_type")
    ):
        wanted = [r.shift_type] if r.shift_type else types
        requests.extend(
            p.Request(
                staff=ids[r.user_id],
                day=index[r.date],
                shift=st.name,
                weight=REQUEST_WEIGHT * r.priority,
                on=r.on,
            )
            for st in wanted
        )
    fixed = []
    fixed_keys = set()
    if not allow_changes:
        for a in (
            Assignment.objects.for_team(team)
            .filter(period=period, published=True, user__in=members)
            .select_related("shift_type")
        ):
            fixed.append(p.Assignment(ids[a.user_id], index[a.date], a.shift_type.name))
            fixed_keys.add((a.user_id, a.date))
    problem = p.Problem(
        horizon=len(days),
        shifts=shifts,
        staff=tuple(staff),
        cover=cover,
        requests=tuple(requests),
        fixed=tuple(fixed),
        first_weekday=period.start.weekday(),
    )
    return Built(
        problem=problem,
        people={ids[m.pk]: m for m in members},
        shift_types={st.name: st for st in types},
        days=days,
        fixed=fixed_keys,
    )


def solution_assignments(built: Built, solution: p.Solution) -> list[tuple[User, date, ShiftType]]:
    return [
        (built.people[staff], built.days[day], built.shift_types[shift])
        for (staff, day), shift in sorted(solution.assignment.items())
    ]


def explain(built: Built, solution: p.Solution) -> list[str]:
    """Return one sentence for every unmet request and uncovered shift."""
    issues = [*under_cover(solution), *solution.unmet_requests]
    return [built.day_text(i.explanation) for i in issues]


def under_cover(solution: p.Solution) -> list[p.Issue]:
    return [i for i in solution.uncovered if i.kind == "under_cover"]
