"""Solve a Problem: column generation, LP-guided dives, then large-neighbourhood search.

1. Column generation (``columns.py``) builds the set-partitioning LP, whose bound is
   close to the optimum, and a pool of whole-person schedules.
2. A dive fixes the (person, day) cells the LP agrees on, re-prices, and repeats until
   CP-SAT can settle the last open cells exactly. If time allows, a second dive fixes
   whole schedules instead; the better roster goes on.
3. The remaining time goes to LNS on the compact model: free a slice (some people, some
   days, or the people who could fill a gap in cover), fix the rest to the incumbent and
   re-solve with it as hint, one single-worker CP-SAT per core. Slice sizes adapt.

The search stops early once the incumbent meets the column-generation bound.
"""

from __future__ import annotations

import math
import os
import random
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .columns import ColumnGeneration
from .diagnose import explain_infeasibility
from .evaluate import evaluate
from .model import RosterModel
from .problem import Assignment, Problem, Progress, Solution

OnProgress = Callable[[Progress], None]

_DEBUG = bool(os.environ.get("PLANNER_DEBUG"))
_MARGIN = 0.3  # seconds kept back for building the answer
_CG_SHARE = 0.4
_DIVE_SHARE = 0.6
_SECOND_DIVE = 0.25  # share of the time limit that must be left for a second dive


@dataclass
class _Incumbent:
    values: dict[tuple[int, int], int]  # (person, day) -> shift index; absent = off
    objective: int


def _run(
    model: cp_model.CpModel,
    *,
    limit: float,
    workers: int,
    seed: int,
    stop: threading.Event | None,
) -> tuple[cp_model.CpSolver, int]:
    solver = cp_model.CpSolver()
    prm = solver.parameters
    prm.max_time_in_seconds = max(0.05, limit)
    prm.num_workers = workers
    prm.random_seed = seed
    done = threading.Event()
    watcher = None
    if stop is not None:

        def watch() -> None:
            while not done.is_set():
                if stop.wait(0.05):
                    solver.stop_search()
                    return

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
    status = solver.solve(model)
    done.set()
    if watcher is not None:
        watcher.join()
    return solver, status


def _extract(rm: RosterModel, solver: cp_model.CpSolver) -> dict[tuple[int, int], int]:
    return {(p, d): s for (p, d, s), v in rm.x.items() if solver.boolean_value(v)}


def solve(
    problem: Problem,
    *,
    time_limit: float,
    workers: int = 2,
    on_progress: OnProgress | None = None,
    stop: threading.Event | None = None,
    seed: int = 0,
) -> Solution:
    """Return the best roster found within ``time_limit`` wall-clock seconds.

    ``on_progress(Progress)`` is called on every improvement; setting ``stop``
    ends the search early and returns the best roster so far.
    """
    start = time.monotonic()
    deadline = start + time_limit - _MARGIN

    def remaining() -> float:
        return deadline - time.monotonic()

    def stopped() -> bool:
        return stop is not None and stop.is_set()

    reason = explain_infeasibility(problem, quick=True)
    if reason:
        return Solution(status="infeasible", explanation=reason, seconds=time.monotonic() - start)

    rm = RosterModel(problem)
    best: _Incumbent | None = None
    bound: int | None = None

    def offer(values: dict[tuple[int, int], int]) -> None:
        nonlocal best
        obj = _objective(problem, rm, values)
        if obj is not None and (best is None or obj < best.objective):
            best = _Incumbent(values, obj)
            if on_progress is not None:
                on_progress(_progress(problem, rm, best, start))

    cg = ColumnGeneration(problem, rm)
    cg.run(deadline=start + _CG_SHARE * time_limit, workers=workers, stop=stop)
    if cg.infeasible:
        return Solution(
            status="infeasible",
            explanation=explain_infeasibility(problem)
            or "Some person's rules cannot all hold together.",
            seconds=time.monotonic() - start,
        )
    if cg.lower_bound is not None:
        bound = math.ceil(cg.lower_bound - 1e-6)

    def finish(forced: dict, suggested: dict, seconds: float) -> dict:
        """Solve the cells the dive left open exactly, the forced ones staying fixed."""
        limit = 1.0 if stopped() else max(0.5, min(max(seconds, 0.15 * time_limit), remaining()))
        picked = cg.integer_master(
            limit=limit / 3, workers=workers, hint=suggested, stop=None, run=_run
        )
        guess = picked[0] if picked is not None else suggested
        sub = rm.model.clone()
        for (p, d, s), v in rm.x.items():
            cells = forced.get(p, {})
            if d in cells:
                dom = sub.proto.variables[v.index].domain
                dom[0] = dom[1] = int(cells[d] == s)
            sub.add_hint(v, guess.get((p, d)) == s)
        # No stop event here: a caller who stops early still gets a roster.
        solver, status = _run(sub, limit=2 * limit / 3, workers=workers, seed=seed, stop=None)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return _extract(rm, solver)
        return guess

    cg.started = start
    # Dive even when column generation has not converged: measured better than falling
    # back to the compact model, whose first rosters are far worse at this budget.
    dive_end = start + _DIVE_SHARE * time_limit
    offer(cg.dive(deadline=dive_end, workers=workers, stop=stop, finish=finish))
    if dive_end - time.monotonic() >= _SECOND_DIVE * time_limit and not stopped():
        # Time left over: round again by whole schedules, which suits small teams better.
        offer(cg.dive(deadline=dive_end, workers=workers, stop=stop, finish=finish, by_person=True))
    if best is None and remaining() > 0.5 and not stopped():
        # Fall back to the compact model if column generation ran out of time.
        solver, status = _run(rm.model, limit=remaining(), workers=workers, seed=seed, stop=stop)
        if status == cp_model.INFEASIBLE:
            return Solution(
                status="infeasible",
                explanation=explain_infeasibility(problem)
                or "The rules cannot all be met, but no single person's rules conflict.",
                seconds=time.monotonic() - start,
            )
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            offer(_extract(rm, solver))
    if best is None:
        return Solution(
            status="unknown",
            explanation="No roster found in the time allowed.",
            seconds=time.monotonic() - start,
        )
    if _DEBUG:
        print(
            f"after dive {best.objective} bound={bound} t={time.monotonic() - start:.1f}",
            file=sys.stderr,
        )

    guide = _lp_guide(cg)
    best = _lns(problem, rm, best, bound, guide, remaining, stop, workers, seed, on_progress, start)
    status_name = "optimal" if bound is not None and best.objective <= bound else "feasible"
    return _finish(problem, rm, best, status_name, bound, start)


def _objective(problem: Problem, rm: RosterModel, values: dict[tuple[int, int], int]) -> int | None:
    rows = [Assignment(problem.staff[p].id, d, rm.shift_ids[s]) for (p, d), s in values.items()]
    ev = evaluate(problem, rows)
    return None if ev.violations else ev.objective


def _progress(problem: Problem, rm: RosterModel, best: _Incumbent, start: float) -> Progress:
    staff = problem.staff
    return Progress(
        objective=best.objective,
        elapsed=time.monotonic() - start,
        assignment={(staff[p].id, d): rm.shift_ids[s] for (p, d), s in best.values.items()},
    )


def _finish(
    problem: Problem,
    rm: RosterModel,
    best: _Incumbent,
    status: str,
    bound: int | None,
    start: float,
) -> Solution:
    staff = problem.staff
    assignment = {(staff[p].id, d): rm.shift_ids[s] for (p, d), s in best.values.items()}
    ev = evaluate(problem, [Assignment(p, d, s) for (p, d), s in assignment.items()])
    return Solution(
        status=status,
        assignment=assignment,
        objective=ev.objective,
        bound=bound,
        breakdown=ev.breakdown,
        unmet_requests=ev.unmet_requests,
        uncovered=ev.uncovered,
        explanation="; ".join(ev.violations),
        seconds=time.monotonic() - start,
    )


class _Sizer:
    """Adaptive neighbourhood size in [lo, hi], grown on easy slices, shrunk on hard ones."""

    def __init__(self, lo: float, hi: float, start: float) -> None:
        self.lo, self.hi, self.value = lo, hi, start

    def get(self) -> int:
        return max(int(self.lo), min(int(self.hi), round(self.value)))

    def update(self, solved_fully: bool) -> None:
        if solved_fully:
            self.value = min(self.hi, self.value * 1.1)
        else:
            self.value = max(self.lo, self.value * 0.93)


class _Search:
    """Shared state of the LNS threads; each thread runs single-worker CP-SAT solves.

    CP-SAT releases the GIL while solving, so ``workers`` threads keep ``workers`` cores
    busy on different neighbourhoods instead of one portfolio on one neighbourhood.
    """

    def __init__(
        self,
        problem: Problem,
        rm: RosterModel,
        best: _Incumbent,
        bound: int | None,
        guide: dict[tuple[int, int], int | None],
        remaining: Callable[[], float],
        stop: threading.Event | None,
        on_progress: OnProgress | None,
        start: float,
    ) -> None:
        self.problem, self.rm, self.best, self.bound = problem, rm, best, bound
        self.guide = guide
        p_index = {m.id: i for i, m in enumerate(problem.staff)}
        self.requests = [
            (p_index[r.staff], r.day, rm.s_index[r.shift], r.on)
            for r in problem.requests
            if r.staff in p_index and r.shift in rm.s_index
        ]
        self.remaining, self.stop, self.on_progress, self.start = (
            remaining,
            stop,
            on_progress,
            start,
        )
        self.lock = threading.Lock()
        self.version = 0
        horizon = problem.horizon
        self.people = rm.people
        n = len(self.people)
        self.by_cell: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for (p, d, s), v in rm.x.items():
            self.by_cell.setdefault((p, d), []).append((s, v.index))
        self.can_work = {
            s: [p for p in self.people if any((p, d, s) in rm.x for d in range(horizon))]
            for s in range(len(rm.shift_ids))
        }
        self.sizers = {
            "staff": _Sizer(2, n, max(2.0, min(6.0, n / 5))),
            "days": _Sizer(2, horizon, min(horizon, 7.0)),
            "block": _Sizer(2, n, max(3.0, n / 3)),
            "cover": _Sizer(2, n, max(3.0, n / 4)),
            "lp": _Sizer(2, n, max(3.0, n / 3)),
            "wish": _Sizer(2, n, max(3.0, n / 4)),
            "gap": _Sizer(2, n, max(2.0, min(6.0, n / 5))),
        }
        self.sub_limit = 1.0

    def done(self) -> bool:
        if self.stop is not None and self.stop.is_set():
            return True
        if self.bound is not None and self.best.objective <= self.bound:
            return True
        return self.remaining() <= 0.2

    def neighbourhood(self, kind: str, rng: random.Random, best: _Incumbent) -> set:
        horizon, people = self.problem.horizon, self.people
        n = len(people)
        size = self.sizers[kind].get()
        if kind == "staff":
            chosen = rng.sample(people, min(n, size))
            return {(p, d) for p in chosen for d in range(horizon)}
        if kind == "days":
            a = rng.randrange(0, max(1, horizon - size + 1))
            return {(p, d) for p in people for d in range(a, a + size)}
        if kind == "block":
            length = rng.randint(min(7, horizon), min(14, horizon))
            a = rng.randrange(0, max(1, horizon - length + 1))
            chosen = rng.sample(people, min(n, size))
            return {(p, d) for p in chosen for d in range(a, a + length)}
        if kind == "lp":
            return self._lp_neighbourhood(rng, best, size)
        if kind == "wish":
            unmet = _unmet_requests(self.requests, best)
            if not unmet:
                return self.neighbourhood("staff", rng, best)
            p, day, s = rng.choice(unmet)
            return self._around(rng, day, s, size, {p})
        gaps = _cover_gaps(self.problem, self.rm, best)
        if not gaps:
            return self.neighbourhood("staff", rng, best)
        day, s = rng.choice(gaps)
        if kind == "gap":
            # Whole schedules: a person's total hours tie a new shift to one dropped far away.
            pool = [p for p in self.can_work[s] if (p, day) not in best.values] or people
            chosen = set(rng.sample(pool, min(len(pool), max(1, size - 1))))
            chosen.add(rng.choice(people))
            return {(p, d) for p in chosen for d in range(horizon)}
        return self._around(rng, day, s, size, set())

    def _around(self, rng: random.Random, day: int, s: int, size: int, chosen: set) -> set:
        """Free some people who can work shift ``s``, and a few others, for days near ``day``."""
        people, horizon = self.people, self.problem.horizon
        pool = self.can_work[s] or people
        chosen = chosen | set(rng.sample(pool, min(len(pool), size)))
        chosen.update(rng.sample(people, min(len(people), max(1, size // 4))))
        half = rng.randint(3, 7)
        lo, hi = max(0, day - half), min(horizon, day + half + 1)
        return {(p, d) for p in chosen for d in range(lo, hi)}

    def _lp_neighbourhood(self, rng: random.Random, best: _Incumbent, size: int) -> set:
        """Free where the roster and the LP disagree (RINS): the LP knows where to look."""
        horizon = self.problem.horizon
        doubt: dict[int, list[int]] = {}
        for p in self.people:
            for d in range(horizon):
                if (p, d) not in self.guide or self.guide[p, d] != best.values.get((p, d)):
                    doubt.setdefault(p, []).append(d)
        if not doubt:
            return self.neighbourhood("staff", rng, best)
        chosen = rng.sample(sorted(doubt), min(len(doubt), size))
        return {
            (p, e) for p in chosen for d in doubt[p] for e in (d - 1, d, d + 1) if 0 <= e < horizon
        }

    def run(self, seed: int) -> None:
        rng = random.Random(seed)  # noqa: S311 - search randomness, not secrets
        kinds = list(self.sizers)
        rm = self.rm
        while not self.done():
            with self.lock:
                best, version = self.best, self.version
                kind = rng.choice(kinds)
                free = self.neighbourhood(kind, rng, best)
            sub = rm.model.clone()
            proto = sub.proto
            for cell, entries in self.by_cell.items():
                if cell in free:
                    continue
                chosen = best.values.get(cell)
                for s, idx in entries:
                    dom = proto.variables[idx].domain
                    dom[0] = dom[1] = 1 if s == chosen else 0
            for (p, d, s), v in rm.x.items():
                if (p, d) in free:
                    sub.add_hint(v, best.values.get((p, d)) == s)
            limit = min(self.sub_limit, self.remaining())
            if limit <= 0.05:
                break
            solver, status = _run(
                sub, limit=limit, workers=1, seed=rng.randrange(1 << 30), stop=self.stop
            )
            with self.lock:
                self.sizers[kind].update(status == cp_model.OPTIMAL)
                if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                    continue
                obj = round(solver.objective_value)
                improved = obj < self.best.objective
                if improved or (obj == self.best.objective and version == self.version):
                    self.best = _Incumbent(_extract(rm, solver), obj)
                    self.version += 1
                    if improved and self.on_progress is not None:
                        self.on_progress(_progress(self.problem, rm, self.best, self.start))
                if _DEBUG:
                    print(
                        f"  {time.monotonic() - self.start:5.1f} {kind:6} "
                        f"size={self.sizers[kind].get():3} {solver.status_name(status):8} "
                        f"{obj} best={self.best.objective} wall={solver.wall_time:.2f}",
                        file=sys.stderr,
                    )


def _lp_guide(cg: ColumnGeneration) -> dict[tuple[int, int], int | None]:
    """Return the LP's confident choice (shift index, or None = off) for each (person, day)."""
    x, work = cg.lp_cells()
    guide: dict[tuple[int, int], int | None] = {}
    for p in range(cg.n):
        for d in range(cg.problem.horizon):
            if work.get((p, d), 0.0) <= 0.1:
                guide[p, d] = None
    for (p, d, s), v in x.items():
        if v >= 0.9:
            guide[p, d] = s
    return guide


def _lns(
    problem: Problem,
    rm: RosterModel,
    best: _Incumbent,
    bound: int | None,
    guide: dict[tuple[int, int], int | None],
    remaining: Callable[[], float],
    stop: threading.Event | None,
    workers: int,
    seed: int,
    on_progress: OnProgress | None,
    start: float,
) -> _Incumbent:
    search = _Search(problem, rm, best, bound, guide, remaining, stop, on_progress, start)
    threads = [
        threading.Thread(target=search.run, args=(seed * 1000 + i,), daemon=True)
        for i in range(max(1, workers))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return search.best


def _unmet_requests(
    requests: list[tuple[int, int, int, bool]], best: _Incumbent
) -> list[tuple[int, int, int]]:
    """Return (person, day, shift index) of every wish the incumbent does not grant."""
    return [(p, d, s) for p, d, s, on in requests if (best.values.get((p, d)) == s) != on]


def _cover_gaps(problem: Problem, rm: RosterModel, best: _Incumbent) -> list[tuple[int, int]]:
    """Return the (day, shift index) of every cover line the incumbent misses."""
    working: dict[tuple[int, int], list[int]] = {}
    for (p, d), s in best.values.items():
        working.setdefault((d, s), []).append(p)
    gaps = []
    for c in problem.cover:
        s = rm.s_index.get(c.shift)
        if s is None:
            continue
        n = sum(1 for p in working.get((c.day, s), ()) if c.counts(problem.staff[p]))
        if n != c.target and (n < c.target or c.over_weight):
            gaps.append((c.day, s))
    return gaps
