"""The only publisher of live events.

Events carry a name and ids, never personal data: each browser re-fetches what changed over
HTTP with its own permissions. They are sent after the surrounding transaction commits, so no
one is told about a change that was rolled back.

With Redis every process shares one channel layer. Without it (the embedded default) each
process has its own in-memory layer, so events also go through ``teams.relay``: every server
process runs one poller, started by its first connection, that forwards the other
processes' events (the planner's worker, another server) to its own sockets.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import (
    InMemoryChannelLayer,
    get_channel_layer,  # noqa: TID251 - this module is the publisher
)
from django.db import DatabaseError, transaction

from teams import relay
from teams.models import Team

log = logging.getLogger(__name__)
PRUNE_EVERY = 50  # polls

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
        "idea-changed",
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
    layer = get_channel_layer()
    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception:
        # Whatever the layer raises (Redis away, a full channel), the change is committed: the
        # request must not fail for it. Sockets that missed it refresh when they reconnect.
        log.warning("live event %s not sent", message, exc_info=True)
    if _relays(layer):
        try:
            relay.write(group=group, message=message)
        except DatabaseError:
            # The change itself is committed; pages catch up when their socket reconnects.
            log.warning("live event %s not relayed to other processes", message, exc_info=True)


def _relays(layer: object) -> bool:
    return isinstance(layer, InMemoryChannelLayer)


ASGIApp = Callable[[dict, Callable, Callable], Awaitable[Any]]
_poller: asyncio.Task | None = None


def relayed(app: ASGIApp) -> ASGIApp:
    """Wrap the ASGI application so this server process forwards relayed events."""

    async def application(scope: dict, receive: Callable, send: Callable) -> Any:
        start_relay()
        return await app(scope, receive, send)

    return application


def start_relay() -> None:
    """Start this process's relay poller on the running loop, once, if the layer needs one."""
    global _poller
    layer = get_channel_layer()
    loop = asyncio.get_running_loop()
    if not _relays(layer) or (_poller and not _poller.done() and _poller.get_loop() is loop):
        return
    _poller = loop.create_task(forward_relayed(layer))


async def forward_relayed(layer: InMemoryChannelLayer, *, polls: int | None = None) -> None:
    """Hand other processes' events to ``layer`` in order; prune old rows now and then.

    Runs for ever unless ``polls`` limits it (for tests). A database error skips one poll.
    """
    reader = await database_sync_to_async(relay.Reader)()
    done = 0
    while polls is None or done < polls:
        try:
            for group, message in await database_sync_to_async(reader.read)():
                await layer.group_send(group, message)
            if done % PRUNE_EVERY == 0:
                await database_sync_to_async(relay.prune)()
        except DatabaseError:
            log.warning("live relay poll failed", exc_info=True)
        done += 1
        await asyncio.sleep(relay.POLL_SECONDS)


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
