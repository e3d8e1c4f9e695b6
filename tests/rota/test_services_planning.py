from __future__ import annotations

from datetime import date, time

import pytest

from rota import services
from rota.models import Assignment, LeaveStatus, PlanRun, PlanStatus, Priority, Source
from tests.rota.factories import (
    ContractFactory,
    CoverNeedFactory,
    LeaveRequestFactory,
    RotaPeriodFactory,
    ShiftRequestFactory,
    ShiftTypeFactory,
)

pytestmark = pytest.mark.slow

MONDAY = date(2026, 3, 2)
TUESDAY = date(2026, 3, 3)


@pytest.fixture
def week(team, alice, bob):
    """One week, one Early shift a day needing one person, two people: a known optimum."""
    early = ShiftTypeFactory(team=team, name="Early", start=time(7, 0), end=time(15, 0))
    for weekday in range(7):
        CoverNeedFactory(team=team, shift_type=early, weekday=weekday, minimum=1, preferred=1)
    return RotaPeriodFactory(team=team, start=MONDAY, days=7)


def _plan(period, by, capture, **kwargs) -> PlanRun:
    with capture(execute=True):
        run = services.plan_start(period=period, by=by, time_limit=5, **kwargs)
    run.refresh_from_db()
    return run


def test_planner_finds_the_known_optimum_and_explains_the_unmet_request(
    week, team, alice, bob, django_capture_on_commit_callbacks
):
    # Both ask for Tuesday off; Alice's wish matters more, so Bob's is the one not met.
    ShiftRequestFactory(team=team, user=alice, date=TUESDAY, priority=Priority.HIGH)
    ShiftRequestFactory(team=team, user=bob, date=TUESDAY, priority=Priority.LOW)
    run = _plan(week, alice, django_capture_on_commit_callbacks)
    assert run.status == PlanStatus.FINISHED
    assert (run.best_penalty, run.gaps) == (10, 0)
    assert Assignment.objects.get(date=TUESDAY).user == bob
    assert Assignment.objects.filter(period=week, source=Source.PLANNER).count() == 7
    assert run.issues == ["Bob Brown asked not to work Early on Tue 3 Mar"]


def test_planner_publishes_progress_and_the_finish_with_numbers_only(
    week, alice, live_events, django_capture_on_commit_callbacks
):
    run = _plan(week, alice, django_capture_on_commit_callbacks)
    finished = [e for e in live_events if e["event"] == "rota-plan-finished"]
    assert finished == [{"type": "team.event", "event": "rota-plan-finished", "run": str(run.pk)}]
    for event in live_events:
        assert set(event) <= {"type", "event", "run", "penalty", "period"}


def test_planner_keeps_published_shifts(week, team, alice, bob, django_capture_on_commit_callbacks):
    early = week.team.shift_types.get()
    services.assignment_set(period=week, user=alice, day=TUESDAY, shift_type=early, by=alice)
    services.assignment_set(period=week, user=bob, day=TUESDAY, shift_type=early, by=alice)
    services.period_publish(period=week, by=alice)
    services.period_reopen(period=week, by=alice)
    run = _plan(week, alice, django_capture_on_commit_callbacks)
    assert run.status == PlanStatus.FINISHED
    assert set(Assignment.objects.filter(date=TUESDAY).values_list("user", flat=True)) == {
        alice.pk,
        bob.pk,
    }
    assert run.best_penalty == 1  # one person more than needed on Tuesday


def test_infeasible_problem_names_the_rule_and_person_and_keeps_the_draft(
    week, team, alice, bob, django_capture_on_commit_callbacks
):
    ContractFactory(team=team, user=alice, min_shifts_per_week=5)
    LeaveRequestFactory(
        team=team,
        user=alice,
        start_date=MONDAY,
        end_date=date(2026, 3, 8),
        status=LeaveStatus.APPROVED,
    )
    early = week.team.shift_types.get()
    services.assignment_set(period=week, user=bob, day=MONDAY, shift_type=early, by=bob)
    run = _plan(week, alice, django_capture_on_commit_callbacks)
    assert run.status == PlanStatus.INFEASIBLE
    assert "Alice Adams" in run.explanation
    assert Assignment.objects.filter(period=week).count() == 1


def test_stop_request_ends_a_queued_run_cleanly(week, alice):
    run = services.plan_start(period=week, by=alice, time_limit=5)
    services.plan_stop(run=run, by=alice)
    run.refresh_from_db()
    assert run.stop_requested


def test_a_second_run_while_one_is_queued_is_refused(week, alice):
    services.plan_start(period=week, by=alice, time_limit=5)
    with pytest.raises(services.RotaError, match="already"):
        services.plan_start(period=week, by=alice, time_limit=5)


@pytest.mark.django_db(transaction=True)
def test_the_watcher_sets_the_solvers_stop_event_when_a_stop_is_asked(team, alice):
    from rota.services.planning import _Watcher

    period = RotaPeriodFactory(team=team, start=MONDAY, days=7)
    run = PlanRun.objects.create(team=team, period=period, requested_by=alice, status="running")
    services.plan_stop(run=run, by=alice)
    watcher = _Watcher(run)
    watcher.start()
    try:
        assert watcher.stop.wait(timeout=5)
    finally:
        watcher.done.set()
        watcher.join()
