"""Helpers shared by the operations tests."""

from __future__ import annotations

import pytest

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
