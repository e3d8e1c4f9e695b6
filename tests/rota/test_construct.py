"""The first roster: legal at once on instances of every shape, and kept to the end."""

from __future__ import annotations

import threading

import pytest

from bench.rostering.generate import Shape, generate
from bench.rostering.reader import parse_instance
from rota.planner import (
    Assignment,
    Cover,
    Problem,
    Progress,
    ShiftType,
    StaffMember,
    evaluate,
    solve,
)
from rota.planner.construct import construct, greedy, person_violations

SHAPES = [
    Shape("wide", 60, 12, 28, seed=2),
    Shape("long", 10, 4, 364, seed=3),
    Shape("half-year", 25, 6, 182, seed=4),
    Shape("many-types", 20, 20, 56, request_density=0.4, seed=5),
    Shape("small", 6, 2, 14, seed=6),
]


def _rows(problem: Problem, values: dict[tuple[int, int], int]) -> list[Assignment]:
    return [
        Assignment(problem.staff[p].id, d, problem.shifts[s].id) for (p, d), s in values.items()
    ]


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s.name)
def test_the_constructed_roster_breaks_no_hard_rule(shape):
    problem = parse_instance(generate(shape))
    values = construct(problem, deadline=float("inf"))
    assert values is not None
    assert evaluate(problem, _rows(problem, values)).violations == ()


def test_a_person_whose_walk_runs_into_a_published_shift_gets_an_exact_schedule():
    # Cover pulls A in on days 0 and 1; her published shift on day 2 makes 3 in a row.
    problem = Problem(
        horizon=4,
        shifts=(ShiftType("D", 480),),
        staff=(StaffMember("A", max_consecutive=2),),
        cover=(Cover(0, "D", 1), Cover(1, "D", 1)),
        fixed=(Assignment("A", 2, "D"),),
    )
    assert person_violations(problem, 0, greedy(problem))
    values = construct(problem, deadline=float("inf"))
    assert values is not None
    assert evaluate(problem, _rows(problem, values)).violations == ()
    assert values[0, 2] == 0


def test_the_first_progress_step_is_a_legal_roster():
    problem = parse_instance(generate(Shape("first", 30, 6, 84, seed=7)))
    seen: list[Progress] = []
    sol = solve(problem, time_limit=3, workers=1, on_progress=seen.append)
    first = [Assignment(s, d, sh) for (s, d), sh in seen[0].assignment.items()]
    assert evaluate(problem, first).violations == ()
    assert sol.feasible and sol.objective <= seen[0].objective


@pytest.mark.parametrize("after", [0.0, 0.3, 1.0, 2.5])
def test_stopping_at_any_moment_returns_a_legal_roster(after):
    problem = parse_instance(generate(Shape("stop", 40, 5, 28, seed=8)))
    stop = threading.Event()
    if after == 0.0:
        stop.set()
    else:
        threading.Timer(after, stop.set).start()
    sol = solve(problem, time_limit=30, workers=2, stop=stop)
    assert sol.feasible
    scored = evaluate(problem, sol.rows())
    assert scored.violations == ()
    assert scored.objective == sol.objective
