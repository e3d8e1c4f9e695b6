"""Build the CP-SAT model of a Problem.

Formulation notes (why it is shaped like this):

* ``x[p, d, s]`` exists only where person ``p`` may work shift ``s`` on day ``d`` (skill
  and fixed days off are removed up front, not constrained), and ``w[p, d]`` = sum of
  them, so every sequence rule is a rule on the 0/1 work string.
* Min-block rules are forbidden patterns (``off, work*L, off``) as clauses, which
  propagate well; max-block rules are sliding-window sums. (The LP of any compact
  model is weak here: a person can work 5/6 of every day. ``columns.py`` fixes that.)
* A forbidden successor ``s -> T`` is one at-most-one over ``x[d, s]`` and all of
  ``x[d+1, t in T]``, tighter than pairwise clauses.
* Cover slack is an integer pair (under, over) with ``n + under - over = target``.

Every rule group of a person can be guarded by a literal so the same builder serves the
infeasibility diagnosis (``sufficient_assumptions_for_infeasibility``).
"""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from .problem import Problem, StaffMember

Guard = Callable[[str], "cp_model.IntVar | None"]


class RosterModel:
    def __init__(
        self,
        problem: Problem,
        *,
        people: list[int] | None = None,
        guard: Guard | None = None,
        soft: bool = True,
        model: cp_model.CpModel | None = None,
    ) -> None:
        self.problem = problem
        self.model = model if model is not None else cp_model.CpModel()
        self.shift_ids = [s.id for s in problem.shifts]
        self.s_index = {sid: i for i, sid in enumerate(self.shift_ids)}
        self.people = list(range(len(problem.staff))) if people is None else people
        self.x: dict[tuple[int, int, int], cp_model.IntVar] = {}
        self.w: dict[tuple[int, int], cp_model.IntVar | int] = {}
        self._zero = self.model.new_constant(0)
        fixed = {(f.staff, f.day): f.shift for f in problem.fixed}
        for p in self.people:
            person = problem.staff[p]
            for d in range(problem.horizon):
                must = fixed.get((person.id, d))
                for s, sid in enumerate(self.shift_ids):
                    # A guarded (diagnosis) model keeps every variable so that skills and
                    # days off show up as rules that can be blamed.
                    allowed = guard is not None or (
                        person.may_work(sid) and d not in person.days_off
                    )
                    if allowed or must == sid:
                        self.x[p, d, s] = self.model.new_bool_var(f"x_{p}_{d}_{s}")
        for p in self.people:
            self._add_person(p, problem.staff[p], fixed, guard)
        if soft:
            self._add_objective()

    def _lit(self, guard: Guard | None, name: str) -> cp_model.IntVar | None:
        return guard(name) if guard else None

    def _add(self, ct: cp_model.Constraint, lit: cp_model.IntVar | None) -> None:
        if lit is not None:
            ct.only_enforce_if(lit)

    def _add_person(self, p: int, person: StaffMember, fixed: dict, guard: Guard | None) -> None:
        m, horizon, pid = self.model, self.problem.horizon, person.id
        xs = {
            d: [(s, self.x[p, d, s]) for s in range(len(self.shift_ids)) if (p, d, s) in self.x]
            for d in range(horizon)
        }
        for d in range(horizon):
            if xs[d]:
                w = m.new_bool_var(f"w_{p}_{d}")
                m.add(sum(v for _, v in xs[d]) == w)
                self.w[p, d] = w
            else:
                self.w[p, d] = self._zero
        w = [self.w[p, d] for d in range(horizon)]

        lit = self._lit(guard, f"days off of {pid}")
        for d in sorted(person.days_off):
            if 0 <= d < horizon and w[d] is not self._zero:
                self._add(m.add(w[d] == 0), lit)
        for sid, n in person.max_shifts.items():
            if sid not in self.s_index:
                continue
            s = self.s_index[sid]
            vs = [self.x[p, d, s] for d in range(horizon) if (p, d, s) in self.x]
            if len(vs) > n:
                lit = self._lit(guard, f"at most {n} {sid} shifts for {pid}")
                self._add(m.add(sum(vs) <= n), lit)
        for d in range(horizon):
            sid = fixed.get((pid, d))
            if sid is not None:
                lit = self._lit(guard, f"published {sid} shift of {pid} on day {d}")
                self._add(m.add(self.x[p, d, self.s_index[sid]] == 1), lit)

        lit = self._lit(guard, f"shift rotation rules of {pid}")
        for s, st in enumerate(self.problem.shifts):
            banned = [self.s_index[t] for t in st.forbidden_next if t in self.s_index]
            for d in range(horizon - 1):
                if (p, d, s) not in self.x:
                    continue
                nxt = [self.x[p, d + 1, t] for t in banned if (p, d + 1, t) in self.x]
                if nxt:
                    if lit is None:
                        m.add_at_most_one([self.x[p, d, s], *nxt])
                    else:
                        m.add(self.x[p, d, s] + sum(nxt) <= 1).only_enforce_if(lit)

        minutes = [self.problem.shifts[s].minutes * v for d in range(horizon) for s, v in xs[d]]
        if person.max_minutes is not None:
            lit = self._lit(guard, f"at most {person.max_minutes} minutes for {pid}")
            self._add(m.add(sum(minutes) <= person.max_minutes), lit)
        if person.min_minutes > 0:
            lit = self._lit(guard, f"at least {person.min_minutes} minutes for {pid}")
            self._add(m.add(sum(minutes) >= person.min_minutes), lit)

        k = person.max_consecutive
        if k is not None and k < horizon:
            lit = self._lit(guard, f"at most {k} working days in a row for {pid}")
            for d in range(horizon - k):
                self._add(m.add(sum(w[d : d + k + 1]) <= k), lit)

        def forbid_short_blocks(minimum: int, working: bool, label: str) -> None:
            lit = self._lit(guard, label)
            for length in range(1, minimum):
                for d in range(1, horizon - length):
                    if working:
                        clause = [w[d - 1], *(_neg(v) for v in w[d : d + length]), w[d + length]]
                    else:
                        clause = [_neg(w[d - 1]), *w[d : d + length], _neg(w[d + length])]
                    self._add(m.add_bool_or(clause), lit)

        forbid_short_blocks(
            person.min_consecutive,
            True,
            f"at least {person.min_consecutive} working days in a row for {pid}",
        )
        forbid_short_blocks(
            person.min_days_off,
            False,
            f"at least {person.min_days_off} days off in a row for {pid}",
        )

        if person.max_weekends is not None:
            weekends = self.problem.weekends()
            if len(weekends) > person.max_weekends:
                worked = []
                for days in weekends:
                    wk = m.new_bool_var(f"wk_{p}_{days[0]}")
                    for d in days:
                        m.add_implication(w[d], wk)
                    m.add_bool_or([_neg(wk), *(w[d] for d in days)])
                    worked.append(wk)
                lit = self._lit(guard, f"at most {person.max_weekends} weekends for {pid}")
                self._add(m.add(sum(worked) <= person.max_weekends), lit)

    def _add_objective(self) -> None:
        m, problem = self.model, self.problem
        p_index = {s.id: i for i, s in enumerate(problem.staff)}
        terms = []
        constant = 0
        for r in problem.requests:
            key = (p_index.get(r.staff), r.day, self.s_index.get(r.shift))
            v = self.x.get(key)  # type: ignore[arg-type]
            if r.on:
                if v is None:
                    constant += r.weight
                else:
                    constant += r.weight
                    terms.append(-r.weight * v)
            elif v is not None:
                terms.append(r.weight * v)
        for c in problem.cover:
            s = self.s_index.get(c.shift)
            vs = [
                self.x[p, c.day, s]
                for p in self.people
                if (p, c.day, s) in self.x and c.counts(problem.staff[p])
            ]
            under = m.new_int_var(0, c.target, f"u_{c.day}_{c.shift}")
            over = m.new_int_var(0, max(0, len(vs) - c.target), f"o_{c.day}_{c.shift}")
            m.add(sum(vs) + under - over == c.target)
            terms.append(c.under_weight * under)
            terms.append(c.over_weight * over)
        m.minimize(sum(terms) + constant)


def _neg(v: cp_model.IntVar) -> cp_model.IntVar:
    return ~v
