"""Run daphne on a loopback port and time pages through one logged-in keep-alive connection.

No Django here: this side is the browser, and must not share the server's process or settings.
"""

from __future__ import annotations

import http.client
import re
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from math import ceil
from pathlib import Path
from urllib.parse import urlencode

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextmanager
def daphne(env: dict[str, str]) -> Iterator[int]:
    """Start daphne with ``env`` and yield its port once /healthz answers; stop it after."""
    port = free_port()
    log = open(Path(env["BENCH_TMP"]) / "daphne.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [str(ROOT / ".venv/bin/daphne"), "-b", HOST, "-p", str(port), "config.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"daphne exited with {proc.returncode}; see {log.name}")
            try:
                conn = http.client.HTTPConnection(HOST, port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"daphne did not answer within {STARTUP_SECONDS}s")
            time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


class Browser:
    """One HTTP/1.1 connection with a cookie jar: what a logged-in tablet does, minus rendering."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(HOST, port, timeout=60)

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None
    ) -> tuple[int, bytes, http.client.HTTPResponse]:
        headers = {"Host": HOST}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                content = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionError, http.client.BadStatusLine):
                # The server closed an idle keep-alive connection: reconnect once.
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
                if attempt:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, content, response

    def login(self, email: str, password: str) -> None:
        status, html, _ = self.request("GET", "/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if status != 200 or match is None:
            raise RuntimeError(f"no login form (status {status})")
        status, _, response = self.request(
            "POST",
            "/login/",
            {
                "csrfmiddlewaretoken": match.group(1).decode(),
                "username": email,
                "password": password,
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login failed (status {status})")

    def close(self) -> None:
        self.conn.close()


@dataclass
class Timing:
    name: str
    samples_ms: list[float]
    bytes_mean: int

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples_ms)
        return ordered[max(0, ceil(0.95 * len(ordered)) - 1)]  # nearest rank


def measure(
    browser: Browser, pages: dict[str, list[str]], *, requests: int, warmup: int
) -> list[Timing]:
    """Time ``requests`` GETs of each page after ``warmup`` untimed ones, round-robin.

    Interleaving page by page means a burst of load from elsewhere on the machine lands on the
    baseline and the pages alike, so the ratios stay fair even when the milliseconds do not.
    Each page rotates over its list of URLs.
    """
    samples: dict[str, list[float]] = {name: [] for name in pages}
    sizes: dict[str, list[int]] = {name: [] for name in pages}
    step = max(1, requests // 4)
    for i in range(warmup + requests):
        for name, paths in pages.items():
            path = paths[i % len(paths)]
            started = time.perf_counter()
            status, content, _ = browser.request("GET", path)
            elapsed = (time.perf_counter() - started) * 1000
            if status != 200:
                raise RuntimeError(f"GET {path} answered {status}")
            if i >= warmup:
                samples[name].append(elapsed)
                sizes[name].append(len(content))
        done = i - warmup + 1
        if done > 0 and (done % step == 0 or done == requests):
            so_far = ", ".join(f"{n} {statistics.median(v):.1f}" for n, v in samples.items())
            print(
                f"    {done}/{requests} rounds; median ms so far: {so_far}",
                file=sys.stderr,
                flush=True,
            )
    return [
        Timing(name=name, samples_ms=samples[name], bytes_mean=round(statistics.mean(sizes[name])))
        for name in pages
    ]


def server_env(base: dict[str, str]) -> dict[str, str]:
    """Development settings as shipped, minus DEBUG (which logs every query and slows pages)."""
    env = {k: v for k, v in base.items() if k != "PATCH_ENV"}
    env.update(DEBUG="false", ALLOWED_HOSTS=HOST, LOG_LEVEL="WARNING")
    env.setdefault("PYTHONPATH", str(ROOT))
    return env
