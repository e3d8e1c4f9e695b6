"""Pricing by windows of days, for horizons too long for the whole-horizon DP.

Over 182 or 364 days a person's minutes alone give the DP hundreds of thousands of states a
day, so ``pricing.py`` cannot hold their back-pointers. A window of a few weeks can be priced
exactly with the rest of that person's schedule kept as it is: the DP runs over the window plus
enough context around it that every block the window can touch is seen whole, with the
person's limits reduced by what the schedule outside already uses.

The context runs from the day before the block that ends just before the window to the day
after the block that starts just after it (only the minimum's worth of a long block of days
off), widened to whole weeks so that no weekend is split. A block cut by the context's edge is
then either one the window cannot change, legal in the whole schedule and judged more leniently
at the edge, or one already long enough for its minimum whatever the window does. Inside, every
rule holds exactly as in ``model.py``, so the best window schedule is the best of all legal
schedules that agree with the rest (``tests/rota/test_windows.py`` checks it against brute
force).

``WindowSearch`` uses this as an improvement step for long horizons: re-price one person over
one window against the cover everyone else leaves, keep the change when it lowers the cost.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from .pricing import PersonPricer
from .problem import Assignment, Problem

logger = logging.getLogger(__name__)

Schedule = dict[int, int]  # day -> shift index; absent = off
_MOST_CONTEXT = 56  # a window whose context would be longer than this is not priced
_OFFER = 4  # shift types a search step offers a window besides those around it


def _reach(problem: Problem, p: int, schedule: Schedule, day: int, step: int) -> int:
    """How far, going by ``step`` from ``day``, the context must reach.

    To the day beyond the block holding ``day``, or, for a block longer than its rules can
    notice (more days off than the minimum, more working days than the minimum when there is
    no maximum), only as far as that.
    """
    person, horizon = problem.staff[p], problem.horizon
    kind = day in schedule
    if kind:
        limit = person.max_consecutive or max(1, person.min_consecutive)
    else:
        limit = max(1, person.min_days_off)
    seen = 1
    while 0 <= day + step < horizon and ((day + step) in schedule) == kind:
        if seen >= limit:
            return day
        day += step
        seen += 1
    return min(horizon - 1, max(0, day + step))


def context(problem: Problem, p: int, schedule: Schedule, a: int, b: int) -> tuple[int, int]:
    """The days [lo, hi) to price when days [a, b) of ``p``'s schedule may change."""
    horizon, first = problem.horizon, problem.first_weekday
    lo = _reach(problem, p, schedule, a - 1, -1) if a > 0 else 0
    while lo > 0 and (lo + first) % 7:
        lo -= 1
    hi = _reach(problem, p, schedule, b, 1) + 1 if b < horizon else horizon
    while hi < horizon and (hi + first) % 7:
        hi += 1
    return lo, hi


def price_window(
    problem: Problem,
    p: int,
    schedule: Schedule,
    a: int,
    b: int,
    cost: np.ndarray,
    offer: set[int] | None = None,
) -> tuple[Schedule, float] | None:
    """The best legal schedule of ``p`` on days [a, b), the rest as in ``schedule``.

    ``cost[d - a, s]`` is the cost of working shift s on day d. ``offer`` limits the shift
    types the window may use to these and those the schedule already has around it (the DP's
    state grows with the number of types); the result is then the best among those. Returns
    the window's days (day -> shift) and their cost; None when the window cannot be priced
    (its context is too long or its state space too large) or no legal schedule agrees.
    """
    person = problem.staff[p]
    lo, hi = context(problem, p, schedule, a, b)
    if hi - lo > (b - a) + _MOST_CONTEXT:
        return None
    outside = {d: s for d, s in schedule.items() if not lo <= d < hi}
    kept = list(range(len(problem.shifts)))
    if offer is not None:
        s_global = {st.id: i for i, st in enumerate(problem.shifts)}
        kept = sorted(
            offer
            | {s for d, s in schedule.items() if lo <= d < hi}
            | {s_global[f.shift] for f in problem.fixed if f.staff == person.id}
        )
    shifts = tuple(problem.shifts[i] for i in kept)
    local_of = {g: i for i, g in enumerate(kept)}
    used = sum(problem.shifts[s].minutes for s in outside.values())
    counts: dict[str, int] = {}
    for s in outside.values():
        sid = problem.shifts[s].id
        counts[sid] = counts.get(sid, 0) + 1
    weekends_out = sum(
        any(d in outside for d in days) for days in problem.weekends() if not lo <= days[0] < hi
    )
    allowed = [st.id for st in shifts if person.may_work(st.id)]
    longest = max((st.minutes for st in shifts if st.id in allowed), default=0)
    max_minutes = None if person.max_minutes is None else person.max_minutes - used
    if max_minutes is not None and max_minutes >= (hi - lo) * longest:
        max_minutes = None  # cannot bind inside: leave it out of the state
    max_weekends = None if person.max_weekends is None else person.max_weekends - weekends_out
    if (max_minutes is not None and max_minutes < 0) or (max_weekends or 0) < 0:
        return None
    local = replace(
        person,
        max_shifts={sid: n - counts.get(sid, 0) for sid, n in person.max_shifts.items()},
        min_minutes=max(0, person.min_minutes - used),
        max_minutes=max_minutes,
        max_weekends=max_weekends,
        days_off=frozenset(d - lo for d in person.days_off if lo <= d < hi),
    )
    if any(n < 0 for n in local.max_shifts.values()):
        return None
    fixed = tuple(
        Assignment(person.id, f.day - lo, f.shift)
        for f in problem.fixed
        if f.staff == person.id and lo <= f.day < hi
    )
    sub = Problem(
        horizon=hi - lo,
        shifts=shifts,
        staff=(local,),
        fixed=fixed,
        first_weekday=(problem.first_weekday + lo) % 7,
    )
    s_index = {st.id: i for i, st in enumerate(shifts)}
    cells = {
        (d, s)
        for d in range(hi - lo)
        for s, st in enumerate(shifts)
        if local.may_work(st.id) and d not in local.days_off
    }
    cells |= {(f.day, s_index[f.shift]) for f in fixed}
    pricer = PersonPricer(sub, 0, cells)
    if not pricer.usable:
        return None
    full = np.zeros((hi - lo, len(shifts)))
    full[a - lo : b - lo] = cost[:, kept]
    forced: dict[int, int | None] = {}
    for d in (*range(lo, a), *range(b, hi)):
        s = schedule.get(d)
        forced[d - lo] = None if s is None else local_of[s]
    priced = pricer.solve(full, forced, best=1)
    if priced is None or not priced.schedules:
        return None
    window = {d + lo: kept[s] for d, s in priced.schedules[0] if a <= d + lo < b}
    return window, float(sum(cost[d - a, s] for d, s in window.items()))


class WindowSearch:
    """Re-price one person over one window at a time against the cover the others leave.

    Every accepted step keeps each person legal (``price_window`` is exact) and lowers the
    objective by exactly the change in the window's cell costs, which is tracked without
    re-scoring the roster.
    """

    def __init__(self, problem: Problem, values: dict[tuple[int, int], int], objective: int):
        self.problem = problem
        self.n, self.k, self.horizon = len(problem.staff), len(problem.shifts), problem.horizon
        self.schedules: list[Schedule] = [{} for _ in range(self.n)]
        for (p, d), s in values.items():
            self.schedules[p][d] = s
        self.objective = objective
        s_index = {s.id: i for i, s in enumerate(problem.shifts)}
        p_index = {s.id: i for i, s in enumerate(problem.staff)}
        self.lines = [c for c in problem.cover if c.shift in s_index and 0 <= c.day < self.horizon]
        self.line_at: dict[tuple[int, int], list[int]] = {}
        self.counted = np.zeros((len(self.lines), self.n), dtype=np.bool_)
        self.have = np.zeros(len(self.lines), dtype=np.int64)
        for i, c in enumerate(self.lines):
            s = s_index[c.shift]
            self.line_at.setdefault((c.day, s), []).append(i)
            self.counted[i] = [c.counts(q) for q in problem.staff]
            self.have[i] = sum(
                1 for p in range(self.n) if self.schedules[p].get(c.day) == s and self.counted[i, p]
            )
        self.wish: list[dict[tuple[int, int], float]] = [{} for _ in range(self.n)]
        for r in problem.requests:
            p, s = p_index.get(r.staff), s_index.get(r.shift)
            if p is not None and s is not None:
                key = (r.day, s)
                self.wish[p][key] = self.wish[p].get(key, 0) + (-r.weight if r.on else r.weight)

    def cost(self, p: int, a: int, b: int) -> np.ndarray:
        """What each cell of days [a, b) costs ``p``, the others as they are."""
        cost = np.zeros((b - a, self.k))
        mine = self.schedules[p]
        for d in range(a, b):
            for s in range(self.k):
                for i in self.line_at.get((d, s), ()):
                    if not self.counted[i, p]:
                        continue
                    c = self.lines[i]
                    others = self.have[i] - (mine.get(d) == s)
                    cost[d - a, s] += -c.under_weight if others < c.target else c.over_weight
        for (d, s), w in self.wish[p].items():
            if a <= d < b:
                cost[d - a, s] += w
        return cost

    def step(self, p: int, a: int, b: int) -> bool:
        """Re-price ``p`` on days [a, b); True when the roster got cheaper.

        Only the few shift types the cover pays most for are offered, besides those the
        schedule has around the window: with 32 types the DP's state would be eight times
        larger, for types nobody needs there.
        """
        cost = self.cost(p, a, b)
        # The types this person is paid to work in the window, the best few only.
        gain = cost.min(axis=0)
        offer = {int(s) for s in np.argsort(gain)[:_OFFER] if gain[s] < 0}
        found = price_window(self.problem, p, self.schedules[p], a, b, cost, offer)
        if found is None:
            return False
        window, value = found
        mine = self.schedules[p]
        old = sum(cost[d - a, s] for d, s in mine.items() if a <= d < b)
        if value >= old - 1e-9:
            return False
        for d in range(a, b):
            s = mine.pop(d, None)
            if s is not None:
                for i in self.line_at.get((d, s), ()):
                    self.have[i] -= self.counted[i, p]
        for d, s in window.items():
            mine[d] = s
            for i in self.line_at.get((d, s), ()):
                self.have[i] += self.counted[i, p]
        self.objective += round(value - old)
        return True

    def values(self) -> dict[tuple[int, int], int]:
        return {(p, d): s for p, sched in enumerate(self.schedules) for d, s in sched.items()}

    def run(
        self,
        *,
        deadline: float,
        stop: threading.Event | None,
        report: Callable[[dict[tuple[int, int], int]], None],
        seed: int = 0,
        every: float = 1.0,
        patience: int | None = None,
    ) -> None:
        """Step until ``deadline`` or ``stop`` (or ``patience`` steps in a row without a gain),
        handing ``report`` the roster at most every ``every`` seconds after an improvement,
        and once more at the end."""
        rng = random.Random(seed)  # noqa: S311 - search randomness, not secrets
        last, dirty = time.monotonic(), False
        steps = better = idle = 0
        while time.monotonic() < deadline and not (stop is not None and stop.is_set()):
            if patience is not None and idle >= patience:
                break
            length = min(self.horizon, rng.choice((7, 14, 21)))
            a = rng.randrange(0, self.horizon - length + 1)
            if self.step(rng.randrange(self.n), a, a + length):
                better += 1
                dirty, idle = True, 0
            else:
                idle += 1
            steps += 1
            if dirty and time.monotonic() - last >= every:
                began = time.monotonic()
                report(self.values())
                last, dirty = time.monotonic(), False
                # Scoring a year's roster takes a while on a busy machine: report less often
                # than it would cost, so most of the time still goes to the search.
                every = max(every, 4 * (last - began))
        if dirty:
            report(self.values())
        logger.debug("windows steps=%d better=%d objective=%d", steps, better, self.objective)
