"""Fault drills: Redis stopped, a daphne process killed, PostgreSQL restarted mid-sync.

Each drill uses its own Redis and PostgreSQL (``bench.load.stack``), never the shared ones.
The suite's drills are short; ``python -m bench.load drills`` runs them at full length
(Redis away for 60 s). The fourth drill, the task worker killed mid-plan, is
``tests/rota/test_services_planning.py`` (the run is marked failed, never left "running").
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time

import psycopg
import pytest
from django.db import connection

from bench.load import drills, stack
from bench.load.run import tablets_from
from caseload.models import VisitRecord
from teams.models import Team
from teams.selectors import online_user_ids
from tests.ops.helpers import ops_env

REDIS_DOWN_SECONDS = 8
DOWN_SECONDS = 5  # PostgreSQL's outage in the restart drill


# Each drill starts its own servers, so it proves the same on either suite: run once, in the
# suite at scale (PostgreSQL and Redis), to keep CI short.
at_scale = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="the drills run in the suite on PostgreSQL and Redis"
)


@at_scale
@pytest.mark.django_db(transaction=True)
def test_redis_stopped_while_tablets_record_visits_loses_nothing(
    world, worker_id, servers, own_redis
):
    env = ops_env(worker_id, redis_url=own_redis.url)
    first, second = servers(env), servers(env)
    tablets = tablets_from(world, [first.url, second.url])

    outcome = asyncio.run(
        drills.redis_outage(
            tablets, stop=own_redis.stop, start=own_redis.start, seconds=REDIS_DOWN_SECONDS
        )
    )

    assert set(outcome.pages) == {200}
    assert set(outcome.syncs) == {(200, "applied")}
    assert VisitRecord.objects.count() == outcome.writes
    assert outcome.resumed, "live updates did not resume after Redis came back"


@at_scale
@pytest.mark.django_db(transaction=True)
def test_killed_daphne_sockets_reconnect_to_another_and_presence_recovers(
    world, worker_id, servers, own_redis
):
    env = ops_env(worker_id, redis_url=own_redis.url)
    doomed, survivor = servers(env), servers(env)
    tablets = tablets_from(world, [doomed.url])
    for tablet in tablets:
        tablet.servers = [doomed.url, survivor.url]
    moved = tablets[0]

    outcome = asyncio.run(drills.daphne_killed(tablets, kill=doomed.kill, survivor=survivor.url))

    team = Team.objects.get(slug=moved.team)
    assert outcome.reconnects == 1
    assert outcome.resumed, "the socket that moved to the surviving process gets no events"
    # Everyone is online again, the moved tablet through the survivor. The dead process's
    # rows are never refreshed again, so they stop counting after PRESENCE_TIMEOUT
    # (tests/teams/test_presence.py).
    assert {t.user for t in tablets} <= online_user_ids(team=team)


@pytest.fixture
def own_postgres():
    """A PostgreSQL cluster of this test's own, which the drill restarts."""
    # The drill has its own cluster, whatever the suite runs on: run it once, in the suite's
    # PostgreSQL run (CI's second leg), not again on SQLite.
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL drill runs when the suite runs on PostgreSQL (DATABASE_URL)")
    if reason := stack.missing(postgres=True):
        pytest.skip(reason)
    cluster = stack.Postgres()
    try:
        yield cluster.init().start()
    finally:
        cluster.remove()


def _manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [sys.executable, *args], env=env, check=True, capture_output=True, text=True, timeout=300
    ).stdout


def test_postgres_restarted_mid_sync_answers_503_and_applies_each_change_once(
    own_postgres, servers
):
    url = own_postgres.create_database("patch_drill")
    env = {**os.environ, "DATABASE_URL": url, "DATABASE_POOL": "1,4", "DEBUG": "false"}
    env.update(DATABASE_POOL_TIMEOUT="3", LOG_LEVEL="WARNING")
    env.pop("REDIS_URL", None)
    _manage(env, "manage.py", "migrate", "--noinput", "-v", "0")
    world = json.loads(_manage(env, "-m", "bench.load.build", "1", "1", "1"))
    server = servers(env)
    (tablet,) = tablets_from(world, [server.url])

    def restart() -> None:
        # Down for longer than the pool waits for a connection (3 s), so that requests in the
        # gap meet the outage however quickly this machine restarts PostgreSQL.
        own_postgres.stop()
        time.sleep(DOWN_SECONDS)
        own_postgres.start()

    outcome = asyncio.run(drills.postgres_restart(tablet, restart=restart, mutations=200))

    statuses = {status for status, _ in outcome.syncs}
    assert 503 in statuses, "the restart fell between batches: nothing was tested"
    assert statuses <= {200, 503}
    assert outcome.retry_after == {"5"}
    assert outcome.writes == outcome.sent
    with psycopg.connect(url) as conn:
        entries = conn.execute("SELECT count(*) FROM caseload_timeentry").fetchone()[0]
        kept = conn.execute(
            "SELECT count(*) FROM caseload_syncmutation WHERE original AND status = 'applied'"
        ).fetchone()[0]
    assert (entries, kept) == (outcome.sent, outcome.sent)
