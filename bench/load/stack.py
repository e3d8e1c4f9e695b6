"""Start and stop the processes of the production layout on loopback: daphne, Redis, PostgreSQL.

Each one is this program's own child on a port of its own, so a drill can stop, kill or
restart it without touching the PostgreSQL and Redis that other work on the machine shares.
No Django here: the load side must not share the server's process or settings.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 180  # a two-core machine shared with other work has taken over 90 s


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _wait_for(check, what: str, process: subprocess.Popen | None, log: Path | None) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if check():
            return
        if process is not None and process.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            raise RuntimeError(f"{what} exited with {process.returncode}:\n{tail}")
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start within {STARTUP_SECONDS} s")


def _stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


def _answers_http(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=2) as sock:
            sock.sendall(b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            return sock.recv(12).startswith(b"HTTP/1.")
    except OSError:
        return False


class Daphne:
    """One daphne server process on ``port`` with ``env`` (the settings come from it)."""

    def __init__(self, *, env: dict[str, str], log: Path, port: int | None = None) -> None:
        self.env, self.log, self.port = env, log, port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> Daphne:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "daphne", "--proxy-headers", "-b", HOST]
                + ["-p", str(self.port), "config.asgi:application"],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            _wait_for(lambda: _answers_http(self.port), "daphne", self.process, self.log)
        except RuntimeError:
            _stop(self.process)  # never leave a half-started server behind
            raise
        return self

    def kill(self) -> None:
        """End the process at once, as a crash or the OOM killer would: no socket is closed."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=15)

    def stop(self) -> None:
        _stop(self.process)


class Redis:
    """A private redis-server without persistence, for drills that stop it."""

    def __init__(self, *, log: Path, port: int | None = None) -> None:
        self.log, self.port = log, port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def _pong(self) -> bool:
        try:
            with socket.create_connection((HOST, self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(7) == b"+PONG\r\n"
        except OSError:
            return False

    def start(self) -> Redis:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                ["redis-server", "--port", str(self.port), "--bind", HOST, "--save", ""]
                + ["--appendonly", "no"],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            _wait_for(self._pong, "redis-server", self.process, self.log)
        except RuntimeError:
            _stop(self.process)
            raise
        return self

    def stop(self) -> None:
        _stop(self.process)


def postgres_bin() -> Path | None:
    """The newest PostgreSQL server binaries installed the Debian way, if any."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: p.split("/")[4])
    return Path(found[-1]).parent if found else None


class Postgres:
    """A private PostgreSQL cluster in ``folder`` (trust auth, loopback only), for drills that
    restart it. Runs as the ``postgres`` user when started by root, as initdb requires."""

    def __init__(self, *, port: int | None = None) -> None:
        # Its own folder under /tmp: the postgres user cannot enter root's private temp dirs.
        self.folder, self.port = Path(tempfile.mkdtemp(prefix="patch-pg-")), port or free_port()
        self.bin = postgres_bin()
        if self.bin is None:
            raise RuntimeError("PostgreSQL server binaries not found in /usr/lib/postgresql")
        self.data = self.folder / "data"

    def url(self, name: str) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{name}"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode:
            raise RuntimeError(f"{args[0]} failed: {done.stderr or done.stdout}")

    def init(self) -> Postgres:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")
        return self

    def start(self) -> Postgres:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses={HOST} -c fsync=off "
            "-c max_connections=200"
        )
        log = str(self.folder / "postgres.log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "start")
        return self

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        """Stop the cluster if it runs and delete its folder."""
        if (self.data / "postmaster.pid").exists():
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def create_database(self, name: str) -> str:
        self._run("createdb", "-h", HOST, "-p", str(self.port), "-U", "postgres", name)
        return self.url(name)


def missing(*, postgres: bool = False) -> str | None:
    """Say which server program a drill needs but the machine lacks (None: all present)."""
    if shutil.which("redis-server") is None:
        return "redis-server is not installed (apt-get install redis-server)"
    if postgres and postgres_bin() is None:
        return "PostgreSQL is not installed (apt-get install postgresql)"
    return None
