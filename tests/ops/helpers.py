"""Helpers shared by the operations tests."""

from __future__ import annotations

import asyncio
import time

import pytest

from bench.load.tablet import Tablet
from tests.servers import NoSharedDatabase, server_env


def ops_env(worker_id: str, *, redis_url: str | None) -> dict[str, str]:
    """Server settings on the test database, DEBUG off (as deployed), Redis or the DB relay."""
    try:
        env = server_env(worker_id)
    except NoSharedDatabase as reason:
        pytest.skip(f"server processes need the test database in a file: {reason}")
    env.update(DEBUG="false", LOG_LEVEL="WARNING")
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


async def event_for(tablet: Tablet, name: str, *, seconds: float = 30, **ids: str) -> bool:
    """Wait until ``tablet`` has received ``name`` with these ids; say whether it did."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for event in tablet.events_named(name):
            if all(event.data.get(k) == v for k, v in ids.items()):
                return True
        await asyncio.sleep(0.05)
    return False
