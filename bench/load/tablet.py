"""A simulated tablet: a logged-in HTTP session and the team socket, as live.js keeps it.

The socket reconnects after it drops, to the next server in the list (what the proxy does
when a daphne process is gone), with live.js's full-jitter backoff, capped lower so that
drills stay short. Every event received is kept with its arrival time.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from dataclasses import dataclass, field

import aiohttp

CSRF = "loadtestloadtestloadtestloadtest"  # any 32 characters: cookie and header must match
BACKOFF_BASE = 0.2
BACKOFF_CAP = 2.0


@dataclass
class Event:
    at: float  # time.monotonic() on arrival
    data: dict


@dataclass
class Tablet:
    """One nurse's tablet, given a session the server already holds (see ``bench.load.build``)."""

    servers: list[str]  # base URLs; HTTP goes to the first, the socket may move along the list
    team: str
    session: str
    visits: list[str] = field(default_factory=list)  # planned visits this nurse may record
    clients: list[int] = field(default_factory=list)
    user: int = 0
    events: list[Event] = field(default_factory=list)
    connects: int = 0
    http: aiohttp.ClientSession | None = None
    _socket_task: asyncio.Task | None = None
    _open: asyncio.Event = field(default_factory=asyncio.Event)
    device: str = field(default_factory=lambda: str(uuid.uuid4()))

    async def start(self) -> None:
        jar = aiohttp.CookieJar(unsafe=True)  # cookies for 127.0.0.1
        jar.update_cookies({"sessionid": self.session, "csrftoken": CSRF})
        self.http = aiohttp.ClientSession(cookie_jar=jar, timeout=aiohttp.ClientTimeout(total=60))

    async def close(self) -> None:
        if self._socket_task is not None:
            self._socket_task.cancel()
            await asyncio.gather(self._socket_task, return_exceptions=True)
        if self.http is not None:
            await self.http.close()

    # --- HTTP -------------------------------------------------------------------------------

    async def get(self, path: str) -> int:
        assert self.http is not None
        async with self.http.get(self.servers[0] + path, allow_redirects=False) as response:
            await response.read()
            return response.status

    async def sync(self, mutations: list[dict]) -> tuple[int, dict, str | None]:
        """POST a batch to the sync endpoint; return status, JSON body and Retry-After."""
        assert self.http is not None
        url = f"{self.servers[0]}/t/{self.team}/sync/"
        body = json.dumps({"device": self.device, "mutations": mutations})
        headers = {"Content-Type": "application/json", "X-CSRFToken": CSRF, "Referer": url}
        async with self.http.post(url, data=body, headers=headers) as response:
            text = await response.text()
            try:
                payload = json.loads(text)
            except ValueError:
                payload = {"error": text[:200]}
            return response.status, payload, response.headers.get("Retry-After")

    @staticmethod
    def visit_record(visit: str) -> dict:
        return {
            "id": str(uuid.uuid4()),
            "kind": "visit.record",
            "target": visit,
            "base_version": 1,
            "payload": {
                "actual_minutes": 25,
                "travel_minutes": 5,
                "interventions_done": [],
                "note": "",
                "ratings": [],
            },
        }

    @staticmethod
    def time_entry(day: str, minutes: int) -> dict:
        return {
            "id": str(uuid.uuid4()),
            "kind": "time.save",
            "target": str(uuid.uuid4()),
            "base_version": None,
            "payload": {"date": day, "category": "team", "minutes": minutes},
        }

    # --- the socket -------------------------------------------------------------------------

    def open_socket(self) -> None:
        self._socket_task = asyncio.create_task(self._keep_socket())

    async def wait_open(self, timeout: float = 60) -> None:
        await asyncio.wait_for(self._open.wait(), timeout)

    @property
    def socket_open(self) -> bool:
        return self._open.is_set()

    async def _keep_socket(self) -> None:
        assert self.http is not None
        attempt, server = 0, 0
        while True:
            base = self.servers[server % len(self.servers)]
            url = base.replace("http", "ws", 1) + f"/ws/t/{self.team}/"
            try:
                async with self.http.ws_connect(url, origin=base, heartbeat=None) as socket:
                    self.connects += 1
                    attempt = 0
                    self._open.set()
                    async for message in socket:
                        if message.type == aiohttp.WSMsgType.TEXT:
                            self.events.append(Event(time.monotonic(), json.loads(message.data)))
                        elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.ERROR):
                            break
            except (TimeoutError, aiohttp.ClientError, OSError):
                pass
            self._open.clear()
            # Full jitter, as live.js; the next attempt tries the next server.
            await asyncio.sleep(random.uniform(0, min(BACKOFF_CAP, BACKOFF_BASE * 2**attempt)))
            attempt += 1
            server += 1

    def events_named(self, name: str) -> list[Event]:
        return [e for e in self.events if e.data.get("event") == name]
