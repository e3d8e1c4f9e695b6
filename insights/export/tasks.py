"""The commons sender as a background task, run by the same worker as the rota planner."""

from __future__ import annotations

from django_tasks import task

from insights.export import services


@task()
def send_due_task() -> int:
    """Send what is due, then, where the backend can defer, wake again for the next retry."""
    sent = services.send_due()
    wake = services.next_wake()
    if wake is not None and send_due_task.get_backend().supports_defer:
        send_due_task.using(run_after=wake).enqueue()
    return sent
