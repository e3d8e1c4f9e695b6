from __future__ import annotations

import logging
import threading
import time

import pytest

from bench.rostering.runner import SHARED
from rota.planner import (
    Assignment,
    Cover,
    Problem,
    Progress,
    Request,
    ShiftType,
    StaffMember,
    evaluate,
    solve,
)
from rota.planner.lns import Incumbent

INSTANCES = SHARED / "instances"


def person(pid: str, **kw) -> StaffMember:
    base = {"max_consecutive": 7, "min_consecutive": 1, "min_days_off": 1, "max_weekends": None}
    base.update(kw)
    return StaffMember(id=pid, **base)


def _rows(assignment: dict[tuple[str, int], str]) -> list[Assignment]:
    return [Assignment(staff, day, shift) for (staff, day), shift in assignment.items()]


def day_cover(horizon: int, shift: str = "D", target: int = 1, under: int = 100, over: int = 1):
    return tuple(Cover(d, shift, target, under, over) for d in range(horizon))


def two_day_nurses(horizon: int, *, target: int = 1, max_consecutive: int = 7) -> Problem:
    """A and B on one day shift, ``target`` of them wanted every day."""
    return Problem(
        horizon=horizon,
        shifts=(ShiftType("D", 480),),
        staff=(
            person("A", max_consecutive=max_consecutive),
            person("B", max_consecutive=max_consecutive),
        ),
        cover=day_cover(horizon, target=target),
    )


def test_forbidden_successor_is_respected():
    shifts = (ShiftType("E", 480), ShiftType("L", 480, frozenset({"E"})))
    problem = Problem(
        horizon=2,
        shifts=shifts,
        staff=(person("A"),),
        cover=(Cover(0, "L", 1), Cover(1, "E", 1)),
    )
    sol = solve(problem, time_limit=2, workers=1)
    assert sol.status == "optimal"
    assert sol.objective == 100
    assert sol.assignment.get(("A", 0)) != "L" or sol.assignment.get(("A", 1)) != "E"


def test_max_consecutive_days_are_respected():
    problem = Problem(
        horizon=4,
        shifts=(ShiftType("D", 480),),
        staff=(person("A", max_consecutive=2),),
        cover=day_cover(4),
    )
    sol = solve(problem, time_limit=2, workers=1)
    assert sol.objective == 100
    assert len(sol.assignment) == 3
    assert evaluate(problem, sol.rows()).feasible


def test_fixed_day_off_is_never_worked():
    problem = Problem(
        horizon=3,
        shifts=(ShiftType("D", 480),),
        staff=(person("A", days_off=frozenset({1})),),
        cover=day_cover(3),
    )
    sol = solve(problem, time_limit=2, workers=1)
    assert ("A", 1) not in sol.assignment
    assert sol.objective == 100


def test_shift_on_request_is_honoured_when_free():
    problem = Problem(
        horizon=1,
        shifts=(ShiftType("D", 480),),
        staff=(person("A"), person("B")),
        cover=day_cover(1),
        requests=(Request("B", 0, "D", 5, on=True),),
    )
    sol = solve(problem, time_limit=2, workers=1)
    assert sol.assignment == {("B", 0): "D"}
    assert sol.objective == 0


def test_cover_weights_decide_which_gap_is_left():
    problem = Problem(
        horizon=2,
        shifts=(ShiftType("D", 480),),
        staff=(person("A", max_minutes=480),),
        cover=(Cover(0, "D", 1, 5, 1), Cover(1, "D", 1, 50, 1)),
    )
    sol = solve(problem, time_limit=2, workers=1)
    assert sol.assignment == {("A", 1): "D"}
    assert sol.objective == 5
    assert [i.day for i in sol.uncovered] == [0]


def test_published_shift_is_kept_despite_off_request():
    problem = Problem(
        horizon=2,
        shifts=(ShiftType("D", 480),),
        staff=(person("A"), person("B")),
        cover=day_cover(2, target=0),
        requests=(Request("A", 0, "D", 10, on=False),),
        fixed=(Assignment("A", 0, "D"),),
    )
    sol = solve(problem, time_limit=2, workers=1)
    assert sol.assignment == {("A", 0): "D"}
    assert sol.objective == 11  # the off-request plus one person over cover
    assert [i.kind for i in sol.unmet_requests] == ["off_request"]


def test_conflicting_personal_rules_are_reported_as_infeasible():
    problem = Problem(
        horizon=3,
        shifts=(ShiftType("D", 480),),
        staff=(person("A", min_minutes=3 * 480, max_consecutive=2),),
        cover=day_cover(3),
    )
    sol = solve(problem, time_limit=2, workers=1)
    assert sol.status == "infeasible"
    assert "A" in sol.explanation
    assert "in a row" in sol.explanation
    assert "minutes" in sol.explanation


def test_published_shift_on_day_off_is_reported_as_infeasible():
    problem = Problem(
        horizon=2,
        shifts=(ShiftType("D", 480),),
        staff=(person("A", days_off=frozenset({0})),),
        fixed=(Assignment("A", 0, "D"),),
    )
    sol = solve(problem, time_limit=2, workers=1)
    assert sol.status == "infeasible"
    assert "fixed day off 0" in sol.explanation


def test_progress_reports_improving_objectives():
    problem = two_day_nurses(4, target=2, max_consecutive=2)
    seen: list[Progress] = []
    sol = solve(problem, time_limit=2, workers=1, on_progress=seen.append)
    objectives = [found.objective for found in seen]
    assert objectives == sorted(objectives, reverse=True)
    assert objectives[-1] == sol.objective
    assert evaluate(problem, _rows(seen[-1].assignment)).objective == sol.objective


@pytest.mark.skipif(not INSTANCES.exists(), reason=f"no published instances in {INSTANCES}")
def test_stop_event_returns_best_roster_so_far():
    from bench.rostering.reader import read_instance

    problem = read_instance(INSTANCES / "Instance5.txt")
    stop = threading.Event()
    # Stop as soon as there is a roster, however busy the machine is: no timing guesswork.
    started = time.monotonic()
    sol = solve(problem, time_limit=60, workers=2, stop=stop, on_progress=lambda _found: stop.set())
    assert time.monotonic() - started < 30
    assert sol.feasible
    assert evaluate(problem, sol.rows()).objective == sol.objective


def test_evaluate_scores_hand_built_roster():
    problem = Problem(
        horizon=3,
        shifts=(ShiftType("D", 480),),
        staff=(person("A", min_consecutive=2, min_days_off=1),),
        cover=day_cover(3, target=1, under=100, over=1),
        requests=(Request("A", 2, "D", 3, on=True), Request("A", 1, "D", 2, on=False)),
    )
    ev = evaluate(problem, [Assignment("A", 1, "D")])
    # Works only day 1: a one-day block strictly inside the horizon breaks the minimum of 2.
    assert not ev.feasible
    assert ev.breakdown == {
        "on_requests": 3,
        "off_requests": 2,
        "under_cover": 200,
        "over_cover": 0,
    }
    assert ev.objective == 205


@pytest.mark.parametrize("days", [[0], [2], [0, 1, 2]])
def test_evaluate_exempts_blocks_touching_the_horizon_edges(days):
    problem = Problem(
        horizon=3,
        shifts=(ShiftType("D", 480),),
        staff=(person("A", min_consecutive=2),),
    )
    assert evaluate(problem, [Assignment("A", d, "D") for d in days]).feasible


def test_a_skill_cover_line_counts_only_people_holding_the_skill():
    problem = Problem(
        horizon=1,
        shifts=(ShiftType("D", 480),),
        staff=(person("A", skills=frozenset({"RN"})), person("B")),
        cover=(Cover(0, "D", 1, over_weight=1), Cover(0, "D", 1, over_weight=0, skill="RN")),
        requests=(Request("A", 0, "D", 5, on=False),),
    )
    sol = solve(problem, time_limit=2, workers=1)
    # B alone leaves the RN line short (100); A alone breaks A's wish (5); both add one over.
    assert sol.assignment == {("A", 0): "D"}
    assert sol.objective == 5
    assert evaluate(problem, sol.rows()).objective == 5


def test_evaluate_names_the_missing_skill():
    problem = Problem(
        horizon=1,
        shifts=(ShiftType("D", 480),),
        staff=(person("A"),),
        cover=(Cover(0, "D", 1, over_weight=0, skill="RN"),),
    )
    ev = evaluate(problem, [Assignment("A", 0, "D")])
    assert ev.objective == 100
    assert ev.uncovered[0].explanation == "D on day 0 has 0 of 1 people with RN"
    assert ev.uncovered[0].line == 0


def test_column_generation_forced_cells_bind_master_and_pricer_until_released():
    from rota.planner.columns import ColumnGeneration
    from rota.planner.model import RosterModel

    problem = two_day_nurses(3)
    rm = RosterModel(problem)
    cg = ColumnGeneration(problem, rm)
    cg.add(0, ((0, 0),))
    cg.add(0, ((1, 0),))
    cg.force(0, 0, None)  # A off on day 0
    assert [lam.ub() for lam in cg.columns[0].values()] == [0, 1]
    cg.run(deadline=time.monotonic() + 5, workers=1)
    assert all((0, 0) not in sched for sched, lam in cg.columns[0].items() if lam.ub() > 0)
    cg.release()
    assert all(lam.ub() == 1 for lam in cg.columns[0].values())
    assert cg.run(deadline=time.monotonic() + 5, workers=1) == 0


def _small_search():
    """An LNS over two nurses and three days, with no bound to stop it and a minute to run."""
    from rota.planner.lns import Search
    from rota.planner.model import RosterModel

    problem = two_day_nurses(3)
    best = Incumbent({(0, 0): 0, (0, 1): 0, (0, 2): 0}, 0)
    return Search(problem, RosterModel(problem), best, None, {}, lambda: 60.0, None, None, 0.0)


def test_search_hands_back_at_its_pause_time():
    search = _small_search()
    assert not search.done()
    search.pause_at = time.monotonic() - 0.1
    assert search.done()


def test_search_takes_a_better_roster_offered_from_outside_and_ignores_a_worse_one():
    search = _small_search()
    search.best = Incumbent({(0, 0): 0}, 200)
    search.offer(Incumbent({(1, 0): 0}, 300))
    assert search.best.objective == 200
    search.offer(Incumbent({(1, 0): 0, (1, 1): 0, (1, 2): 0}, 0))
    assert search.best.objective == 0
    assert search.best.values == {(1, 0): 0, (1, 1): 0, (1, 2): 0}


def test_column_generation_bound_never_exceeds_the_optimum_with_smoothed_duals():
    from rota.planner.columns import ColumnGeneration
    from rota.planner.model import RosterModel

    # Two people, each at most two days in a row, cover two a day for six days: the best
    # roster leaves exactly four shifts uncovered (each person can work at most four of six).
    problem = two_day_nurses(6, target=2, max_consecutive=2)
    optimum = solve(problem, time_limit=10, workers=1)
    assert optimum.status == "optimal"
    cg = ColumnGeneration(problem, RosterModel(problem))
    lp = cg.run(deadline=time.monotonic() + 10, workers=1)
    assert cg.converged
    assert cg.lower_bound is not None
    assert cg.lower_bound <= lp + 1e-6
    assert cg.lower_bound <= optimum.objective + 1e-6


def test_solver_dives_again_when_the_search_stalls_far_from_the_bound(monkeypatch):
    from rota.planner import dives, lns, solver

    problem = two_day_nurses(7, max_consecutive=3)
    calls: list[bool] = []

    def first_dive_fails(by_person, real):
        def dive(cg, **kw):
            calls.append(by_person)
            if len(calls) == 1:
                return {}  # a roster with nobody working: every cover line missed
            return real(cg, **kw)

        return dive

    def stalled(self, seed):  # an LNS that never finds anything
        while not self.done():
            time.sleep(0.01)

    monkeypatch.setattr(dives, "by_cells", first_dive_fails(False, dives.by_cells))
    monkeypatch.setattr(dives, "by_people", first_dive_fails(True, dives.by_people))
    monkeypatch.setattr(lns.Search, "run", stalled)
    monkeypatch.setattr(solver, "construct", lambda problem, deadline: {})  # nobody works
    monkeypatch.setattr(solver, "_SECOND_DIVE", 2.0)  # no second dive straight away
    sol = solve(problem, time_limit=8, workers=1)
    assert len(calls) >= 2
    assert all(calls[1:])  # fresh dives go by people
    assert sol.objective == 0


def _night_and_day_team() -> Problem:
    """Only A may work nights; B and C share the day shift. Cover one of each, three days."""
    return Problem(
        horizon=3,
        shifts=(ShiftType("D", 480), ShiftType("N", 480)),
        staff=(person("A"), person("B", max_shifts={"N": 0}), person("C", max_shifts={"N": 0})),
        cover=tuple(Cover(d, s, 1) for d in range(3) for s in ("D", "N")),
    )


def test_a_dive_by_people_fixes_first_the_person_carrying_the_scarce_cover():
    from rota.planner import dives
    from rota.planner.columns import ColumnGeneration
    from rota.planner.model import RosterModel

    problem = _night_and_day_team()
    cg = ColumnGeneration(problem, RosterModel(problem))
    cg.run(deadline=time.monotonic() + 10, workers=1)
    forced: list[int] = []
    real_force = cg.force

    def force(p, day, shift):
        forced.append(p)
        real_force(p, day, shift)

    cg.force = force

    def finish(*args):
        raise AssertionError("a dive by people runs to the end without CP-SAT")

    values = dives.by_people(
        cg, deadline=time.monotonic() + 10, workers=1, stop=None, finish=finish
    )
    assert forced[0] == 0  # A, the only one who can cover the nights
    rows = [
        Assignment(problem.staff[p].id, d, problem.shifts[s].id) for (p, d), s in values.items()
    ]
    assert evaluate(problem, rows).objective == 0
    assert cg.forced == {}  # the dive leaves the master as it found it


def test_master_lp_is_built_afresh_when_glop_gives_up():
    from ortools.linear_solver import pywraplp

    from rota.planner.columns import ColumnGeneration
    from rota.planner.model import RosterModel

    problem = _night_and_day_team()
    cg = ColumnGeneration(problem, RosterModel(problem))
    value = cg.run(deadline=time.monotonic() + 10, workers=1)

    class GivesUp:
        """The live master, except that its warm-started solve fails (seen with GLOP)."""

        def __init__(self, lp):
            self.lp = lp

        def Solve(self):  # noqa: N802 - the wrapped API's name
            return pywraplp.Solver.ABNORMAL

        def __getattr__(self, name):
            return getattr(self.lp, name)

    cg._lp = GivesUp(cg._lp)
    assert cg.solve_lp()[0] == pytest.approx(value)
    assert not isinstance(cg._lp, GivesUp)


def test_planner_statistics_go_to_the_debug_log_not_the_terminal(caplog, capsys):
    caplog.set_level(logging.DEBUG, logger="rota.planner")
    solve(two_day_nurses(4, target=2, max_consecutive=2), time_limit=2, workers=1)
    assert any(r.message.startswith("CG lp=") for r in caplog.records)
    assert {r.levelno for r in caplog.records} == {logging.DEBUG}
    assert capsys.readouterr() == ("", "")
