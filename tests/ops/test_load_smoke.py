"""The load benchmark's short mode: a few tablets for a few seconds, nothing fails or is lost.

Timing is not asserted here: ``python -m bench.load`` measures it (docs/benchmarks.md).
"""

from __future__ import annotations

import asyncio

import pytest

from bench.load.build import build
from bench.load.run import connect, drive, tablets_from, warm_up
from tests.ops.helpers import ops_env


@pytest.mark.django_db(transaction=True)
def test_a_short_morning_peak_on_two_processes_has_no_errors_and_loses_no_events(
    worker_id, servers, own_redis
):
    built = build(teams=2, members=3, visits=10, prefix="smoke")
    env = ops_env(worker_id, redis_url=own_redis.url)
    urls = [servers(env).url, servers(env).url]
    tablets = tablets_from(built, urls)

    async def scenario():
        try:
            await connect(tablets)
            await warm_up(tablets)
            return await drive(tablets, today=built["today"], seconds=8, rate=4)
        finally:
            await asyncio.gather(*(t.close() for t in tablets))

    result = asyncio.run(scenario())

    assert result.requests > 0
    assert result.error_examples == []
    assert result.expected > 0, "no visit was recorded: nothing to check the fan-out with"
    assert result.lost == 0
