"""The automatic planner: queue a run, solve it in the background, stop it, save the draft."""

from __future__ import annotations

import logging
import threading
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from rota import adapter
from rota.models import PLAN_STALE_REASON, Assignment, PlanRun, PlanStatus, RotaPeriod, Source
from rota.planner import Assignment as PlannerAssignment
from rota.planner import Progress, Solution, evaluate, solve
from rota.services.common import RotaError
from teams import audit, live
from teams.clock import now_or
from teams.models import User

log = logging.getLogger(__name__)
POLL_SECONDS = 0.5
WORKERS = 2

# Why a run failed, by the step it was on: what the team reads on the rota page.
READ = gettext_lazy("The planner could not read this rota's people, rules and cover.")
SOLVE = gettext_lazy("The planner stopped with an error; the draft was not changed.")
SAVE = gettext_lazy("The planner found a rota but could not save it; the draft was not changed.")
STALE = PLAN_STALE_REASON


@transaction.atomic
def plan_start(
    *,
    period: RotaPeriod,
    by: User,
    allow_changes_to_published: bool = False,
    time_limit: int = 20,
    now: datetime | None = None,
) -> PlanRun:
    """Queue a plan run; the task starts once this transaction commits."""
    if period.is_published:
        raise RotaError(_("This rota is published: reopen it to plan it again."))
    if not 1 <= time_limit <= 600:
        raise RotaError(_("The time limit is 1 to 600 seconds."), field="time_limit")
    now = now_or(now)
    active = PlanRun.objects.for_team(period.team).select_for_update()
    for old in active.filter(period=period, status__in=(PlanStatus.QUEUED, PlanStatus.RUNNING)):
        if not old.is_stale(now):
            raise RotaError(_("The planner is already working on this rota."))
        _fail(old.pk, STALE, now=now)
    run = PlanRun.objects.create(
        team=period.team,
        period=period,
        requested_by=by,
        allow_changes_to_published=allow_changes_to_published,
        time_limit=time_limit,
        created_at=now,
    )
    audit.record(actor=by, team=period.team, action="rota.plan.start", obj=run)
    live.publish(period.team, "rota-plan-progress", run=run.pk)
    transaction.on_commit(lambda: plan_run_execute.enqueue(run.pk))
    return run


@transaction.atomic
def plan_stop(*, run: PlanRun, by: User) -> PlanRun:
    """Ask the run to stop; the solver keeps the best plan found so far."""
    run = PlanRun.objects.select_for_update().get(pk=run.pk)
    if not run.is_active:
        raise RotaError(_("The planner has already finished."))
    run.stop_requested = True
    run.save(update_fields=["stop_requested"])
    audit.record(actor=by, team=run.team, action="rota.plan.stop", obj=run)
    return run


class _Watcher(threading.Thread):
    """Poll the stop flag and report progress while the solver runs.

    The solver calls back on its own threads; this thread does the scoring, the database
    writes and the event sends so the callbacks only keep the newest roster.
    """

    def __init__(self, run: PlanRun, built: adapter.Built) -> None:
        super().__init__(daemon=True)
        self.run_id, self.team, self.built = run.pk, run.team, built
        self.stop = threading.Event()
        self.done = threading.Event()
        self.latest: Progress | None = None
        self._sent: Progress | None = None

    def progress(self, found: Progress) -> None:
        self.latest = found

    def report(self) -> None:
        found = self.latest
        if found is None or found is self._sent:
            return
        self._sent = found
        rows = [PlannerAssignment(s, d, sh) for (s, d), sh in found.assignment.items()]
        scored = evaluate(self.built.problem, rows)
        gaps = adapter.gaps(self.built, scored.uncovered)
        PlanRun.objects.filter(pk=self.run_id).update(
            best_penalty=found.objective, gaps=gaps, issues=adapter.explain(self.built, scored)
        )
        live.publish(
            self.team, "rota-plan-progress", run=self.run_id, penalty=found.objective, gaps=gaps
        )

    def run(self) -> None:
        try:
            while not self.done.wait(POLL_SECONDS):
                wanted = PlanRun.objects.filter(pk=self.run_id, stop_requested=True).exists()
                if wanted:
                    self.stop.set()
                self.report()
        finally:
            connection.close()


def plan_execute(*, run_id: int, now: datetime | None = None) -> PlanRun:
    """Solve a queued run and save the result as the period's draft (the task's body).

    Published shifts stay as they are unless the run allows changes. An infeasible problem
    leaves the draft untouched and records which rules and people conflict. An error at any
    step marks the run failed with that step's reason, so it never stays running.
    """
    run = PlanRun.objects.select_related("period__team", "team").get(pk=run_id)
    if run.status != PlanStatus.QUEUED:
        return run
    run.status, run.started_at = PlanStatus.RUNNING, now_or(now)
    run.save(update_fields=["status", "started_at"])
    live.publish(run.team, "rota-plan-progress", run=run.pk)
    step = READ
    try:
        built = adapter.build_problem(
            period=run.period, allow_changes=run.allow_changes_to_published
        )
        step = SOLVE
        solution, stopped = _solve(run, built)
        step = SAVE
        return _save(run, built, solution, stopped=stopped)
    except Exception:
        log.exception("plan run %s failed: %s", run_id, step)
        return _fail(run_id, step)


def _solve(run: PlanRun, built: adapter.Built) -> tuple[Solution, bool]:
    """Run the solver beside a watcher; return the solution and whether a stop was asked."""
    watcher = _Watcher(run, built)
    if run.stop_requested:  # asked before the solver started: the first legal roster is the plan
        watcher.stop.set()
    watcher.start()
    try:
        solution = solve(
            built.problem,
            time_limit=run.time_limit,
            workers=WORKERS,
            on_progress=watcher.progress,
            stop=watcher.stop,
        )
    finally:
        watcher.done.set()
        watcher.join()
    return solution, watcher.stop.is_set()


def _fail(run_id: int, reason: str, *, now: datetime | None = None) -> PlanRun:
    """Mark an active run failed with ``reason`` for the team, and tell the team's pages."""
    reason = str(reason)
    PlanRun.objects.filter(pk=run_id, status__in=(PlanStatus.QUEUED, PlanStatus.RUNNING)).update(
        status=PlanStatus.FAILED, finished_at=now_or(now), explanation=reason
    )
    run = PlanRun.objects.select_related("team").get(pk=run_id)
    audit.record(
        actor=None, team=run.team, action="rota.plan.failed", obj=run, detail={"reason": reason}
    )
    live.publish(run.team, "rota-plan-finished", run=run.pk)
    return run


@task()
def plan_run_execute(run_id: int) -> str:
    """Solve one plan run off the request path, in the worker that `scripts/dev run` starts."""
    return plan_execute(run_id=run_id).status


@transaction.atomic
def _save(run: PlanRun, built: adapter.Built, solution: Solution, *, stopped: bool) -> PlanRun:
    run = PlanRun.objects.select_for_update().select_related("period__team").get(pk=run.pk)
    if run.status != PlanStatus.RUNNING:
        return run  # replaced as stale while this worker was slow: its result is not wanted
    run.finished_at = timezone.now()
    period = RotaPeriod.objects.select_for_update().get(pk=run.period_id)
    if period.is_published:
        run.status = PlanStatus.FAILED
        run.explanation = "The rota was published while the planner worked; nothing was changed."
    elif not solution.feasible:
        run.status = PlanStatus.INFEASIBLE if solution.status == "infeasible" else PlanStatus.FAILED
        run.explanation = built.day_text(solution.explanation) or "No rota was found in time."
    else:
        run.status = PlanStatus.STOPPED if stopped else PlanStatus.FINISHED
        run.best_penalty = solution.objective
        run.gaps = adapter.gaps(built, solution.uncovered)
        run.issues = adapter.explain(built, solution)
        run.explanation = built.day_text(solution.explanation)
        replaced = Assignment.objects.for_team(run.team).filter(period=period)
        if not run.allow_changes_to_published:
            replaced = replaced.exclude(published=True)
        replaced.delete()
        taken = set(
            Assignment.objects.for_team(run.team)
            .filter(date__range=(period.start, period.end))
            .values_list("user_id", "date")
        )
        Assignment.objects.bulk_create(
            Assignment(
                team=run.team,
                period=period,
                user=user,
                date=day,
                shift_type=shift_type,
                source=Source.PLANNER,
            )
            for user, day, shift_type in adapter.solution_assignments(built, solution)
            if (user.pk, day) not in taken
        )
        live.publish(run.team, "rota-changed", period=period.pk)
    run.save()
    audit.record(
        actor=None,
        team=run.team,
        action=f"rota.plan.{run.status}",
        obj=run,
        detail={"penalty": run.best_penalty, "gaps": run.gaps},
    )
    live.publish(run.team, "rota-plan-finished", run=run.pk)
    return run
