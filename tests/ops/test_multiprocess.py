"""An event published in one daphne process reaches a socket held by another."""

from __future__ import annotations

import asyncio

import pytest

from bench.load.drills import wait_for_event
from bench.load.run import connect, tablets_from
from tests.ops.helpers import ops_env

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("layer", ["redis", "relay"])
def test_visit_recorded_through_one_process_reaches_a_teammate_on_another(
    layer, world, worker_id, servers, request
):
    redis_url = request.getfixturevalue("own_redis").url if layer == "redis" else None
    env = ops_env(worker_id, redis_url=redis_url)
    first, second = servers(env), servers(env)
    listener, writer, _ = tablets_from(world, [first.url])
    writer.servers = [second.url]

    async def scenario() -> tuple[int, dict, bool]:
        try:
            await connect([listener, writer])
            visit = writer.visits[0]
            status, body, _ = await writer.sync([writer.visit_record(visit)])
            return status, body, await wait_for_event(listener, "visit-changed", visit=visit)
        finally:
            await asyncio.gather(listener.close(), writer.close())

    status, body, arrived = asyncio.run(scenario())

    assert (status, body["results"][0]["status"]) == (200, "applied")
    assert arrived, f"no visit-changed reached the socket on the other process ({layer})"
