"""Between the ORM and the pure planner: build a ``Problem``, turn a ``Solution`` into words.

People and shift types are named in the problem by their names (made unique), so the
planner's own explanations read naturally; day numbers are turned into dates here.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
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
    MemberSkill,
    RotaPeriod,
    ShiftRequest,
    ShiftType,
)
from rota.planner import Evaluation
from rota.planner import problem as p
from teams.models import User

REQUEST_WEIGHT = 10  # per priority step: low 10, medium 20, high 30
UNDER_COVER_WEIGHT = 100  # per person below the minimum, or a required skill missing
PREFERRED_WEIGHT = 15  # per person below the preferred number: between a low and a medium wish
OVER_COVER_WEIGHT = 1  # per person above the preferred number


@dataclass
class Built:
    problem: p.Problem
    people: dict[str, User]
    shift_types: dict[str, ShiftType]
    days: list[date]
    fixed: set[tuple[int, date]]
    lines: list[str]  # for each cover line: "minimum", "preferred" or "skill"

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
    members = list(selectors.member_users(team=team))
    ids = _staff_ids(members)
    # Retired types stay in the problem so published shifts on them can be kept; nobody is
    # planned onto one afresh.
    types = selectors.shift_types(team=team, include_retired=True)
    retired = {st.name for st in types if st.retired_at is not None}
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
    shortest = min((st.nominal_minutes for st in types if st.name not in retired), default=0)
    held: dict[int, set[str]] = defaultdict(set)
    for user_id, skill in MemberSkill.objects.for_team(team).values_list("user_id", "skill__name"):
        held[user_id].add(skill)
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
    published = Counter((f.staff, f.shift) for f in fixed)
    staff = []
    for m in members:
        c = contracts.get(m.pk) or Contract()
        cap = float(c.hours_per_week) * weeks * 60
        if not c.opted_out_of_48h:
            cap = min(cap, team_rules.max_average_weekly_hours * weeks * 60)
        staff.append(
            p.StaffMember(
                id=ids[m.pk],
                max_shifts={
                    st.name: published[ids[m.pk], st.name] if st.name in retired else 0
                    for st in types
                    if st.name in retired or (st.is_night and not c.nights_allowed)
                },
                min_minutes=int(c.min_shifts_per_week * weeks) * shortest,
                max_minutes=int(cap),
                max_consecutive=c.max_consecutive_days,
                max_weekends=math.ceil(c.max_weekends_per_4_weeks * weeks / 4),
                days_off=frozenset(off[m.pk]),
                skills=frozenset(held[m.pk]),
            )
        )
    needs = list(
        CoverNeed.objects.for_team(team)
        .select_related("shift_type")
        .prefetch_related("required_skills")
    )
    cover, lines = _cover_lines(needs, days, index)
    requests = []
    for r in (
        ShiftRequest.objects.for_team(team)
        .filter(date__range=(period.start, period.end), user__in=members)
        .select_related("shift_type")
    ):
        wanted = [r.shift_type] if r.shift_type else [t for t in types if t.name not in retired]
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
        lines=lines,
    )


def _cover_lines(
    needs: list[CoverNeed], days: list[date], index: dict[date, int]
) -> tuple[tuple[p.Cover, ...], list[str]]:
    """Turn each day's cover need into planner lines: minimum, preferred and each skill."""
    cover: list[p.Cover] = []
    lines: list[str] = []
    by_day = selectors.cover_needs_by_day(needs, days)
    for (day, _), need in sorted(by_day.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        base = {"day": index[day], "shift": need.shift_type.name}
        if need.preferred > need.minimum:
            cover.append(p.Cover(**base, target=need.minimum, over_weight=0))
            lines.append("minimum")
            cover.append(
                p.Cover(
                    **base,
                    target=need.preferred,
                    under_weight=PREFERRED_WEIGHT,
                    over_weight=OVER_COVER_WEIGHT,
                )
            )
            lines.append("preferred")
        else:
            cover.append(p.Cover(**base, target=need.minimum, over_weight=OVER_COVER_WEIGHT))
            lines.append("minimum")
        for skill in sorted(s.name for s in need.required_skills.all()):
            cover.append(p.Cover(**base, target=1, over_weight=0, skill=skill))
            lines.append("skill")
    return tuple(cover), lines


def solution_assignments(built: Built, solution: p.Solution) -> list[tuple[User, date, ShiftType]]:
    return [
        (built.people[staff], built.days[day], built.shift_types[shift])
        for (staff, day), shift in sorted(solution.assignment.items())
    ]


def explain(built: Built, found: p.Solution | Evaluation) -> list[dict[str, str | int | None]]:
    """Describe every shift below its cover and every unmet wish as data for the page to word.

    Stored as data, not sentences, so each reader sees them in their own language.
    """
    issues: list[dict[str, str | int | None]] = []
    for issue in found.uncovered:
        if issue.kind != "under_cover" or issue.line is None:
            continue
        cover = built.problem.cover[issue.line]
        issues.append(
            {
                "kind": built.lines[issue.line],
                "shift": issue.shift,
                "day": built.days[issue.day].isoformat(),
                "short": issue.cost // cover.under_weight,
                "skill": cover.skill,
            }
        )
    issues.extend(
        {
            "kind": issue.kind,
            "person": issue.staff,
            "shift": issue.shift,
            "day": built.days[issue.day].isoformat(),
        }
        for issue in found.unmet_requests
    )
    return issues


def gaps(built: Built, uncovered: tuple[p.Issue, ...]) -> int:
    """Count the shifts (day and shift type) below their minimum or missing a skill."""
    return len(
        {
            (i.day, i.shift)
            for i in uncovered
            if i.kind == "under_cover" and i.line is not None and built.lines[i.line] != "preferred"
        }
    )
