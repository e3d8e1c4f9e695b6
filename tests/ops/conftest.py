"""Operations tests: several server processes, private Redis and PostgreSQL, faults on purpose.

Every process here is the test's own child on a port of its own, so stopping Redis or
restarting PostgreSQL never touches the services other tests (or other test workers) share.
The tests that start servers run one at a time in their own xdist group (with
``--dist loadgroup``, as ``scripts/dev test`` runs): each starts two or three.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.load import stack
from bench.load.build import build

SERVER_FIXTURES = {"servers", "own_redis", "own_postgres"}


def pytest_collection_modifyitems(items):
    here = str(Path(__file__).parent)
    for item in items:
        if str(item.fspath).startswith(here) and SERVER_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.xdist_group("ops"))


@pytest.fixture(scope="session")
def own_redis(tmp_path_factory):
    """A redis-server of this test worker's own, which a drill may stop and start again."""
    if reason := stack.missing():
        pytest.skip(reason)
    redis = stack.Redis(log=tmp_path_factory.mktemp("redis") / "redis.log").start()
    yield redis
    redis.stop()


@pytest.fixture
def servers(tmp_path):
    """Start daphne processes on demand; stop every one of them after the test."""
    started: list[stack.Daphne] = []

    def start(env: dict[str, str]) -> stack.Daphne:
        daphne = stack.Daphne(env=env, log=tmp_path / f"daphne-{len(started)}.log").start()
        started.append(daphne)
        return daphne

    yield start
    for daphne in started:
        daphne.stop()


@pytest.fixture
def world(transactional_db):
    """One team of three nurses, each with visits today and a session the servers accept."""
    return build(teams=1, members=3, visits=6)
