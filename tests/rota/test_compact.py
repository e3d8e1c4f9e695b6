"""The compact CP-SAT arm of the portfolio: starts from a roster, only improves, stops cleanly."""

from __future__ import annotations

import threading
import time

import pytest

from bench.rostering.generate import Shape, generate
from bench.rostering.reader import parse_instance
from rota.planner import Assignment, Problem, compact, evaluate, solve
from rota.planner.construct import construct

SIX_WEEKS = Shape("six-weeks", 30, 5, 42, seed=11)


def _score(problem: Problem, values: dict[tuple[int, int], int]):
    rows = [
        Assignment(problem.staff[p].id, d, problem.shifts[s].id) for (p, d), s in values.items()
    ]
    return evaluate(problem, rows)


def test_the_compact_arm_hands_on_only_legal_rosters_each_better_than_the_last():
    problem = parse_instance(generate(SIX_WEEKS))
    first = construct(problem, deadline=time.monotonic() + 5)
    start = _score(problem, first).objective
    seen: list[int] = []

    def report(values):
        scored = _score(problem, values)
        assert scored.violations == ()
        seen.append(scored.objective)

    compact.run(
        problem, first, deadline=time.monotonic() + 3, workers=2, seed=0, stop=None, report=report
    )
    assert seen and seen[0] <= start
    assert seen == sorted(seen, reverse=True)
    assert len(set(seen)) == len(seen)


@pytest.mark.parametrize("after", [0.5, 1.5, 3.0])
def test_stopping_during_the_portfolio_returns_a_legal_roster(after):
    problem = parse_instance(generate(SIX_WEEKS))
    stop = threading.Event()
    threading.Timer(after, stop.set).start()
    began = time.monotonic()
    sol = solve(problem, time_limit=30, workers=2, stop=stop)
    assert time.monotonic() - began < after + 5
    scored = evaluate(problem, sol.rows())
    assert sol.feasible and scored.violations == ()
    assert scored.objective == sol.objective


def test_a_model_past_the_size_limit_leaves_the_whole_time_to_the_windows(monkeypatch):
    problem = parse_instance(generate(SIX_WEEKS))
    monkeypatch.setattr(compact, "windows_share", lambda problem: 1.0)
    monkeypatch.setattr(compact, "run", lambda *a, **k: pytest.fail("the compact arm ran"))
    sol = solve(problem, time_limit=2, workers=2)
    assert sol.feasible
