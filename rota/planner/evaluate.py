"""Check a roster against a Problem: hard-rule violations and the exact objective.

Independent of the solver on purpose, so the benchmark never trusts the model's own score.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .problem import Assignment, Issue, Problem, StaffMember


@dataclass(frozen=True)
class Evaluation:
    violations: tuple[str, ...]
    objective: int
    breakdown: dict[str, int] = field(default_factory=dict)
    unmet_requests: tuple[Issue, ...] = ()
    uncovered: tuple[Issue, ...] = ()

    @property
    def feasible(self) -> bool:
        return not self.violations


def _blocks(flags: list[bool], value: bool) -> list[tuple[int, int]]:
    """Return (start, length) of each maximal run of ``value``."""
    runs, start = [], None
    for day, flag in enumerate([*flags, not value]):
        if flag == value and start is None:
            start = day
        elif flag != value and start is not None:
            runs.append((start, day - start))
            start = None
    return runs


def evaluate(problem: Problem, assignments: Iterable[Assignment]) -> Evaluation:
    """Score ``assignments``; duplicates for one person and day are a violation, not an error."""
    horizon = problem.horizon
    shifts = {s.id: s for s in problem.shifts}
    violations: list[str] = []
    roster: dict[tuple[str, int], str] = {}
    staff_ids = {p.id for p in problem.staff}
    for a in assignments:
        if a.staff not in staff_ids or a.shift not in shifts or not 0 <= a.day < horizon:
            violations.append(f"unknown assignment {a.staff},{a.day},{a.shift}")
            continue
        key = (a.staff, a.day)
        if key in roster:
            violations.append(f"{a.staff} has more than one shift on day {a.day}")
            continue
        roster[key] = a.shift

    for f in problem.fixed:
        if roster.get((f.staff, f.day)) != f.shift:
            violations.append(f"{f.staff} must keep published shift {f.shift} on day {f.day}")

    for person in problem.staff:
        pid = person.id
        days = [roster.get((pid, d)) for d in range(horizon)]
        works = [s is not None for s in days]
        for d in range(horizon - 1):
            s, t = days[d], days[d + 1]
            if s is not None and t is not None and t in shifts[s].forbidden_next:
                violations.append(f"{pid} works {t} on day {d + 1} right after {s}")
        counts = Counter(s for s in days if s is not None)
        for sid, n in sorted(counts.items()):
            limit = person.max_shifts.get(sid)
            if limit is not None and n > limit:
                violations.append(f"{pid} works {n} {sid} shifts, limit {limit}")
        minutes = sum(shifts[s].minutes for s in days if s is not None)
        if person.max_minutes is not None and minutes > person.max_minutes:
            violations.append(f"{pid} works {minutes} minutes, more than {person.max_minutes}")
        if minutes < person.min_minutes:
            violations.append(f"{pid} works {minutes} minutes, fewer than {person.min_minutes}")
        for start, length in _blocks(works, True):
            if person.max_consecutive is not None and length > person.max_consecutive:
                violations.append(
                    f"{pid} works {length} days in a row from day {start}, "
                    f"limit {person.max_consecutive}"
                )
            inside = start > 0 and start + length < horizon
            if inside and length < person.min_consecutive:
                violations.append(
                    f"{pid} works only {length} days in a row from day {start}, "
                    f"minimum {person.min_consecutive}"
                )
        for start, length in _blocks(works, False):
            inside = start > 0 and start + length < horizon
            if inside and length < person.min_days_off:
                violations.append(
                    f"{pid} has only {length} days off in a row from day {start}, "
                    f"minimum {person.min_days_off}"
                )
        weekends = sum(any(works[d] for d in wk) for wk in problem.weekends())
        if person.max_weekends is not None and weekends > person.max_weekends:
            violations.append(f"{pid} works {weekends} weekends, limit {person.max_weekends}")
        for d in sorted(person.days_off):
            if 0 <= d < horizon and works[d]:
                violations.append(f"{pid} works on fixed day off {d}")

    unmet: list[Issue] = []
    breakdown = {"on_requests": 0, "off_requests": 0, "under_cover": 0, "over_cover": 0}
    for r in problem.requests:
        worked = roster.get((r.staff, r.day))
        if r.on and worked != r.shift:
            breakdown["on_requests"] += r.weight
            what = "is off" if worked is None else f"works {worked}"
            unmet.append(
                Issue(
                    "on_request",
                    r.day,
                    r.shift,
                    r.staff,
                    r.weight,
                    f"{r.staff} asked for {r.shift} on day {r.day} but {what}",
                )
            )
        elif not r.on and worked == r.shift:
            breakdown["off_requests"] += r.weight
            unmet.append(
                Issue(
                    "off_request",
                    r.day,
                    r.shift,
                    r.staff,
                    r.weight,
                    f"{r.staff} asked not to work {r.shift} on day {r.day}",
                )
            )
    working: dict[tuple[int, str], list[StaffMember]] = {}
    people = {p.id: p for p in problem.staff}
    for (pid, d), s in roster.items():
        working.setdefault((d, s), []).append(people[pid])
    uncovered: list[Issue] = []
    for line, c in enumerate(problem.cover):
        n = sum(1 for person in working.get((c.day, c.shift), ()) if c.counts(person))
        who = "people" if c.skill is None else f"people with {c.skill}"
        if n < c.target:
            cost = c.under_weight * (c.target - n)
            breakdown["under_cover"] += cost
            text = f"{c.shift} on day {c.day} has {n} of {c.target} {who}"
            uncovered.append(Issue("under_cover", c.day, c.shift, None, cost, text, line))
        elif n > c.target and c.over_weight:
            cost = c.over_weight * (n - c.target)
            breakdown["over_cover"] += cost
            text = f"{c.shift} on day {c.day} has {n} {who}, {n - c.target} more than needed"
            uncovered.append(Issue("over_cover", c.day, c.shift, None, cost, text, line))
    return Evaluation(
        violations=tuple(violations),
        objective=sum(breakdown.values()),
        breakdown=breakdown,
        unmet_requests=tuple(unmet),
        uncovered=tuple(uncovered),
    )
