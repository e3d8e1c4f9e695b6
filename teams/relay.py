"""Carry live events between processes through the database when there is no Redis.

The in-memory channel layer reaches only its own process, so an event raised in the task
worker (the planner's progress) or in a second server process would reach nobody. Each
process that publishes also writes the event here; each server process reads the rows other
processes wrote and hands them to its own layer (``teams.live``). Rows are kept for
``KEEP``, long enough for every server to read them, then pruned.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.db.models import Max, Q
from django.utils import timezone

from teams.models import RelayedEvent

ORIGIN = uuid.uuid4().hex  # this process
POLL_SECONDS = 0.2
KEEP = timedelta(minutes=1)
# Ids are taken before commit, so a row can become visible after one with a higher id (two
# writers at once on PostgreSQL): rows this recent are read again, and skipped if seen.
GRACE = timedelta(seconds=5)


def write(*, group: str, message: dict[str, str], now: datetime | None = None) -> None:
    RelayedEvent.objects.create(
        group=group, message=message, origin=ORIGIN, created_at=now or timezone.now()
    )


def prune(*, now: datetime | None = None) -> int:
    """Delete rows every server has had time to read; return how many."""
    deleted, _ = RelayedEvent.objects.filter(created_at__lt=(now or timezone.now()) - KEEP).delete()
    return deleted


class Reader:
    """One server process's place in the relay: each row from another process, once, in order.

    Starts after the newest row, so a server that starts late does not replay old events.
    """

    def __init__(self, *, origin: str = ORIGIN, now: datetime | None = None) -> None:
        self.origin = origin
        self.last = RelayedEvent.objects.aggregate(last=Max("pk"))["last"] or 0
        recent = RelayedEvent.objects.filter(created_at__gte=(now or timezone.now()) - GRACE)
        self.seen: dict[int, datetime] = dict(recent.values_list("pk", "created_at"))

    def read(self, *, now: datetime | None = None) -> list[tuple[str, dict[str, str]]]:
        """Return the new rows' ``(group, message)`` in the order they were written."""
        since = (now or timezone.now()) - GRACE
        rows = (
            RelayedEvent.objects.filter(Q(pk__gt=self.last) | Q(created_at__gte=since))
            .exclude(origin=self.origin)
            .order_by("pk")
        )
        new = [row for row in rows if row.pk not in self.seen]
        self.seen.update((row.pk, row.created_at) for row in new)
        self.last = max([self.last, *(row.pk for row in new)])
        # A row older than the grace period and not above ``last`` is never read again.
        self.seen = {pk: at for pk, at in self.seen.items() if at >= since}
        return [(row.group, row.message) for row in new]
