"""The only publisher of live events.

Events carry a name and ids, never personal data: each browser re-fetches what changed over
HTTP with its own permissions. They are sent after the surrounding transaction commits, so no
one is told about a change that was rolled back.
"""

from __future__ import annotations

import hashlib
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


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def session_group(session_key: str) -> str:
    """Name a session's sockets' group without putting the session key into the layer."""
    return f"session.{hashlib.sha256(session_key.encode()).hexdigest()[:40]}"


def recheck_access(user_id: int) -> None:
    """Make the user's open sockets re-check their access (and close if it is gone) after commit."""
    transaction.on_commit(partial(_send, user_group(user_id), {"type": "access.recheck"}))


def end_session(session_key: str) -> None:
    """Close every socket opened with this session, once the current transaction commits."""
    transaction.on_commit(partial(_send, session_group(session_key), {"type": "session.ended"}))
