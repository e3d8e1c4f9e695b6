"""Exact pricing of one person's schedule by dynamic programming over the days.

Column generation and the dives price every open person again and again (a dive on a
30-person instance prices about 1,300 times). A small CP-SAT model per call took 14-27 ms,
most of it search; this forward DP over (block, minutes, weekends, shift-type counts) takes
a few milliseconds, so a run holds several more dives (docs/benchmarks.md).

The state carries every rule of ``model.py`` for one person: allowed cells (skills, days
off, published and forced shifts), forbidden successions, min/max block lengths with the
horizon's edges exempt from the minimums, min/max minutes and the weekend limit. A limit on
one shift type's count is carried while the state stays small; a limit left out is checked
on the schedules found, and the DP's value stays a valid lower bound either way. When the
best schedule breaks a limit left out, ``solve`` says so and the caller prices with CP-SAT.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from .problem import Problem

Schedule = tuple[tuple[int, int], ...]  # sorted (day, shift index) pairs worked
_STATES = 40_000  # largest state space per day before shift-type limits are left out
_LARGEST = 400_000  # past this (minutes in fine units, say) the DP is slower than CP-SAT
_TRACE = 16_000_000  # most back-pointers kept (4 bytes each), for long horizons


@dataclass(frozen=True)
class Priced:
    schedules: list[Schedule]  # the best schedules, best first, every rule checked
    bound: float  # min over all legal schedules of the summed cell costs
    exact: bool  # False: the best schedule broke a limit left out of the state


class PersonPricer:
    """The static part of one person's pricing problem, built once."""

    def __init__(self, problem: Problem, p: int, cells: set[tuple[int, int]]) -> None:
        """``cells``: the (day, shift index) pairs ``p`` may work at all."""
        person = problem.staff[p]
        horizon, n_shifts = problem.horizon, len(problem.shifts)
        self.horizon, self.n_shifts = horizon, n_shifts
        s_index = {s.id: i for i, s in enumerate(problem.shifts)}
        self.allowed = np.zeros((horizon, n_shifts), dtype=np.bool_)
        for d, s in cells:
            self.allowed[d, s] = True
        self.off_ok = np.ones(horizon, dtype=np.bool_)
        for f in problem.fixed:
            if f.staff == person.id and f.shift in s_index:
                self.allowed[f.day, :] = False
                self.allowed[f.day, s_index[f.shift]] = True
                self.off_ok[f.day] = False
        self.next_ok = np.ones((n_shifts, n_shifts), dtype=np.bool_)
        for s, st in enumerate(problem.shifts):
            for t in st.forbidden_next:
                if t in s_index:
                    self.next_ok[s, s_index[t]] = False

        minutes = [st.minutes for st in problem.shifts]
        unit = math.gcd(*minutes) or 1
        self.length = np.array([m // unit for m in minutes], dtype=np.int64)
        self.min_u = math.ceil(person.min_minutes / unit)
        if person.max_minutes is not None:
            self.has_max, self.max_u = True, person.max_minutes // unit
            n_minutes = self.max_u + 1
        else:
            self.has_max, self.max_u = False, 0
            n_minutes = self.min_u + 1  # counted up to the minimum, then "enough"

        self.wk_id = np.full(horizon, -1, dtype=np.int64)
        self.wk_cont = np.zeros(horizon, dtype=np.bool_)
        weekends = problem.weekends()
        for i, days in enumerate(weekends):
            for j, d in enumerate(days):
                self.wk_id[d] = i
                self.wk_cont[d] = j > 0
        limit = person.max_weekends
        self.max_wk = limit if limit is not None and len(weekends) > limit else -1
        n_wk = self.max_wk + 1 if self.max_wk >= 0 else 1

        self.min_on = max(1, person.min_consecutive)
        k = person.max_consecutive
        self.has_max_on = k is not None and k < horizon
        self.run_cap = k if self.has_max_on else self.min_on
        self.min_off = max(1, person.min_days_off)
        n_blocks = 2 * self.min_off + 2 * n_shifts * self.run_cap

        # Shift-type limits that can bind, the tightest first, while the state stays small.
        most = self.max_u // int(self.length.min()) if self.has_max else horizon
        limits = []
        for sid, cap in person.max_shifts.items():
            s = s_index.get(sid)
            if s is not None and 0 < cap < min(int(self.allowed[:, s].sum()), most):
                limits.append((cap, s))
        self.cap = np.full(n_shifts, -1, dtype=np.int64)
        self.stride = np.zeros(n_shifts, dtype=np.int64)
        self.checked: list[tuple[int, int]] = []  # (shift, limit) left out of the state
        n_caps = 1  # the counts of the carried limits, in mixed radix
        for cap, s in sorted(limits):
            if n_blocks * n_minutes * n_wk * n_caps * (cap + 1) <= _STATES:
                self.cap[s], self.stride[s] = cap, n_caps
                n_caps *= cap + 1
            else:
                self.checked.append((s, cap))
        self.dims = (n_blocks, n_minutes, n_wk, n_caps)
        size = n_blocks * n_minutes * n_wk * n_caps
        self.usable = size <= _LARGEST and size * horizon <= _TRACE
        if self.usable:
            minutes_of_state = (np.arange(size) // (n_wk * n_caps)) % n_minutes
            self.too_short = minutes_of_state < self.min_u

    def solve(
        self, cost: np.ndarray, forced: dict[int, int | None] | None = None, best: int = 5
    ) -> Priced | None:
        """Price at ``cost[d, s]`` (the cost of working shift s on day d); None: infeasible."""
        allowed, off_ok = self.allowed, self.off_ok
        if forced:
            allowed, off_ok = allowed.copy(), off_ok.copy()
            for d, s in forced.items():
                allowed[d, :] = False
                off_ok[d] = s is None
                if s is not None:
                    allowed[d, s] = True
        n_blocks, n_minutes, n_wk, n_caps = self.dims
        final, parent = _compiled()(
            np.ascontiguousarray(cost, dtype=np.float64),
            allowed,
            off_ok,
            self.next_ok,
            self.length,
            self.has_max,
            self.max_u,
            self.wk_id,
            self.wk_cont,
            self.max_wk,
            self.cap,
            self.stride,
            self.min_on,
            self.run_cap,
            self.has_max_on,
            self.min_off,
            n_blocks,
            n_minutes,
            n_wk,
            n_caps,
        )
        final[self.too_short] = np.inf
        top = min(4 * best, final.size)
        order = np.argpartition(final, top - 1)[:top]
        order = order[np.argsort(final[order], kind="stable")]
        if not np.isfinite(final[order[0]]):
            return None
        bound = float(final[order[0]])
        found: list[Schedule] = []
        exact = True
        for rank, state in enumerate(order):
            if not np.isfinite(final[state]) or len(found) >= best:
                break
            sched = self._trace(int(state), parent, n_wk * n_caps * n_minutes)
            if self._within_limits(sched):
                found.append(sched)
            elif rank == 0:
                exact = False
        return Priced(found, bound, exact)

    def _trace(self, state: int, parent: np.ndarray, per_block: int) -> Schedule:
        worked = []
        for d in range(self.horizon - 1, -1, -1):
            b = state // per_block
            if b >= 2 * self.min_off:
                worked.append((d, (b - 2 * self.min_off) // (2 * self.run_cap)))
            state = int(parent[d, state])
        return tuple(sorted(worked))

    def _within_limits(self, sched: Schedule) -> bool:
        return all(sum(1 for _, t in sched if t == s) <= cap for s, cap in self.checked)


@functools.cache
def _compiled():
    """``_forward`` compiled, on first use: importing numba costs every Django process about
    a second, and only the planner needs it. The machine code is cached on disk."""
    from numba import njit

    return njit(cache=True, nogil=True)(_forward)


def _forward(
    cost,
    allowed,
    off_ok,
    next_ok,
    length,
    has_max,
    max_u,
    wk_id,
    wk_cont,
    max_wk,
    cap,
    stride,
    min_on,
    run_cap,
    has_max_on,
    min_off,
    n_blocks,
    n_minutes,
    n_wk,
    n_caps,
):
    """Best cost to reach each state after each day, and the state before it."""
    horizon, n_shifts = cost.shape
    per_m = n_wk * n_caps
    per_b = n_minutes * per_m
    size = n_blocks * per_b
    parent = np.empty((horizon, size), dtype=np.int32)  # read only along reached paths
    now = np.full(size, np.inf)
    nxt = np.empty(size)
    for d in range(horizon):
        nxt[:] = np.inf
        starts = 1 if d == 0 else size
        for i in range(starts):
            if d == 0:
                val, b, m, w, c = 0.0, -1, 0, 0, 0
            else:
                val = now[i]
                if val == np.inf:
                    continue
                b = i // per_b
                m = (i // per_m) % n_minutes
                w = (i // n_caps) % n_wk
                c = i % n_caps
            # The block the day before: -1 none (day 0), else off or a shift, run, edge.
            if b < 0:
                prev_s, run, edge = -2, 0, 1
            elif b < 2 * min_off:
                prev_s, run, edge = -1, b % min_off + 1, b // min_off
            else:
                r = b - 2 * min_off
                edge = r % 2
                run = (r // 2) % run_cap + 1
                prev_s = r // (2 * run_cap)
            if off_ok[d] and (prev_s < 0 or run >= min_on or edge == 1):
                if prev_s == -1:
                    k, e = min(run + 1, min_off), edge
                else:  # a new off block; on day 0 it touches the horizon's start
                    k, e = 1, int(d == 0)
                if k >= min_off:
                    e = 0
                j = ((k - 1 + min_off * e) * n_minutes + m) * per_m + w * n_caps + c
                if val < nxt[j]:
                    nxt[j] = val
                    parent[d, j] = i
            if prev_s == -1 and run < min_off and edge == 0:
                continue
            for t in range(n_shifts):
                if not allowed[d, t]:
                    continue
                if prev_s >= 0:
                    if not next_ok[prev_s, t]:
                        continue
                    k = run + 1
                    if k > run_cap:
                        if has_max_on:
                            continue
                        k = run_cap
                    e = edge
                else:
                    k, e = 1, int(d == 0)
                if k >= min_on:
                    e = 0
                m2 = m + length[t]
                if has_max:
                    if m2 > max_u:
                        continue
                elif m2 >= n_minutes:
                    m2 = n_minutes - 1
                w2 = w
                if max_wk >= 0 and wk_id[d] >= 0 and not (wk_cont[d] and prev_s >= 0):
                    w2 = w + 1
                    if w2 > max_wk:
                        continue
                c2 = c
                if cap[t] >= 0:
                    if (c // stride[t]) % (cap[t] + 1) >= cap[t]:
                        continue
                    c2 = c + stride[t]
                b2 = 2 * min_off + (t * run_cap + k - 1) * 2 + e
                j = (b2 * n_minutes + m2) * per_m + w2 * n_caps + c2
                v = val + cost[d, t]
                if v < nxt[j]:
                    nxt[j] = v
                    parent[d, j] = i
        now, nxt = nxt, now
    return now, parent
