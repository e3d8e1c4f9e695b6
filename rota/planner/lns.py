"""Large-neighbourhood search on the compact model, and the CP-SAT helpers it shares.

Each thread repeatedly frees a slice of the incumbent roster (some people, some days, the
people who could fill a cover gap or are behind an unmet wish, or where the roster and the LP
disagree), fixes the rest and re-solves with the incumbent as hint. CP-SAT releases the GIL
while solving, so ``workers`` threads keep ``workers`` cores busy on different slices instead
of one portfolio on one slice. Slice sizes adapt to how often a slice is solved in time.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .model import RosterModel
from .problem import Problem, Progress

OnProgress = Callable[[Progress], None]

logger = logging.getLogger(__name__)


@dataclass
class Incumbent:
    values: dict[tuple[int, int], int]  # (person, day) -> shift index; absent = off
    objective: int


def run_cp(
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


def extract(rm: RosterModel, solver: cp_model.CpSolver) -> dict[tuple[int, int], int]:
    return {(p, d): s for (p, d, s), v in rm.x.items() if solver.boolean_value(v)}


def progress_of(problem: Problem, best: Incumbent, start: float) -> Progress:
    staff, shifts = problem.staff, problem.shifts
    return Progress(
        objective=best.objective,
        elapsed=time.monotonic() - start,
        assignment={(staff[p].id, d): shifts[s].id for (p, d), s in best.values.items()},
    )


class Sizer:
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


class Search:
    """Shared state of the LNS threads; each thread runs single-worker CP-SAT solves.

    CP-SAT releases the GIL while solving, so ``workers`` threads keep ``workers`` cores
    busy on different neighbourhoods instead of one portfolio on one neighbourhood.
    """

    def __init__(
        self,
        problem: Problem,
        rm: RosterModel,
        best: Incumbent,
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
            "staff": Sizer(2, n, max(2.0, min(6.0, n / 5))),
            "days": Sizer(2, horizon, min(horizon, 7.0)),
            "block": Sizer(2, n, max(3.0, n / 3)),
            "cover": Sizer(2, n, max(3.0, n / 4)),
            "lp": Sizer(2, n, max(3.0, n / 3)),
            "wish": Sizer(2, n, max(3.0, n / 4)),
            "gap": Sizer(2, n, max(2.0, min(6.0, n / 5))),
        }
        self.sub_limit = 1.0
        self.pause_at: float | None = None  # monotonic time to hand back, if any

    def done(self) -> bool:
        if self.stop is not None and self.stop.is_set():
            return True
        if self.bound is not None and self.best.objective <= self.bound:
            return True
        if self.pause_at is not None and time.monotonic() >= self.pause_at:
            return True
        return self.remaining() <= 0.2

    def offer(self, best: Incumbent) -> None:
        """Take a roster found elsewhere (a fresh dive) if it is better."""
        with self.lock:
            if best.objective < self.best.objective:
                self.best = best
                self.version += 1

    def neighbourhood(self, kind: str, rng: random.Random, best: Incumbent) -> set:
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
            unmet = unmet_requests(self.requests, best)
            if not unmet:
                return self.neighbourhood("staff", rng, best)
            p, day, s = rng.choice(unmet)
            return self._around(rng, day, s, size, {p})
        gaps = cover_gaps(self.problem, self.rm, best)
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

    def _lp_neighbourhood(self, rng: random.Random, best: Incumbent, size: int) -> set:
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

    def improve(self, workers: int, seed: int) -> Incumbent:
        """Run ``workers`` search threads until time runs out, and return the best roster."""
        threads = [
            threading.Thread(target=self.run, args=(seed * 1000 + i,), daemon=True)
            for i in range(max(1, workers))
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return self.best

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
            solver, status = run_cp(
                sub, limit=limit, workers=1, seed=rng.randrange(1 << 30), stop=self.stop
            )
            with self.lock:
                self.sizers[kind].update(status == cp_model.OPTIMAL)
                if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                    continue
                obj = round(solver.objective_value)
                improved = obj < self.best.objective
                if improved or (obj == self.best.objective and version == self.version):
                    self.best = Incumbent(extract(rm, solver), obj)
                    self.version += 1
                    if improved and self.on_progress is not None:
                        self.on_progress(progress_of(self.problem, self.best, self.start))
                logger.debug(
                    "lns t=%.1f %s size=%d %s %s best=%d wall=%.2f",
                    time.monotonic() - self.start,
                    kind,
                    self.sizers[kind].get(),
                    solver.status_name(status),
                    obj,
                    self.best.objective,
                    solver.wall_time,
                )


def unmet_requests(
    requests: list[tuple[int, int, int, bool]], best: Incumbent
) -> list[tuple[int, int, int]]:
    """Return (person, day, shift index) of every wish the incumbent does not grant."""
    return [(p, d, s) for p, d, s, on in requests if (best.values.get((p, d)) == s) != on]


def cover_gaps(problem: Problem, rm: RosterModel, best: Incumbent) -> list[tuple[int, int]]:
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
