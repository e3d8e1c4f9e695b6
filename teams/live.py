"""The only publisher of live events.

Events carry a name and ids, never personal data: each browser re-fetches what changed over
HTTP with its own permissions. They are sent after the surrounding transaction commits, so no
one is told about a change that was rolled back.
"""

from __future__ import annotations

from functools import partial

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer  # noqa: TID251 - this module is the publisher
from django.db import transaction

from teams.models import Team

EVENTS = frozenset(
    {
        "presence-changed",
        "members-changed",
        "roles-changed",
        "client-changed",
        "visit-changed",
        "time-changed",
        "handover-changed",
        "rota-changed",
        "rota-published",
        "rota-setup-changed",
        "rota-leave-changed",
        "rota-swaps-changed",
        "rota-plan-progress",
        "rota-plan-finished",
    }
)


def team_group(team_id: int) -> str:
    return f"team.{team_id}"


def publish(team: Team, event: str, **ids: str | int) -> None:
    """Send ``event`` to every open socket of ``team`` once the current transaction commits."""
    if event not in EVENTS:
        raise ValueError(f"Unknown live event {event!r}; add it to teams.live.EVENTS")
    message = {"type": "team.event", "event": event, **{k: str(v) for k, v in ids.items()}}
    transaction.on_commit(partial(_send, team_group(team.pk), message))


def _send(group: str, message: dict[str, str]) -> None:
    async_to_sync(get_channel_layer().group_send)(group, message)
