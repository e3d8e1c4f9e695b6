"""Explain why a Problem has no roster at all.

Cover and requests are soft, so a problem is infeasible only when one person's own rules
(or published shifts) conflict. That makes the search per person: each person's rules are
guarded by an assumption literal and CP-SAT returns a small conflicting set.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from .model import RosterModel
from .problem import Problem


def _prechecks(problem: Problem) -> list[str]:
    reasons: list[str] = []
    staff = {p.id: p for p in problem.staff}
    shifts = {s.id: s for s in problem.shifts}
    seen: dict[tuple[str, int], str] = {}
    for f in problem.fixed:
        person = staff.get(f.staff)
        if person is None or f.shift not in shifts or not 0 <= f.day < problem.horizon:
            reasons.append(
                f"published shift {f.staff},{f.day},{f.shift} names an unknown person, shift or day"
            )
            continue
        other = seen.setdefault((f.staff, f.day), f.shift)
        if other != f.shift:
            reasons.append(
                f"{f.staff} has two published shifts ({other}, {f.shift}) on day {f.day}"
            )
        if f.day in person.days_off:
            reasons.append(f"{f.staff} has a published {f.shift} shift on fixed day off {f.day}")
        if not person.may_work(f.shift):
            reasons.append(f"{f.staff} has a published {f.shift} shift but may not work {f.shift}")
    for person in problem.staff:
        if person.max_minutes is not None and person.min_minutes > person.max_minutes:
            reasons.append(
                f"{person.id} needs at least {person.min_minutes} minutes "
                f"but at most {person.max_minutes}"
            )
        free_days = sum(1 for d in range(problem.horizon) if d not in person.days_off)
        usable = [s for s in problem.shifts if person.may_work(s.id)]
        capacity = 0
        left = free_days
        for s in sorted(usable, key=lambda s: -s.minutes):
            take = min(left, person.max_shifts.get(s.id, left))
            capacity += take * s.minutes
            left -= take
        if person.min_minutes > capacity:
            reasons.append(
                f"{person.id} needs at least {person.min_minutes} minutes but can work at most "
                f"{capacity} ({free_days} days without a fixed day off, limited shift types)"
            )
    return reasons


def _person_core(problem: Problem, p: int) -> list[str] | None:
    """Return the names of a conflicting set of ``p``'s rules, or None if they can all hold."""
    names: dict[int, str] = {}
    holder: dict[str, cp_model.IntVar] = {}
    rm_model = cp_model.CpModel()

    def guard(name: str) -> cp_model.IntVar:
        if name not in holder:
            holder[name] = rm_model.new_bool_var(name)
        return holder[name]

    RosterModel(problem, people=[p], guard=guard, soft=False, model=rm_model)
    for name, lit in holder.items():
        names[lit.index] = name
    rm_model.add_assumptions(list(holder.values()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 5.0
    solver.parameters.num_workers = 1
    status = solver.solve(rm_model)
    if status != cp_model.INFEASIBLE:
        return None
    return sorted(names[i] for i in solver.sufficient_assumptions_for_infeasibility())


def explain_infeasibility(problem: Problem, *, quick: bool = False) -> str:
    """Return a readable reason the problem is infeasible, or "" if none was found."""
    reasons = _prechecks(problem)
    if reasons or quick:
        return "; ".join(reasons)
    for p, person in enumerate(problem.staff):
        core = _person_core(problem, p)
        if core:
            return f"{person.id}'s rules cannot all hold together: " + "; ".join(core)
    return ""
