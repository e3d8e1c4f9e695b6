"""Background tasks: thin wrappers that call one service."""

from __future__ import annotations

from django_tasks import task

from rota import services


@task()
def plan_run_execute(run_id: int) -> str:
    """Solve one plan run (off the request path, in the worker started by ``scripts/dev run``)."""
    return services.plan_execute(run_id=run_id).status
