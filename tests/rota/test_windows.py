"""Window pricing for long horizons against brute force, and the search built on it."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from rota.planner import Assignment, Cover, Problem, ShiftType, StaffMember, evaluate
from rota.planner.windows import WindowSearch, price_window

SHIFTS = (
    ShiftType("E", 360),
    ShiftType("L", 480, frozenset({"E"})),
)


def _problem(seed: int) -> Problem:
    rng = random.Random(seed)
    horizon = 9
    person = StaffMember(
        id="A",
        max_shifts={"L": rng.randint(2, 5)},
        min_minutes=rng.choice((0, 1440, 2160)),
        max_minutes=rng.choice((None, 3600, 2880)),
        min_consecutive=rng.randint(1, 3),
        max_consecutive=rng.randint(3, 5),
        min_days_off=rng.randint(1, 2),
        max_weekends=rng.randint(0, 2),
        days_off=frozenset(rng.sample(range(horizon), 1)),
    )
    return Problem(horizon=horizon, shifts=SHIFTS, staff=(person,), first_weekday=rng.randrange(7))


def _legal(problem: Problem) -> list[dict[int, int]]:
    """Every legal schedule of the one person, by the independent evaluator."""
    found = []
    for cells in itertools.product((None, 0, 1), repeat=problem.horizon):
        sched = {d: s for d, s in enumerate(cells) if s is not None}
        rows = [Assignment("A", d, SHIFTS[s].id) for d, s in sched.items()]
        if not evaluate(problem, rows).violations:
            found.append(sched)
    return found


@pytest.mark.parametrize("seed", range(6))
def test_window_pricing_equals_brute_force_over_schedules_agreeing_outside(seed):
    problem = _problem(seed)
    legal = _legal(problem)
    if not legal:
        pytest.skip("this draw has no legal schedule")
    rng = np.random.default_rng(seed)
    for _ in range(4):
        current = legal[rng.integers(len(legal))]
        a = int(rng.integers(0, problem.horizon - 2))
        b = int(rng.integers(a + 1, problem.horizon + 1))
        cost = rng.normal(size=(b - a, len(SHIFTS)))
        outside = {d: s for d, s in current.items() if not a <= d < b}

        def window_cost(sched, a=a, b=b, cost=cost):
            return sum(cost[d - a, s] for d, s in sched.items() if a <= d < b)

        agreeing = [s for s in legal if {d: x for d, x in s.items() if not a <= d < b} == outside]
        found = price_window(problem, 0, current, a, b, cost)
        assert found is not None
        window, value = found
        assert value == pytest.approx(min(window_cost(s) for s in agreeing))
        assert {**outside, **window} in agreeing


def test_the_window_search_lowers_the_cost_and_keeps_every_rule():
    staff = tuple(
        StaffMember(str(i), max_consecutive=4, min_consecutive=2, min_days_off=2, max_weekends=20)
        for i in range(4)
    )
    problem = Problem(
        horizon=182,
        shifts=SHIFTS,
        staff=staff,
        cover=tuple(Cover(d, "E", 2) for d in range(182)),
    )
    start = evaluate(problem, []).objective
    search = WindowSearch(problem, {}, start)
    for p, a in itertools.product(range(4), range(0, 175, 7)):
        search.step(p, a, a + 7)
    rows = [Assignment(str(p), d, SHIFTS[s].id) for (p, d), s in search.values().items()]
    scored = evaluate(problem, rows)
    assert scored.violations == ()
    assert scored.objective == search.objective < start


def test_a_half_year_is_planned_by_windows_from_the_first_roster_on():
    from bench.rostering.generate import Shape, generate
    from bench.rostering.reader import parse_instance
    from rota.planner import Progress, solve

    problem = parse_instance(generate(Shape("half-year", 8, 3, 182, seed=9)))
    seen: list[Progress] = []
    sol = solve(problem, time_limit=6, workers=2, on_progress=seen.append)
    scored = evaluate(problem, sol.rows())
    assert scored.violations == ()
    assert scored.objective == sol.objective <= seen[0].objective
