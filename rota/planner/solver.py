"""Solve a Problem: a legal roster first, then column generation, LP-guided dives and
large-neighbourhood search.

0. A greedy cover-first construction (``construct.py``) gives a legal roster within seconds at
   any size; it is the first progress step and the incumbent, so a stop or a time-out at any
   later moment returns at least it. On instances larger or longer than any published one
   (people x shift types x days, or over 28 days) a portfolio takes over from it: re-pricing
   one person over a few weeks at a time (``windows.py``) while it gains, then CP-SAT on the
   whole compact model started from the best roster (``compact.py``) where that model fits;
   past that size the windows keep the whole time. The published sizes go on as follows.
1. Column generation (``columns.py``) builds the set-partitioning LP, whose bound is
   close to the optimum, and a pool of whole-person schedules.
2. Dives (``dives.py``) round the LP into rosters: first by cells, with CP-SAT settling the
   last open cells; then, if time allows, by people, one whole schedule at a time.
3. The remaining time goes to large-neighbourhood search on the compact model (``lns.py``).
   LNS only polishes a roster; while it stays far from the bound, short LNS rounds alternate
   with fresh dives by people from the same LP.

The search stops early once the incumbent meets the column-generation bound.
"""

from __future__ import annotations

import logging
import math
import random
import threading
import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from . import compact, dives
from .columns import ColumnGeneration
from .construct import construct
from .diagnose import explain_infeasibility
from .evaluate import evaluate
from .lns import Incumbent, OnProgress, Search, extract, progress_of, run_cp
from .model import RosterModel
from .problem import Assignment, Problem, Solution
from .windows import WindowSearch

logger = logging.getLogger(__name__)

_MARGIN = 0.3  # seconds kept back for building the answer
_CG_SHARE = 0.4
_DIVE_SHARE = 0.6
_SECOND_DIVE = 0.25  # share of the time limit that must be left for a second dive
_DIVE_OWN = 0.35  # share of the time limit the first dives keep after column generation
_RESTART = 0.25  # share of the time limit a fresh dive needs
_LNS_ROUND = 0.05  # share of the time limit LNS gets before a fresh dive, when far off
_FAR = 0.1  # gap to the bound, in dearest uncovered shifts, that calls for a fresh dive
_FIRST = 0.5  # share of the time limit the first legal roster may take at most
_LARGE = 60 * 10 * 28  # people x shift types x days of the largest published instance
_PUBLISHED_DAYS = 28  # the longest published instance
_PATIENCE = 10  # steps per person without a gain after which that polish stops


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

    best: Incumbent | None = None
    bound: int | None = None

    def offer(values: dict[tuple[int, int], int]) -> None:
        nonlocal best
        obj = _objective(problem, values)
        if obj is not None and (best is None or obj < best.objective):
            best = Incumbent(values, obj)
            if on_progress is not None:
                on_progress(progress_of(problem, best, start))

    first = construct(problem, deadline=start + max(1.0, _FIRST * time_limit))
    scoring = 0.0  # how long scoring one roster took: the last report must fit in the time
    if first is not None:
        began = time.monotonic()
        offer(first)
        scoring = time.monotonic() - began
        logger.debug("first roster %s t=%.1f", best and best.objective, time.monotonic() - start)
    if best is not None and (stopped() or remaining() <= 0):
        return _finish(problem, best, None, start)
    size = len(problem.staff) * len(problem.shifts) * problem.horizon
    if best is not None and (size > _LARGE or problem.horizon > _PUBLISHED_DAYS):
        _portfolio(problem, best, deadline - scoring, workers, stop, offer, seed)
        return _finish(problem, best, None, start)
    rm = RosterModel(problem)
    cg = ColumnGeneration(problem, rm)
    if best is not None:
        cg.add_roster(best.values)  # the master starts from a roster, not from slack alone
    # Column generation and the first dives share what the steps before left, as they
    # shared the whole time before those steps existed.
    begun = time.monotonic()
    span = deadline + _MARGIN - begun
    cg.run(deadline=begun + _CG_SHARE * span, workers=workers, stop=stop)
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
            limit=limit / 3, workers=workers, hint=suggested, stop=None, run=run_cp
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
        solver, status = run_cp(sub, limit=2 * limit / 3, workers=workers, seed=seed, stop=None)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return extract(rm, solver)
        return guess

    cg.started = start
    # Dive even when column generation has not converged: measured better than falling
    # back to the compact model, whose first rosters are far worse at this budget.
    # A slow column generation leaves the dive its own share of the time, since LNS cannot
    # make up for a dive cut short.
    dive_end = min(deadline, max(begun + _DIVE_SHARE * span, time.monotonic() + _DIVE_OWN * span))
    jitter = random.Random(seed)  # noqa: S311 - search randomness, not secrets
    people_dives = 0

    def dive(by_person: bool, deadline: float) -> None:
        nonlocal people_dives
        how = {"deadline": deadline, "workers": workers, "stop": stop, "finish": finish}
        if by_person:
            # A repeated dive by people differs from the last by a jitter in who goes first.
            values = dives.by_people(cg, **how, rng=jitter if people_dives else None)
            people_dives += 1
        else:
            values = dives.by_cells(cg, **how)
        obj = _objective(problem, values)
        logger.debug("dive person=%s %s t=%.1f", by_person, obj, time.monotonic() - start)
        offer(values)

    dive(False, dive_end)
    if dive_end - time.monotonic() >= _SECOND_DIVE * time_limit and not stopped():
        # Time left over: round again by whole schedules, the scarce cover first.
        dive(True, dive_end)
    if best is None and remaining() > 0.5 and not stopped():
        # Fall back to the compact model if column generation ran out of time.
        solver, status = run_cp(rm.model, limit=remaining(), workers=workers, seed=seed, stop=stop)
        if status == cp_model.INFEASIBLE:
            return Solution(
                status="infeasible",
                explanation=explain_infeasibility(problem)
                or "The rules cannot all be met, but no single person's rules conflict.",
                seconds=time.monotonic() - start,
            )
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            offer(extract(rm, solver))
    if best is not None and (stopped() or remaining() <= 0.5):
        return _finish(problem, best, bound, start)
    if best is None:
        return Solution(
            status="unknown",
            explanation="No roster found in the time allowed.",
            seconds=time.monotonic() - start,
        )
    logger.debug("after dive %d bound=%s t=%.1f", best.objective, bound, time.monotonic() - start)

    guide = _lp_guide(cg)
    search = Search(problem, rm, best, bound, guide, remaining, stop, on_progress, start)

    def far() -> bool:
        """The roster is a tenth of an uncovered shift or more above the bound, time is left."""
        gap = search.best.objective - bound if bound is not None else 0
        return gap >= _FAR * cg.worst and remaining() >= _RESTART * time_limit and not stopped()

    # LNS polishes a roster but cannot cross to another basin (docs/benchmarks.md): while
    # the roster stays far from the bound, alternate short LNS rounds with fresh dives.
    while True:
        again = far()
        search.pause_at = time.monotonic() + _LNS_ROUND * time_limit if again else None
        best = search.improve(workers, seed)
        if not again:
            break
        if far():
            cg.started = time.monotonic()
            # By people: it runs to the end without CP-SAT, and its jitter makes each dive
            # a new one; fresh cell dives did worse (docs/decisions.md).
            dive(True, time.monotonic() + min(remaining() - 2.0, _RESTART * time_limit))
            search.offer(best)
    return _finish(problem, best, bound, start)


def _portfolio(
    problem: Problem,
    first: Incumbent,
    deadline: float,
    workers: int,
    stop: threading.Event | None,
    offer: Callable[[dict[tuple[int, int], int]], None],
    seed: int,
) -> None:
    """Improve the first roster of an instance unlike the published ones.

    Window re-pricing gains fast from the greedy roster and works at any size, so it runs
    first; where the whole compact model fits, CP-SAT then takes over from the best roster
    (measured far better than column generation there), else the windows keep the time.
    """
    search = WindowSearch(problem, first.values, first.objective)
    share = compact.windows_share(problem)
    if share >= 1.0:
        search.run(deadline=deadline, stop=stop, report=offer, seed=seed)
        return
    polish = time.monotonic() + share * (deadline - time.monotonic())
    search.run(deadline=polish, stop=stop, report=offer, seed=seed, patience=_PATIENCE * search.n)
    if stop is not None and stop.is_set():
        return
    current = {(p, d): s for p, days in enumerate(search.schedules) for d, s in days.items()}
    compact.run(
        problem, current, deadline=deadline, workers=workers, seed=seed, stop=stop, report=offer
    )


def _objective(problem: Problem, values: dict[tuple[int, int], int]) -> int | None:
    rows = [
        Assignment(problem.staff[p].id, d, problem.shifts[s].id) for (p, d), s in values.items()
    ]
    ev = evaluate(problem, rows)
    return None if ev.violations else ev.objective


def _finish(problem: Problem, best: Incumbent, bound: int | None, start: float) -> Solution:
    """The answer for the best roster: optimal when it meets the proven bound."""
    status = "optimal" if bound is not None and best.objective <= bound else "feasible"
    staff, shifts = problem.staff, problem.shifts
    assignment = {(staff[p].id, d): shifts[s].id for (p, d), s in best.values.items()}
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
