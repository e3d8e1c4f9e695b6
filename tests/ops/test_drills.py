"""Fault drills: Redis stopped, a daphne process killed, PostgreSQL restarted mid-sync.

Each drill uses its own Redis and PostgreSQL (``bench.load.stack``), never the shared ones.
The suite's drills are short; ``python -m bench.load drills`` runs them at full length
(Redis away for 60 s). The fourth drill, the task worker killed mid-plan, is
``tests/rota/test_services_planning.py`` (the run is marked failed, never left "running").
"""

from __future__ import annotations

import asyncio
import time

import pytest

from bench.load.run import connect, tablets_from
from caseload.models import VisitRecord
from teams.models import Presence, Team
from teams.selectors import online_user_ids
from tests.ops.helpers import event_for, ops_env

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_DOWN_SECONDS = 8


def test_redis_stopped_while_tablets_record_visits_loses_nothing(
    world, worker_id, servers, own_redis
):
    env = ops_env(worker_id, redis_url=own_redis.url)
    first, second = servers(env), servers(env)
    tablets = tablets_from(world, [first.url, second.url])
    statuses: list[tuple[str, int, str]] = []

    async def record(tablet, visit: str) -> None:
        status, body, _ = await tablet.sync([tablet.visit_record(visit)])
        statuses.append(("sync", status, body.get("results", [{}])[0].get("status", "")))

    async def scenario() -> bool:
        try:
            await connect(tablets)
            own_redis.stop()
            deadline = time.monotonic() + REDIS_DOWN_SECONDS
            n = 0
            while time.monotonic() < deadline:
                for tablet in tablets:
                    await record(tablet, tablet.visits[n])
                    statuses.append(("today", await tablet.get(f"/t/{tablet.team}/today/"), ""))
                n += 1
                await asyncio.sleep(1)
            own_redis.start()
            # Sockets come back (live.js reconnects and refreshes its live regions), and the
            # next change reaches every teammate again.
            await asyncio.gather(*(t.wait_open(timeout=60) for t in tablets))
            await asyncio.sleep(2)  # let every socket finish joining its groups
            writer, *others = tablets
            visit = writer.visits[-1]
            await record(writer, visit)
            arrived = await asyncio.gather(
                *(event_for(t, "visit-changed", visit=visit) for t in others)
            )
            return all(arrived)
        finally:
            await asyncio.gather(*(t.close() for t in tablets))

    resumed = asyncio.run(scenario())

    assert {s for s in statuses if s[0] == "today"} == {("today", 200, "")}
    assert {s for s in statuses if s[0] == "sync"} == {("sync", 200, "applied")}
    written = sum(1 for s in statuses if s[0] == "sync")
    assert VisitRecord.objects.count() == written
    assert resumed, "live updates did not resume after Redis came back"


def test_killed_daphne_sockets_reconnect_to_another_and_presence_recovers(
    world, worker_id, servers, own_redis
):
    env = ops_env(worker_id, redis_url=own_redis.url)
    doomed, survivor = servers(env), servers(env)
    tablets = tablets_from(world, [doomed.url, survivor.url])
    for tablet in tablets:
        tablet.servers = [doomed.url, survivor.url]
    moved = tablets[0]

    async def scenario() -> tuple[int, bool]:
        try:
            await connect(tablets)
            first_connects = moved.connects
            doomed.kill()
            await asyncio.sleep(0.5)
            await moved.wait_open(timeout=60)
            reconnects = moved.connects - first_connects
            # The proxy now sends HTTP to the survivor too.
            writer = tablets[1]
            writer.servers = [survivor.url]
            visit = writer.visits[0]
            status, _, _ = await writer.sync([writer.visit_record(visit)])
            assert status == 200
            return reconnects, await event_for(moved, "visit-changed", visit=visit)
        finally:
            await asyncio.gather(*(t.close() for t in tablets))

    reconnects, arrived = asyncio.run(scenario())

    team = Team.objects.get(slug=world["tablets"][0]["team"])
    assert reconnects == 1
    assert arrived, "the socket that moved to the surviving process gets no events"
    assert {t["user"] for t in world["tablets"]} <= online_user_ids(team=team)
    # The moved socket has a new row; the dead process's row is never refreshed again, so it
    # stops counting after PRESENCE_TIMEOUT (tests/teams/test_presence.py).
    assert Presence.objects.filter(user_id=moved.user).count() == 2
