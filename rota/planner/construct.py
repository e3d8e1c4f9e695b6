"""A legal roster at once: a greedy cover-first construction, day by day.

Cover and requests are soft and every hard rule belongs to one person, so a roster is legal
exactly when each person's own schedule is. The construction walks the days once, keeping each
person's state (last shift, length of the current block, minutes, weekends, shift counts) in
arrays, and on each day fills the cover lines with people who may legally work there, choosing
first those a rule obliges to work (a block shorter than its minimum) and those furthest from
their minimum minutes.

A person only starts or continues a block when the whole rest of the obligation it creates
(the block's minimum length, or up to the end of the horizon) could be worked by repeating the
same shift: days off, per-type limits, minutes, weekends and successions are checked for that
repetition, so no choice made today can leave a person stuck tomorrow. Minimum minutes are the
one rule the walk cannot promise, and published shifts can clash with its choices; each person's
schedule is therefore checked by the independent evaluator at the end, and a person who breaks
a rule gets an exact schedule instead (a one-person CP-SAT model, priced against the cover the
others leave; not the pricing DP, whose first use loads numba, which alone takes seconds on a
busy machine).

Measured at a few seconds for 150 people over 364 days (docs/benchmarks.md), long before the
compact model of that size is even built.
"""

from __future__ import annotations

import logging
import time

import numpy as np
from ortools.sat.python import cp_model

from .evaluate import evaluate
from .model import RosterModel
from .problem import Assignment, Cover, Problem

logger = logging.getLogger(__name__)

Values = dict[tuple[int, int], int]  # (person, day) -> shift index; absent = off
_BIG = 1 << 40
_URGENT = 0.6  # a person short of minutes by this share of what they could still work must work


class _Rules:
    """Every person's limits as arrays, built once."""

    def __init__(self, problem: Problem) -> None:
        staff, shifts, horizon = problem.staff, problem.shifts, problem.horizon
        n, k = len(staff), len(shifts)
        s_index = {s.id: i for i, s in enumerate(shifts)}
        self.length = np.array([s.minutes for s in shifts], dtype=np.int64)
        self.next_ok = np.ones((k, k), dtype=np.bool_)
        for s, st in enumerate(shifts):
            for t in st.forbidden_next:
                if t in s_index:
                    self.next_ok[s, s_index[t]] = False
        self.self_ok = np.diag(self.next_ok).copy()
        self.may = np.array([[p.may_work(s.id) for s in shifts] for p in staff], dtype=np.bool_)
        self.day_free = np.ones((n, horizon), dtype=np.bool_)
        for i, p in enumerate(staff):
            for d in p.days_off:
                if 0 <= d < horizon:
                    self.day_free[i, d] = False
        # free_run[p, d]: days from d on (d included) without a fixed day off.
        self.free_run = np.zeros((n, horizon + 1), dtype=np.int64)
        for d in range(horizon - 1, -1, -1):
            self.free_run[:, d] = np.where(self.day_free[:, d], self.free_run[:, d + 1] + 1, 0)
        self.cap = np.array(
            [[p.max_shifts.get(s.id, _BIG) for s in shifts] for p in staff], dtype=np.int64
        )
        self.max_min = np.array(
            [_BIG if p.max_minutes is None else p.max_minutes for p in staff], dtype=np.int64
        )
        self.min_min = np.array([p.min_minutes for p in staff], dtype=np.int64)
        self.max_con = np.array(
            [horizon + 1 if p.max_consecutive is None else p.max_consecutive for p in staff],
            dtype=np.int64,
        )
        self.min_con = np.array([max(1, p.min_consecutive) for p in staff], dtype=np.int64)
        self.min_off = np.array([max(1, p.min_days_off) for p in staff], dtype=np.int64)
        self.max_wk = np.array(
            [_BIG if p.max_weekends is None else p.max_weekends for p in staff], dtype=np.int64
        )
        self.wk_id = np.full(horizon, -1, dtype=np.int64)
        for i, days in enumerate(problem.weekends()):
            self.wk_id[list(days)] = i
        # A weekend starts on a day that is in one and whose day before is not in the same one.
        starts = np.array(
            [
                self.wk_id[d] >= 0 and (d == 0 or self.wk_id[d - 1] != self.wk_id[d])
                for d in range(horizon)
            ],
            dtype=np.int64,
        )
        self.wk_starts = np.concatenate(([0], np.cumsum(starts)))
        # How many days each person could still work from d on, roughly: free days times the
        # share of days a block pattern allows.
        share = self.max_con / (self.max_con + self.min_off)
        self.free_left = np.cumsum(self.day_free[:, ::-1], axis=1)[:, ::-1] * share[:, None]


def _weekends_in(rules: _Rules, d: int, r: np.ndarray) -> np.ndarray:
    """Weekends that days d .. d+r-1 touch, for each person's r."""
    end = np.minimum(d + r, len(rules.wk_id))
    inside = rules.wk_starts[end] - rules.wk_starts[np.minimum(d + 1, end)]
    return inside + (rules.wk_id[d] >= 0)


class _Walk:
    """Each person's state as the walk goes: last shift, current block, what is used."""

    def __init__(self, rules: _Rules, n: int, k: int, horizon: int) -> None:
        self.rules, self.horizon = rules, horizon
        self.prev = np.full(n, -1, dtype=np.int64)  # yesterday's shift, -1 off
        self.run = np.zeros(n, dtype=np.int64)  # length of the current block
        self.edge = np.ones(n, dtype=np.bool_)  # the current block began on day 0
        self.minutes = np.zeros(n, dtype=np.int64)
        self.count = np.zeros((n, k), dtype=np.int64)
        self.weekends = np.zeros(n, dtype=np.int64)
        self.wk_worked = np.zeros(n, dtype=np.bool_)  # this weekend already counted

    def options(self, d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Who may work which shift today (with all it commits them to), who must, and how
        far each person is from their minimum minutes (share of what they could still do)."""
        rules, n = self.rules, len(self.prev)
        if d and rules.wk_id[d] != rules.wk_id[d - 1]:
            self.wk_worked[:] = False
        working, run = self.prev >= 0, self.run
        # r: the days that working today commits the person to, today included.
        if d == 0:
            r = np.ones(n, dtype=np.int64)
        else:
            r = np.where(
                working, np.where(self.edge, 1, np.maximum(1, rules.min_con - run)), rules.min_con
            )
            r = np.minimum(r, self.horizon - d)
        may_start = ~working & (self.edge | (run >= rules.min_off) | (d == 0))
        block_ok = np.where(working, run + r <= rules.max_con, may_start & (r <= rules.max_con))
        new_wk = _weekends_in(rules, d, r) - (self.wk_worked & (rules.wk_id[d] >= 0))
        ok = (
            rules.may
            & block_ok[:, None]
            & (rules.free_run[:, d] >= r)[:, None]
            & ((r == 1)[:, None] | rules.self_ok[None, :])
            & (self.count + r[:, None] <= rules.cap)
            & (self.minutes[:, None] + r[:, None] * rules.length <= rules.max_min[:, None])
            & (self.weekends + new_wk <= rules.max_wk)[:, None]
        )
        ok &= np.where(working[:, None], rules.next_ok[np.maximum(self.prev, 0)], True)
        obliged = working & ~self.edge & (run < rules.min_con)
        need = np.maximum(0, rules.min_min - self.minutes)
        urgency = need / np.maximum(1.0, rules.free_left[:, d] * rules.length.max())
        return ok, obliged, urgency

    def commit(self, d: int, today: np.ndarray) -> None:
        """Move everyone's state past day ``d`` (``today``: each person's shift, -1 off)."""
        on, working = today >= 0, self.prev >= 0
        idx = np.flatnonzero(on)
        self.count[idx, today[idx]] += 1
        self.minutes[idx] += self.rules.length[today[idx]]
        if self.rules.wk_id[d] >= 0:
            self.weekends += on & ~self.wk_worked
            self.wk_worked |= on
        same = on == working
        self.run = np.where(same, self.run + 1, 1)
        self.edge = np.where(same, self.edge, d == 0)
        self.prev = today


def greedy(problem: Problem) -> Values:
    """Return a roster by the cover-first walk; every person's rules are checked afterwards."""
    horizon, n, k = problem.horizon, len(problem.staff), len(problem.shifts)
    if n == 0 or k == 0:
        return {}
    rules = _Rules(problem)
    s_index = {s.id: i for i, s in enumerate(problem.shifts)}
    p_index = {p.id: i for i, p in enumerate(problem.staff)}
    wish = np.zeros((horizon, n, k))  # > 0: the person would like it
    for r in problem.requests:
        p, s = p_index.get(r.staff), s_index.get(r.shift)
        if p is not None and s is not None and 0 <= r.day < horizon:
            wish[r.day, p, s] += r.weight if r.on else -r.weight
    fixed: dict[int, list[tuple[int, int]]] = {}  # day -> (person, shift) published
    for f in problem.fixed:
        if f.staff in p_index and f.shift in s_index and 0 <= f.day < horizon:
            fixed.setdefault(f.day, []).append((p_index[f.staff], s_index[f.shift]))
    lines_by_day: dict[int, list[tuple[Cover, int, np.ndarray]]] = {}
    for c in sorted(problem.cover, key=lambda c: c.skill is None):  # skill lines first
        if c.shift in s_index and 0 <= c.day < horizon:
            counted = np.array([c.counts(p) for p in problem.staff], dtype=np.bool_)
            lines_by_day.setdefault(c.day, []).append((c, s_index[c.shift], counted))

    walk = _Walk(rules, n, k, horizon)
    values: Values = {}
    for d in range(horizon):
        ok, obliged, urgency = walk.options(d)
        today = np.full(n, -1, dtype=np.int64)
        for p, s in fixed.get(d, ()):
            today[p] = s
        lines = lines_by_day.get(d, [])
        score = 1000.0 * obliged + 100.0 * urgency + 5.0 * (walk.prev >= 0)
        for c, s, counted in lines:
            short = c.target - int(np.count_nonzero(counted & (today == s)))
            cand = np.flatnonzero(counted & ok[:, s] & (today < 0)) if short > 0 else ()
            if len(cand):
                order = np.argsort(-(score[cand] + 10.0 * wish[d, cand, s]), kind="stable")
                today[cand[order[:short]]] = s
        must = np.flatnonzero((today < 0) & (obliged | (urgency > _URGENT)) & ok.any(axis=1))
        if must.size:
            _place(today, must, ok, wish[d], lines)
        for p in np.flatnonzero(today >= 0):
            values[int(p), d] = int(today[p])
        walk.commit(d, today)
    return values


def _place(
    today: np.ndarray,
    must: np.ndarray,
    ok: np.ndarray,
    wish: np.ndarray,
    lines: list[tuple[Cover, int, np.ndarray]],
) -> None:
    """Whoever a rule obliges to work, or who runs short of minutes, works the shift that
    costs least: one still short of cover, else the one they wish for."""
    gain = np.zeros(ok.shape[1])
    for c, s, counted in lines:
        have = int(np.count_nonzero(counted & (today == s)))
        gain[s] += c.under_weight if have < c.target else -c.over_weight
    for p in must:
        today[p] = int(np.argmax(np.where(ok[p], gain + wish[p], -np.inf)))


def person_violations(problem: Problem, p: int, values: Values) -> tuple[str, ...]:
    """The hard rules person ``p`` breaks in ``values``, by the independent evaluator."""
    person = problem.staff[p]
    alone = Problem(
        horizon=problem.horizon,
        shifts=problem.shifts,
        staff=(person,),
        fixed=tuple(f for f in problem.fixed if f.staff == person.id),
        first_weekday=problem.first_weekday,
    )
    rows = [
        Assignment(person.id, d, problem.shifts[s].id) for (q, d), s in values.items() if q == p
    ]
    return evaluate(alone, rows).violations


def _residual_cost(problem: Problem, p: int, values: Values) -> np.ndarray:
    """What working each (day, shift) would cost ``p``, with everyone else as in ``values``."""
    horizon, k = problem.horizon, len(problem.shifts)
    s_index = {s.id: i for i, s in enumerate(problem.shifts)}
    person = problem.staff[p]
    on: dict[tuple[int, int], list[int]] = {}
    for (q, d), s in values.items():
        if q != p:
            on.setdefault((d, s), []).append(q)
    cost = np.zeros((horizon, k))
    for c in problem.cover:
        s = s_index.get(c.shift)
        if s is None or not c.counts(person) or not 0 <= c.day < horizon:
            continue
        n = sum(1 for q in on.get((c.day, s), ()) if c.counts(problem.staff[q]))
        cost[c.day, s] += -c.under_weight if n < c.target else c.over_weight
    for r in problem.requests:
        s = s_index.get(r.shift)
        if r.staff == person.id and s is not None and 0 <= r.day < horizon:
            cost[r.day, s] += -r.weight if r.on else r.weight
    return cost


def repair(problem: Problem, p: int, values: Values, limit: float) -> dict[int, int] | None:
    """A legal schedule for ``p`` (day -> shift) from the exact one-person model, the best
    found against the cover the others leave in ``limit`` seconds; None if none was found."""
    cost = _residual_cost(problem, p, values)
    rm = RosterModel(problem, people=[p], soft=False)
    rm.model.minimize(sum(round(100 * cost[d, s]) * v for (_, d, s), v in rm.x.items()))
    for (_, d, s), v in rm.x.items():
        rm.model.add_hint(v, values.get((p, d)) == s)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, limit)
    solver.parameters.num_workers = 1
    status = solver.solve(rm.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return {d: s for (_, d, s), v in rm.x.items() if solver.boolean_value(v)}


def construct(problem: Problem, *, deadline: float) -> Values | None:
    """A legal roster: the greedy walk, each person who breaks a rule given an exact schedule.

    None when some person's exact schedule was not found before ``deadline``.
    """
    started = time.monotonic()
    values = greedy(problem)
    broken = [p for p in range(len(problem.staff)) if person_violations(problem, p, values)]
    logger.debug("greedy t=%.2f people breaking a rule=%d", time.monotonic() - started, len(broken))
    for p in broken:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        # A short solve finds a legal schedule almost always; the longer one is the fallback.
        schedule = repair(problem, p, values, min(0.5, left / 2))
        if schedule is None and deadline - time.monotonic() > 0:
            schedule = repair(problem, p, values, deadline - time.monotonic())
        if schedule is None:
            return None
        for d in range(problem.horizon):
            values.pop((p, d), None)
        for d, s in schedule.items():
            values[p, d] = s
    return values
