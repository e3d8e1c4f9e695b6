"""Dives: round the column-generation LP into a roster, one slice at a time.

A dive fixes part of the roster the LP leans towards, re-prices the rest (so the LP can
adapt around what was fixed) and repeats. Two kinds, because they suit different problems:

* by cells (``by_cells``): single (person, day) cells the LP agrees on. The LP is very
  degenerate on big instances (few people have one schedule near 1), and cells leave each
  person room to adapt. The last open cells go to CP-SAT.
* by people (``by_people``): whole schedules, one person at a time, the person whose
  schedule the LP values most first. Those people carry the scarce cover (nights, say) and
  are the least flexible; fixing them while everyone else can still adapt keeps the LP close
  to its start. On instance 8 of the benchmark this reached within 1 % in 13 of 20 dives,
  against rarely when fixing by LP weight (docs/benchmarks.md).

Fixed cells always come from a person's leading column, which stays a feasible witness, so a
fixing never makes a person's rules impossible.
"""

from __future__ import annotations

import logging
import math
import random
import threading
import time
from collections.abc import Callable

from .columns import ColumnGeneration, Forced

logger = logging.getLogger(__name__)

Values = dict[tuple[int, int], int]  # (person, day) -> shift index; absent = off
Finish = Callable[[Forced, Values, float], Values]

_JUMP = 0.5  # a dive step that lifts the LP by half the dearest uncovered person is undone
_DIVE_ROUNDS = 2  # pricing rounds between the steps of a cell dive
_PERSON_ROUNDS = 3  # and of a dive by people (instance 8 within 1 %: 2 rounds 8/18, 3 13/20)
_OPEN_CELLS = 0.12  # share of cells left open when a cell dive hands over to CP-SAT
_HAND_OVER = 0.15  # share of the dive's time kept for its finish
_JITTER = 0.2  # relative noise on a person's value, so that repeated dives differ


def _stopped(stop: threading.Event | None) -> bool:
    return stop is not None and stop.is_set()


def _spare(cg: ColumnGeneration, deadline: float) -> float:
    """Seconds left before the dive must hand over to its finish."""
    return deadline - time.monotonic() - _HAND_OVER * (deadline - cg.started)


def _steps_left(cg: ColumnGeneration, deadline: float, began: float, steps: int) -> float:
    """How many more steps of the length measured so far fit before the hand-over."""
    per_step = (time.monotonic() - began) / steps
    return max(1.0, _spare(cg, deadline) / per_step)


def _short_of_time(cg: ColumnGeneration, deadline: float, stop: threading.Event | None) -> bool:
    return _spare(cg, deadline) < 0 or _stopped(stop)


def _suggested(lead: dict) -> Values:
    return {(p, d): s for p, (_, sched) in lead.items() for d, s in sched}


def _done(cg: ColumnGeneration, values: Values) -> Values:
    cg.release()
    cg.solve_lp()
    return values


def by_cells(
    cg: ColumnGeneration,
    *,
    deadline: float,
    workers: int,
    stop: threading.Event | None,
    finish: Finish,
) -> Values:
    """Fix the cells the LP agrees on, re-price, repeat; ``finish`` solves the last ones."""
    horizon = cg.problem.horizon
    step, sure = 0.15, 0.99
    enough = _OPEN_CELLS * cg.n * horizon
    began, steps = time.monotonic(), 0
    careful = False  # after an undo, the "sure" cells wait their turn like the rest
    while True:
        x, work = cg.lp_cells()
        lead = cg.leads()
        units: list[tuple[float, tuple[int, int, int | None]]] = []
        for p, (_, sched) in lead.items():
            worked, done = dict(sched), cg.forced.get(p, {})
            for d in range(horizon):
                if d in done:
                    continue
                s = worked.get(d)
                score = x.get((p, d, s), 0.0) if s is not None else 1 - work.get((p, d), 0.0)
                units.append((score, (p, d, s)))
        if len(lead) < cg.n or len(units) <= enough or _short_of_time(cg, deadline, stop):
            left = deadline - time.monotonic()
            return _done(cg, finish(dict(cg.forced), _suggested(lead), max(1.0, left)))
        units.sort(key=lambda u: -u[0])
        if steps:
            # Time for only a few more steps (a slow machine or a large team): fix enough
            # per step to reach the hand-over, or CP-SAT gets far too many open cells.
            more = _steps_left(cg, deadline, began, steps)
            step = min(0.5, max(step, 1 - (enough / len(units)) ** (1 / more)))
        steps += 1
        count = max(1, round(len(units) * step))
        taken = [
            cell
            for i, (score, cell) in enumerate(units)
            if (score >= sure and not careful) or i < count
        ]
        for p, d, s in taken:
            cg.force(p, d, s)
        before = cg.lp_value
        cg.run(deadline=deadline, workers=workers, stop=stop, max_rounds=_DIVE_ROUNDS)
        if cg.lp_value - before >= _JUMP * cg.worst and len(taken) > 1:
            # That step cost about an uncovered person: take it back and fix fewer, down
            # to one cell at a time, which is always kept so the dive moves on.
            cg.release([(p, d) for p, d, _ in taken])
            cg.run(deadline=deadline, workers=workers, stop=stop, max_rounds=1)
            step, careful = step / 4, True
            logger.debug("dive undo lp=%.1f step=%.3f", cg.lp_value, step)
            continue
        careful = False
        # Fix more at once while the LP does not move, fewer once it starts to climb.
        if cg.lp_value <= before + max(1.0, 0.002 * abs(before)):
            step = min(0.4, step * 1.4)
        else:
            step = step / 2
        logger.debug("dive cells=%d lp=%.1f step=%.2f", len(units), cg.lp_value, step)


def by_people(
    cg: ColumnGeneration,
    *,
    deadline: float,
    workers: int,
    stop: threading.Event | None,
    finish: Finish,
    rng: random.Random | None = None,
) -> Values:
    """Fix whole schedules, the most valuable person first, re-pricing after each.

    One person per step was measured far better than several (instance 8: about half the
    dives within 1 % against one in five with two per step); only when time runs short does
    a step fix as many as it needs to finish. ``rng`` jitters the order for a repeated dive.
    """
    horizon = cg.problem.horizon
    settled: float | None = None  # when the first step ended
    priced = 0  # open people over the steps since
    while True:
        lead = cg.leads()
        pending = [p for p in lead if len(cg.forced.get(p, {})) < horizon]
        if not pending and len(lead) == cg.n:
            return _done(cg, _suggested(lead))
        if len(lead) < cg.n or _short_of_time(cg, deadline, stop):
            left = deadline - time.monotonic()
            return _done(cg, finish(dict(cg.forced), _suggested(lead), max(1.0, left)))

        value = {p: cg.worth(p, lead[p][1]) for p in pending}
        if rng is not None:
            value = {p: v * (1 + rng.uniform(-_JITTER, _JITTER)) for p, v in value.items()}
        pending.sort(key=value.__getitem__, reverse=True)
        # A step costs about one pricing per open person, so one person per step needs
        # time for n + (n - 1) + ... + 1 pricings. The first step is left out of the rate:
        # it is the slowest, as the LP settles after a release.
        count = 1
        if priced and settled is not None:
            rate = (time.monotonic() - settled) / priced
            need = rate * len(pending) * (len(pending) + 1) / 2
            count = max(1, math.ceil(need / max(_spare(cg, deadline), 1e-3)))
        for p in pending[:count]:
            worked = dict(lead[p][1])
            for d in range(horizon):
                if d not in cg.forced.get(p, {}):
                    cg.force(p, d, worked.get(d))
        cg.run(deadline=deadline, workers=workers, stop=stop, max_rounds=_PERSON_ROUNDS)
        if settled is None:
            settled = time.monotonic()
        else:
            priced += len(pending)
        logger.debug("dive people=%d fixed=%d lp=%.1f", len(pending), count, cg.lp_value)
