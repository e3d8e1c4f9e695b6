"""Start a real daphne on the test database, for browser and fault tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NoSharedDatabase(RuntimeError):
    """The test database lives in this process's memory, where no server process can reach it."""


def server_env(worker_id: str) -> dict[str, str]:
    """Point a server process at this test worker's database and channel-layer prefix."""
    env = {**os.environ, "CHANNEL_PREFIX": f"patch-test-{worker_id}"}
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        if connection.is_in_memory_db():
            raise NoSharedDatabase(
                f"the test database is SQLite in memory ({db['NAME']}): a server process "
                "cannot share it; give DATABASE_URL or SQLITE_PATH a file"
            )
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(db["NAME"])
    else:
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        )
    return env


def start_daphne(*, env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    """Start daphne and wait until it accepts connections (90 s at most: a loaded two-core
    machine has taken over 30 s to import Django and bind)."""
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port)]
            + ["config.asgi:application"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"daphne exited:\n{log.read_text()}") from None
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"daphne did not start:\n{log.read_text()}")
