"""Periods and the people × days grid: cover, rule violations and open shifts.

The grid's query count does not grow with the team: each kind of row is read once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Q

from rota import rules
from rota.holidays import bank_holidays_between
from rota.models import (
    Assignment,
    Availability,
    CoverNeed,
    LeaveRequest,
    LeaveStatus,
    MemberSkill,
    PlanRun,
    RotaPeriod,
    ShiftType,
)
from rota.selectors.fairness import fairness
from rota.selectors.setup import contracts, limits_for, rule_set, shift_types, team_rules
from teams.models import Team, User
from teams.selectors import member_users


def to_shift(assignment: Assignment, names: dict[int, str]) -> rules.Shift:
    st = assignment.shift_type
    return rules.make_shift(
        person_id=assignment.user_id,
        person=names.get(assignment.user_id, "Someone"),
        day=assignment.date,
        name=st.name,
        start=st.start,
        end=st.end,
    )


@dataclass
class RuleContext:
    """Everything the rule checks need for one span of days, read in a fixed number of queries."""

    first: date
    last: date
    rule_set: rules.RuleSet
    limits: dict[int | str, rules.Limits]
    names: dict[int, str]
    assignments: list[Assignment]

    def shifts(
        self, *, remove: set[tuple[int, date]] = frozenset(), add: list[Assignment] = ()
    ) -> list[rules.Shift]:
        kept = [a for a in self.assignments if (a.user_id, a.date) not in remove]
        return [to_shift(a, self.names) for a in [*kept, *add]]

    def violations(self, **changes) -> list[rules.Violation]:
        return rules.check_all(
            self.shifts(**changes),
            rules=self.rule_set,
            limits=self.limits,
            first=self.first,
            last=self.last,
        )


def rule_context(
    *, team: Team, first: date, last: date, members: list[User] | None = None
) -> RuleContext:
    tr = team_rules(team=team)
    members = members if members is not None else list(member_users(team=team))
    since = first - timedelta(weeks=tr.reference_weeks)
    assignments = list(
        Assignment.objects.for_team(team)
        .filter(date__gte=since, date__lte=last + timedelta(days=1))
        .select_related("shift_type")
        .order_by("date")
    )
    return RuleContext(
        first=first,
        last=last,
        rule_set=rule_set(tr),
        limits=limits_for(contracts(team=team)),
        names={m.pk: m.name for m in members},
        assignments=assignments,
    )


def cover_needs_by_day(
    needs: list[CoverNeed], days: list[date]
) -> dict[tuple[date, int], CoverNeed]:
    """Return the need for each (day, shift type): a need for a date beats one for a weekday."""
    by_weekday = {(n.weekday, n.shift_type_id): n for n in needs if n.weekday is not None}
    by_date = {(n.date, n.shift_type_id): n for n in needs if n.date is not None}
    found = {}
    shift_ids = {n.shift_type_id for n in needs}
    for day in days:
        for st in shift_ids:
            need = by_date.get((day, st)) or by_weekday.get((day.weekday(), st))
            if need is not None:
                found[(day, st)] = need
    return found


@dataclass
class CoverCell:
    day: date
    count: int
    minimum: int = 0
    preferred: int = 0
    missing_skills: list[str] = field(default_factory=list)

    @property
    def gap(self) -> int:
        return max(0, self.minimum - self.count)

    @property
    def state(self) -> str:
        if self.gap or self.missing_skills:
            return "gap"
        if self.count < self.preferred:
            return "short"
        return "ok"


@dataclass
class Cell:
    day: date
    assignment: Assignment | None
    on_leave: bool = False
    unavailable: bool = False
    flagged: bool = False


@dataclass
class Row:
    member: User
    cells: list[Cell]
    shifts: int = 0
    hours: float = 0.0


@dataclass
class Grid:
    period: RotaPeriod
    days: list[date]
    bank_holidays: dict[date, str]
    shift_types: list[ShiftType]
    rows: list[Row]
    cover: list[tuple[ShiftType, list[CoverCell]]]
    violations: list[rules.Violation]
    fairness: list[dict]

    @property
    def short_shifts(self) -> list[tuple[ShiftType, CoverCell]]:
        """Return each shift short of people or of a required skill: the cells marked red."""
        return [(st, c) for st, cells in self.cover for c in cells if c.state == "gap"]


def needs_and_skills(
    *, team: Team, start: date, end: date
) -> tuple[list[CoverNeed], dict[int, set[int]]]:
    """The cover needs that apply from start to end, and each member's skills (two queries)."""
    needs = list(
        CoverNeed.objects.for_team(team)
        .filter(Q(date__isnull=True) | Q(date__range=(start, end)))
        .prefetch_related("required_skills")
    )
    skills_by_user: dict[int, set[int]] = defaultdict(set)
    for user_id, skill_id in MemberSkill.objects.for_team(team).values_list("user_id", "skill_id"):
        skills_by_user[user_id].add(skill_id)
    return needs, skills_by_user


def cover_table(
    *,
    days: list[date],
    types: list[ShiftType],
    assignments: list[Assignment],
    needs: list[CoverNeed],
    skills_by_user: dict[int, set[int]],
) -> list[tuple[ShiftType, list[CoverCell]]]:
    """Each shift type's cover on each day: who is on, the need, and the skills missing."""
    need_for = cover_needs_by_day(needs, days)
    on: dict[tuple[date, int], list[int]] = defaultdict(list)
    for a in assignments:
        on[(a.date, a.shift_type_id)].append(a.user_id)
    table = []
    for st in types:
        cells = []
        for day in days:
            people = on.get((day, st.pk), [])
            need = need_for.get((day, st.pk))
            cell = CoverCell(day=day, count=len(people))
            if need is not None:
                cell.minimum, cell.preferred = need.minimum, need.preferred
                held = set().union(*(skills_by_user.get(u, set()) for u in people))
                cell.missing_skills = [
                    s.name for s in need.required_skills.all() if s.pk not in held
                ]
            cells.append(cell)
        table.append((st, cells))
    return table


def period_grid(*, period: RotaPeriod, now: datetime | None = None) -> Grid:
    """Return the people × days grid with cover, violations and the fairness summary.

    Retired shift types are in it only if they are on this rota.
    """
    team = period.team
    members = list(member_users(team=team))
    every_type = shift_types(team=team, include_retired=True)
    by_pk = {st.pk: st for st in every_type}
    ctx = rule_context(team=team, first=period.start, last=period.end, members=members)
    for a in ctx.assignments:  # share the shift type objects: no query per row
        a.shift_type = by_pk.get(a.shift_type_id, a.shift_type)
    in_period = [a for a in ctx.assignments if period.start <= a.date <= period.end]
    on_rota = {a.shift_type_id for a in in_period}
    types = [st for st in every_type if st.retired_at is None or st.pk in on_rota]
    needs, skills_by_user = needs_and_skills(team=team, start=period.start, end=period.end)
    leave = list(
        LeaveRequest.objects.for_team(team).filter(
            status=LeaveStatus.APPROVED, start_date__lte=period.end, end_date__gte=period.start
        )
    )
    unavailable = _unavailable(team=team, period=period)
    violations = ctx.violations()
    flagged = {(v.person_id, v.day) for v in violations}
    mine = {(a.user_id, a.date): a for a in in_period}
    rows = []
    for m in members:
        cells = [
            Cell(
                day=d,
                assignment=mine.get((m.pk, d)),
                on_leave=any(lv.user_id == m.pk and lv.covers(d) for lv in leave),
                unavailable=(m.pk, d) in unavailable,
                flagged=(m.pk, d) in flagged,
            )
            for d in period.dates
        ]
        worked = [c.assignment for c in cells if c.assignment]
        rows.append(
            Row(
                member=m,
                cells=cells,
                shifts=len(worked),
                hours=sum(a.shift_type.nominal_minutes for a in worked) / 60,
            )
        )
    return Grid(
        period=period,
        days=period.dates,
        bank_holidays=bank_holidays_between(period.start, period.end),
        shift_types=types,
        rows=rows,
        cover=cover_table(
            days=period.dates,
            types=types,
            assignments=in_period,
            needs=needs,
            skills_by_user=skills_by_user,
        ),
        violations=violations,
        fairness=fairness(team=team, members=members, now=now),
    )


def _unavailable(*, team: Team, period: RotaPeriod) -> set[tuple[int, date]]:
    return set(
        Availability.objects.for_team(team)
        .filter(available=False, date__range=(period.start, period.end))
        .values_list("user_id", "date")
    )


def open_shifts(*, period: RotaPeriod) -> list[tuple[date, ShiftType, int]]:
    """Return each (day, shift type, people missing) below its minimum cover."""
    grid_types = shift_types(team=period.team)
    assignments = list(Assignment.objects.for_team(period.team).filter(period=period))
    needs = list(CoverNeed.objects.for_team(period.team).prefetch_related("required_skills"))
    table = cover_table(
        days=period.dates,
        types=grid_types,
        assignments=assignments,
        needs=needs,
        skills_by_user={},
    )
    return [(c.day, st, c.gap) for st, cells in table for c in cells if c.gap]


def periods(*, team: Team) -> list[RotaPeriod]:
    return list(RotaPeriod.objects.for_team(team))


def latest_plan_run(*, period: RotaPeriod) -> PlanRun | None:
    return PlanRun.objects.for_team(period.team).filter(period=period).first()
