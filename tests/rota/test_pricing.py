"""The DP pricer against brute force: every legal schedule of one person, scored directly."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from rota.planner import (
    Assignment,
    Cover,
    Problem,
    ShiftType,
    StaffMember,
    evaluate,
    pricing,
)
from rota.planner.columns import ColumnGeneration
from rota.planner.model import RosterModel
from rota.planner.pricing import PersonPricer
from rota.planner.problem import WEEKEND_DAYS

SHIFTS = (
    ShiftType("E", 360),
    ShiftType("L", 480, frozenset({"E"})),
    ShiftType("N", 600, frozenset({"E", "L"})),
)


def _problem(horizon: int = 7, first_weekday: int = 5, **rules) -> Problem:
    base = {
        "max_shifts": {"N": 2},
        "min_minutes": 1800,
        "max_minutes": 3600,
        "min_consecutive": 2,
        "max_consecutive": 3,
        "min_days_off": 2,
        "max_weekends": 1,
        "days_off": frozenset({3}),
    }
    base.update(rules)
    return Problem(
        horizon=horizon,
        shifts=SHIFTS,
        staff=(StaffMember(id="A", **base),),
        first_weekday=first_weekday,
    )


def _cells(problem: Problem) -> set[tuple[int, int]]:
    person = problem.staff[0]
    return {
        (d, s)
        for d in range(problem.horizon)
        for s, st in enumerate(problem.shifts)
        if person.may_work(st.id) and d not in person.days_off
    }


def _brute_force(problem: Problem, cost: np.ndarray, forced: dict[int, int | None]) -> float:
    """The cheapest schedule that ``evaluate`` finds no fault with."""
    best = np.inf
    options = [None, *range(len(problem.shifts))]
    for choice in itertools.product(options, repeat=problem.horizon):
        if any(choice[d] != s for d, s in forced.items()):
            continue
        rows = [
            Assignment("A", d, problem.shifts[s].id) for d, s in enumerate(choice) if s is not None
        ]
        if not evaluate(problem, rows).violations:
            best = min(best, sum(cost[d, s] for d, s in enumerate(choice) if s is not None))
    return best


def _schedule_cost(cost: np.ndarray, sched) -> float:
    return sum(cost[d, s] for d, s in sched)


@pytest.mark.parametrize("seed", range(4))
def test_dp_pricing_finds_the_cheapest_legal_schedule(seed):
    problem = _problem(first_weekday=(5 + seed) % 7)
    rng = random.Random(seed)
    cost = np.array([[rng.uniform(-10, 4) for _ in SHIFTS] for _ in range(problem.horizon)])
    priced = PersonPricer(problem, 0, _cells(problem)).solve(cost)

    assert priced.exact
    assert priced.bound == pytest.approx(_brute_force(problem, cost, {}))
    assert _schedule_cost(cost, priced.schedules[0]) == pytest.approx(priced.bound)


def test_dp_pricing_returns_only_schedules_evaluate_accepts():
    problem = _problem()
    cost = np.full((problem.horizon, len(SHIFTS)), -1.0)
    priced = PersonPricer(problem, 0, _cells(problem)).solve(cost)

    rows = [[Assignment("A", d, SHIFTS[s].id) for d, s in sched] for sched in priced.schedules]
    assert len(rows) == 5
    assert all(not evaluate(problem, r).violations for r in rows)


def test_dp_pricing_keeps_forced_cells():
    problem = _problem()
    rng = random.Random(7)
    cost = np.array([[rng.uniform(-10, 4) for _ in SHIFTS] for _ in range(problem.horizon)])
    forced = {0: 1, 1: 1, 5: None}
    priced = PersonPricer(problem, 0, _cells(problem)).solve(cost, forced)

    worked = dict(priced.schedules[0])
    assert (worked.get(0), worked.get(1), worked.get(5)) == (1, 1, None)
    assert priced.bound == pytest.approx(_brute_force(problem, cost, forced))


def test_dp_pricing_lets_blocks_at_the_horizon_edges_be_short():
    problem = _problem(
        horizon=6,
        first_weekday=0,
        min_minutes=0,
        min_days_off=1,
        max_weekends=None,
        days_off=frozenset(),
    )
    cost = np.full((6, len(SHIFTS)), 0.1)
    cost[0, 0] = cost[5, 0] = -5.0  # one early shift on the first and the last day only
    cost[2, 1] = cost[3, 1] = -1.0
    priced = PersonPricer(problem, 0, _cells(problem)).solve(cost)

    assert priced.schedules[0] == ((0, 0), (2, 1), (3, 1), (5, 0))


def test_dp_pricing_counts_a_weekend_worked_on_both_days_once():
    problem = _problem(horizon=14, first_weekday=0, min_minutes=0, days_off=frozenset())
    saturday, sunday = WEEKEND_DAYS
    cost = np.full((14, len(SHIFTS)), 0.1)
    cost[saturday, 0] = cost[sunday, 0] = -3.0
    cost[saturday + 7, 0] = cost[sunday + 7, 0] = -2.0  # a second weekend would break the limit
    priced = PersonPricer(problem, 0, _cells(problem)).solve(cost)

    assert priced.schedules[0] == ((saturday, 0), (sunday, 0))


def test_dp_pricing_reports_a_person_whose_rules_cannot_hold():
    problem = _problem(min_minutes=6000)

    assert PersonPricer(problem, 0, _cells(problem)).solve(np.zeros((7, 3))) is None


def test_a_shift_limit_left_out_of_the_state_is_checked_and_flagged(monkeypatch):
    monkeypatch.setattr(pricing, "_STATES", 1)  # no room for any shift-type limit
    problem = _problem(min_minutes=0, max_shifts={"N": 1}, days_off=frozenset())
    cost = np.zeros((problem.horizon, len(SHIFTS)))
    cost[:, 2] = -4.0  # nights are what pays
    priced = PersonPricer(problem, 0, _cells(problem)).solve(cost)

    assert not priced.exact  # the best schedule without the limit works more than one night
    assert all(sum(s == 2 for _, s in sched) <= 1 for sched in priced.schedules)
    assert priced.bound <= _brute_force(problem, cost, {})


def test_minutes_too_fine_for_the_dp_are_priced_with_cp_sat():
    problem = Problem(
        horizon=14,
        shifts=(ShiftType("E", 481), ShiftType("L", 479)),
        staff=(StaffMember(id="A", min_minutes=0, max_minutes=40_000, max_consecutive=5),),
        cover=tuple(Cover(d, "E", 1) for d in range(14)),
    )
    rm = RosterModel(problem)
    cg = ColumnGeneration(problem, rm)
    schedules, bound = cg._price(0, [100.0] * 14, 1.0, 0)

    assert not cg.dp[0].usable
    assert bound == pytest.approx(-1200, abs=0.1)  # twelve early shifts at 100 each, at most
    assert len(schedules[-1]) == 12
