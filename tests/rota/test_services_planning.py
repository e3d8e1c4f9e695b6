from __future__ import annotations

import signal
import subprocess
import sys
import time as clock
from datetime import date, time, timedelta
from pathlib import Path

import pytest
import time_machine

from rota import adapter, services
from rota.models import (
    PLAN_STALE_MARGIN,
    Assignment,
    LeaveStatus,
    MemberSkill,
    PlanRun,
    PlanStatus,
    Priority,
    Source,
)
from rota.planner import Progress
from rota.services import planning
from rota.services.planning import _Watcher
from tests.rota.factories import (
    ContractFactory,
    CoverNeedFactory,
    LeaveRequestFactory,
    RotaPeriodFactory,
    ShiftRequestFactory,
    ShiftTypeFactory,
    SkillFactory,
)
from tests.servers import server_env

pytestmark = pytest.mark.slow
# The progress watcher writes from its own thread and connection, as in the worker, so
# tests that run the planner commit for real instead of inside one rolled-back transaction.
commits = pytest.mark.django_db(transaction=True)

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


@commits
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
    assert run.issue_sentences == ["Wish not met: Bob Brown asked not to work Early on Tue 3 Mar."]


@commits
def test_planner_publishes_progress_and_the_finish_with_numbers_only(
    week, alice, live_events, django_capture_on_commit_callbacks
):
    run = _plan(week, alice, django_capture_on_commit_callbacks)
    finished = [e for e in live_events if e["event"] == "rota-plan-finished"]
    assert finished == [{"type": "team.event", "event": "rota-plan-finished", "run": str(run.pk)}]
    for event in live_events:
        assert set(event) <= {"type", "event", "run", "penalty", "gaps", "period"}


@commits
def test_planner_keeps_published_shifts(
    week, team, alice, bob, planner, django_capture_on_commit_callbacks
):
    early = week.team.shift_types.get()
    services.assignment_set(period=week, user=alice, day=TUESDAY, shift_type=early, by=alice)
    services.assignment_set(period=week, user=bob, day=TUESDAY, shift_type=early, by=alice)
    services.period_publish(period=week, by=alice)
    services.period_reopen(period=week, by=planner)
    run = _plan(week, alice, django_capture_on_commit_callbacks)
    assert run.status == PlanStatus.FINISHED
    assert set(Assignment.objects.filter(date=TUESDAY).values_list("user", flat=True)) == {
        alice.pk,
        bob.pk,
    }
    assert run.best_penalty == 1  # one person more than needed on Tuesday


@commits
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


@commits
def test_the_watcher_sets_the_solvers_stop_event_when_a_stop_is_asked(team, alice):
    period = RotaPeriodFactory(team=team, start=MONDAY, days=7)
    run = PlanRun.objects.create(team=team, period=period, requested_by=alice, status="running")
    services.plan_stop(run=run, by=alice)
    watcher = _Watcher(run, adapter.build_problem(period=period))
    watcher.start()
    try:
        assert watcher.stop.wait(timeout=5)
    finally:
        watcher.done.set()
        watcher.join()


@commits
def test_the_planner_puts_a_holder_of_a_required_skill_on_the_shift(
    week, team, alice, bob, django_capture_on_commit_callbacks
):
    wound_care = SkillFactory(team=team, name="Wound care")
    MemberSkill.objects.create(team=team, user=bob, skill=wound_care)
    need = week.team.cover_needs.get(weekday=1)
    need.required_skills.add(wound_care)
    # Bob would rather not work Tuesday, but only he holds the skill Tuesday needs.
    ShiftRequestFactory(team=team, user=bob, date=TUESDAY, priority=Priority.HIGH)
    run = _plan(week, alice, django_capture_on_commit_callbacks)
    assert Assignment.objects.get(date=TUESDAY).user == bob
    assert run.gaps == 0


@commits
def test_a_missing_skill_counts_as_a_gap_and_is_explained(
    week, team, alice, django_capture_on_commit_callbacks
):
    prescriber = SkillFactory(team=team, name="Prescriber")
    week.team.cover_needs.get(weekday=1).required_skills.add(prescriber)
    run = _plan(week, alice, django_capture_on_commit_callbacks)
    assert run.gaps == 1
    assert "Early on Tue 3 Mar still needs someone with Prescriber." in run.issue_sentences


@commits
def test_the_preferred_number_is_aimed_for_but_is_not_a_gap(
    week, team, alice, bob, django_capture_on_commit_callbacks
):
    ContractFactory(team=team, user=bob, max_consecutive_days=3)
    ContractFactory(team=team, user=alice, max_consecutive_days=3)
    week.team.cover_needs.update(preferred=2)
    run = _plan(week, alice, django_capture_on_commit_callbacks)
    # Two people, at most three days in a row each: some days have one person, not two.
    assert run.gaps == 0
    assert run.best_penalty == adapter.PREFERRED_WEIGHT * sum(
        2 - Assignment.objects.filter(period=week, date=day).count() for day in week.dates
    )
    assert any(issue["kind"] == "preferred" for issue in run.issues)


@commits
def test_progress_is_saved_with_its_gaps_and_published(week, alice, live_events):
    run = PlanRun.objects.create(
        team=week.team, period=week, requested_by=alice, status=PlanStatus.RUNNING
    )
    built = adapter.build_problem(period=week)
    watcher = _Watcher(run, built)
    name = next(iter(built.people))
    watcher.progress(Progress(objective=600, elapsed=1.0, assignment={(name, 0): "Early"}))
    watcher.report()
    run.refresh_from_db()
    assert (run.best_penalty, run.gaps) == (600, 6)
    assert len(run.issues) == 6  # six days with nobody on Early, said as data for the page
    assert live_events[-1] == {
        "type": "team.event",
        "event": "rota-plan-progress",
        "run": str(run.pk),
        "penalty": "600",
        "gaps": "6",
    }


@commits
def test_replanning_keeps_a_published_shift_on_a_retired_shift_type(
    week, team, alice, bob, planner, django_capture_on_commit_callbacks
):
    twilight = ShiftTypeFactory(team=team, name="Twilight", start=time(17, 0), end=time(22, 0))
    services.assignment_set(period=week, user=alice, day=MONDAY, shift_type=twilight, by=alice)
    services.period_publish(period=week, by=alice)
    services.period_reopen(period=week, by=planner)
    services.shift_type_retire(shift_type=twilight, by=alice)
    run = _plan(week, alice, django_capture_on_commit_callbacks)
    assert run.status == PlanStatus.FINISHED, run.explanation
    on_twilight = Assignment.objects.filter(period=week, shift_type=twilight)
    assert list(on_twilight.values_list("user", "date")) == [(alice.pk, MONDAY)]


@commits
@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        ("rota.adapter.build_problem", planning.READ),
        ("rota.services.planning.solve", planning.SOLVE),
        ("rota.adapter.solution_assignments", planning.SAVE),
    ],
    ids=["read", "solve", "save"],
)
def test_an_error_at_any_step_marks_the_run_failed_with_that_steps_reason(
    week, alice, monkeypatch, live_events, django_capture_on_commit_callbacks, broken, reason
):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(broken, explode)
    run = _plan(week, alice, django_capture_on_commit_callbacks)
    assert (run.status, run.explanation) == (PlanStatus.FAILED, str(reason))
    assert run.finished_at is not None
    finished = {"type": "team.event", "event": "rota-plan-finished", "run": str(run.pk)}
    assert live_events[-1] == finished
    assert not Assignment.objects.filter(period=week).exists()


@commits
def test_the_rota_can_be_planned_again_after_a_failed_run(
    week, alice, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("rota.adapter.build_problem", lambda **kwargs: 1 / 0)
    _plan(week, alice, django_capture_on_commit_callbacks)
    monkeypatch.undo()
    assert _plan(week, alice, django_capture_on_commit_callbacks).status == PlanStatus.FINISHED


def test_a_run_past_its_time_limit_and_margin_is_stale_and_is_replaced(week, alice):
    old = services.plan_start(period=week, by=alice, time_limit=5)
    later = old.created_at + timedelta(seconds=5) + PLAN_STALE_MARGIN + timedelta(seconds=1)
    new = services.plan_start(period=week, by=alice, time_limit=5, now=later)
    old.refresh_from_db()
    assert (old.status, old.explanation) == (PlanStatus.FAILED, str(planning.STALE))
    assert new.status == PlanStatus.QUEUED


def test_a_run_within_its_time_limit_and_margin_is_not_replaced(week, alice):
    old = services.plan_start(period=week, by=alice, time_limit=5)
    soon = old.created_at + timedelta(seconds=5) + PLAN_STALE_MARGIN
    with pytest.raises(services.RotaError, match="already"):
        services.plan_start(period=week, by=alice, time_limit=5, now=soon)


def test_a_stale_run_shows_as_stopped_answering_before_it_is_replaced(week, alice):
    run = services.plan_start(period=week, by=alice, time_limit=5)
    later = run.created_at + timedelta(seconds=5) + PLAN_STALE_MARGIN + timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        assert (run.shown_status, run.shown_explanation) == (
            "Stopped answering",
            str(planning.STALE),
        )


# Runs one plan in its own process with a solver that never returns, as a worker would.
_HANGING_WORKER = """
import sys, threading, django
django.setup()
from rota.services import planning
planning.solve = lambda *args, **kwargs: threading.Event().wait()
planning.plan_execute(run_id=int(sys.argv[1]))
"""


@commits
def test_a_run_whose_worker_was_killed_is_replaced_once_stale(week, alice, worker_id):
    run = services.plan_start(period=week, by=alice, time_limit=5)
    # The rota conftest runs tasks inline: this one already finished. Queue it again for the
    # subprocess, as if the worker had just picked it up.
    PlanRun.objects.filter(pk=run.pk).update(status=PlanStatus.QUEUED, finished_at=None)
    env = {**server_env(worker_id), "DJANGO_SETTINGS_MODULE": "config.settings"}
    worker = subprocess.Popen(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", _HANGING_WORKER, str(run.pk)],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        deadline = clock.monotonic() + 60
        while clock.monotonic() < deadline and worker.poll() is None:
            run.refresh_from_db()
            if run.status == PlanStatus.RUNNING:
                break
            clock.sleep(0.05)
        assert run.status == PlanStatus.RUNNING
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    run.refresh_from_db()
    assert run.status == PlanStatus.RUNNING  # nobody is left to finish it
    later = run.created_at + timedelta(seconds=5) + PLAN_STALE_MARGIN + timedelta(seconds=1)
    new = services.plan_start(period=week, by=alice, time_limit=5, now=later)
    run.refresh_from_db()
    assert (run.status, run.explanation) == (PlanStatus.FAILED, str(planning.STALE))
    assert new.pk != run.pk


@commits
def test_a_slow_worker_whose_run_was_replaced_as_stale_saves_nothing(
    week, alice, monkeypatch, django_capture_on_commit_callbacks
):
    real_solve = planning.solve

    def solve_then_be_replaced(*args, **kwargs):
        solution = real_solve(*args, **kwargs)
        PlanRun.objects.update(status=PlanStatus.FAILED, explanation=str(planning.STALE))
        return solution

    monkeypatch.setattr("rota.services.planning.solve", solve_then_be_replaced)
    run = _plan(week, alice, django_capture_on_commit_callbacks)
    assert (run.status, run.explanation) == (PlanStatus.FAILED, str(planning.STALE))
    assert not Assignment.objects.filter(period=week).exists()


@commits
def test_a_run_stopped_before_it_starts_saves_the_first_legal_roster(week, alice):
    run = PlanRun.objects.create(team=week.team, period=week, requested_by=alice, time_limit=600)
    services.plan_stop(run=run, by=alice)
    started = clock.monotonic()
    run = planning.plan_execute(run_id=run.pk)
    assert clock.monotonic() - started < 120  # not the 600 s asked for
    assert run.status == PlanStatus.STOPPED
    assert run.best_penalty is not None
    assert Assignment.objects.filter(period=week, source=Source.PLANNER).exists()
