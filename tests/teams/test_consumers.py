from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from config.asgi import application
from teams import services
from teams.consumers import CLOSE_DENIED
from teams.models import Membership, Presence
from tests.factories import CoachGrantFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@pytest.fixture(autouse=True)
def _in_memory_layer(settings):
    """Test the consumer on the embedded default's layer, even when REDIS_URL is set.

    These tests send from a worker thread's event loop while the socket's loop runs, which
    channels_redis's per-loop connection locks sometimes refuse in one process ("bound to a
    different event loop"); the Redis transport is covered by the browser tests, whose
    server is a real daphne.
    """
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


ORIGIN = (b"origin", b"http://127.0.0.1:8000")
HOST = (b"host", b"127.0.0.1:8000")


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


async def _connect(team, user=None, origin=ORIGIN, client=None):
    headers = [HOST, origin]
    if user is not None or client is not None:
        client = client or await database_sync_to_async(_logged_in)(user)
        name = settings.SESSION_COOKIE_NAME
        headers.append((b"cookie", f"{name}={client.cookies[name].value}".encode()))
    communicator = WebsocketCommunicator(application, f"/ws/t/{team.slug}/", headers=headers)
    connected, _ = await communicator.connect()
    return communicator, connected


async def _closed_within_a_second(communicator) -> bool:
    """Read what the socket sends (events first, perhaps) until it closes; False if it stays."""

    async def until_closed() -> None:
        while (await communicator.receive_output())["type"] != "websocket.close":
            pass

    try:
        await asyncio.wait_for(until_closed(), timeout=1)
    except TimeoutError:
        return False
    return True


async def test_member_is_accepted_and_shown_online(team, alice):
    communicator, connected = await _connect(team, alice)
    assert connected
    assert await communicator.receive_json_from() == {"event": "presence-changed"}
    assert await database_sync_to_async(Presence.objects.filter(user=alice).count)() == 1
    await communicator.disconnect()
    assert await database_sync_to_async(Presence.objects.count)() == 0


async def test_coach_is_accepted(team):
    grant = await database_sync_to_async(CoachGrantFactory)(team=team)
    communicator, connected = await _connect(team, grant.coach)
    assert connected
    await communicator.disconnect()


async def test_member_of_another_team_is_rejected(team, charlie):
    communicator, connected = await _connect(team, charlie)
    assert not connected
    assert await database_sync_to_async(Presence.objects.count)() == 0


async def test_anonymous_is_rejected(team):
    _, connected = await _connect(team)
    assert not connected


async def test_foreign_origin_is_rejected(team, alice):
    _, connected = await _connect(team, alice, origin=(b"origin", b"https://evil.example"))
    assert not connected


async def test_origin_on_another_port_of_the_same_host_is_rejected(team, alice):
    _, connected = await _connect(team, alice, origin=(b"origin", b"http://127.0.0.1:9999"))
    assert not connected


async def test_socket_without_origin_is_rejected(team, alice):
    _, connected = await _connect(team, alice, origin=(b"x-nothing", b""))
    assert not connected


async def test_unknown_team_is_rejected(alice):
    class Ghost:
        slug = "no-such-team"

    _, connected = await _connect(Ghost, alice)
    assert not connected


async def test_team_events_reach_members_but_not_other_teams(team, other_team, alice, bob, charlie):
    alice_socket, _ = await _connect(team, alice)
    charlie_socket, _ = await _connect(other_team, charlie)
    await alice_socket.receive_json_from()
    await charlie_socket.receive_json_from()
    await database_sync_to_async(services.role_create)(team=team, name="Planner", by=bob)
    assert await alice_socket.receive_json_from() == {"event": "roles-changed"}
    assert await charlie_socket.receive_nothing()
    await alice_socket.disconnect()
    await charlie_socket.disconnect()


async def test_teammate_coming_online_is_announced(team, alice, bob):
    alice_socket, _ = await _connect(team, alice)
    await alice_socket.receive_json_from()
    bob_socket, _ = await _connect(team, bob)
    assert await alice_socket.receive_json_from() == {"event": "presence-changed"}
    await bob_socket.disconnect()
    assert await alice_socket.receive_json_from() == {"event": "presence-changed"}
    await alice_socket.disconnect()


async def test_member_who_leaves_has_their_socket_closed_and_teammates_stay(team, alice, bob):
    alice_socket, _ = await _connect(team, alice)
    bob_socket, _ = await _connect(team, bob)
    membership = await database_sync_to_async(Membership.objects.get)(team=team, user=alice)
    await database_sync_to_async(services.member_leave)(membership=membership, by=bob)
    assert await _closed_within_a_second(alice_socket)
    assert not await _closed_within_a_second(bob_socket)
    await bob_socket.disconnect()


async def test_member_removed_from_one_team_keeps_sockets_to_her_other_team(
    team, other_team, alice, bob
):
    await database_sync_to_async(services.member_add)(team=other_team, user=alice)
    other_socket, _ = await _connect(other_team, alice)
    membership = await database_sync_to_async(Membership.objects.get)(team=team, user=alice)
    await database_sync_to_async(services.member_leave)(membership=membership, by=bob)
    assert not await _closed_within_a_second(other_socket)
    await other_socket.disconnect()


async def test_coach_whose_access_ends_has_their_socket_closed(team, alice):
    grant = await database_sync_to_async(CoachGrantFactory)(team=team)
    coach_socket, _ = await _connect(team, await database_sync_to_async(lambda: grant.coach)())
    await database_sync_to_async(services.coach_revoke)(grant=grant, by=alice)
    assert await _closed_within_a_second(coach_socket)


async def test_logging_out_closes_that_sessions_sockets_only(team, alice):
    tablet = await database_sync_to_async(_logged_in)(alice)
    tablet_socket, _ = await _connect(team, client=tablet)
    desk_socket, _ = await _connect(team, alice)
    await database_sync_to_async(tablet.post)("/logout/")
    assert await _closed_within_a_second(tablet_socket)
    assert not await _closed_within_a_second(desk_socket)
    await desk_socket.disconnect()


async def test_socket_closed_for_lost_access_is_marked_not_to_retry(team, alice, bob):
    alice_socket, _ = await _connect(team, alice)
    await alice_socket.receive_json_from()
    membership = await database_sync_to_async(Membership.objects.get)(team=team, user=alice)
    await database_sync_to_async(services.member_leave)(membership=membership, by=bob)
    outputs = [await alice_socket.receive_output(timeout=1) for _ in range(3)]
    assert {"type": "websocket.close", "code": CLOSE_DENIED} in outputs
