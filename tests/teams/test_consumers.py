from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from config.asgi import application
from teams import services
from teams.models import Presence
from tests.factories import CoachGrantFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

ORIGIN = (b"origin", b"http://127.0.0.1:8000")
HOST = (b"host", b"127.0.0.1:8000")


def _session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}".encode()


async def _connect(team, user=None, origin=ORIGIN):
    headers = [HOST, origin]
    if user is not None:
        headers.append((b"cookie", await database_sync_to_async(_session_cookie)(user)))
    communicator = WebsocketCommunicator(application, f"/ws/t/{team.slug}/", headers=headers)
    connected, _ = await communicator.connect()
    return communicator, connected


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
