"""Drive tablets through the morning-peak mix and measure what they see.

Each tablet loops: pick a request kind by weight, make it, wait a random think time (mean
``tablets / rate`` seconds, so the whole fleet offers about ``rate`` requests a second). A
visit record is also a fan-out probe: the tablets of the writer's team that have their socket
open when the write is sent should each receive ``visit-changed`` for that visit.
"""

from __future__ import annotations

import asyncio
import random
import sys
import time
from dataclasses import dataclass, field
from math import ceil

import aiohttp

from bench.load.tablet import Tablet

# The morning peak: mostly reading Today and clients' pages, a visit recorded now and then.
MIX = {"today": 3, "client": 3, "record": 2, "time": 1, "board": 1}
FANOUT_GRACE = 5.0  # seconds after the run for the last events to arrive


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, ceil(p / 100 * len(ordered)) - 1)]  # nearest rank


@dataclass
class Write:
    visit: str
    team: str
    sent: float
    writer: int
    receivers: list[int]


@dataclass
class Result:
    seconds: float
    samples: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in MIX})
    errors: dict[str, int] = field(default_factory=dict)
    error_examples: list[str] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)
    fanout_ms: list[float] = field(default_factory=list)
    lost: int = 0
    expected: int = 0

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.samples.values())

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def all_ms(self) -> list[float]:
        return [ms for values in self.samples.values() for ms in values]

    def error(self, kind: str, detail: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1
        if len(self.error_examples) < 10:
            self.error_examples.append(f"{kind}: {detail}")


class Mix:
    """The request kinds, each one call on a tablet; a failure is recorded, never raised."""

    def __init__(self, tablets: list[Tablet], today: str, result: Result) -> None:
        self.tablets, self.day, self.result = tablets, today, result
        self.next_visit = [0] * len(tablets)

    async def do(self, index: int, kind: str) -> None:
        tablet = self.tablets[index]
        started = time.monotonic()
        try:
            ok, detail = await getattr(self, kind)(index, tablet, started)
        except (TimeoutError, aiohttp.ClientError, OSError) as error:
            ok, detail = False, repr(error)
        elapsed_ms = (time.monotonic() - started) * 1000
        self.result.samples[kind].append(elapsed_ms)
        if not ok:
            self.result.error(kind, detail)

    async def _page(self, tablet: Tablet, path: str) -> tuple[bool, str]:
        status = await tablet.get(path)
        return status == 200, f"GET {path} answered {status}"

    async def today(self, index: int, tablet: Tablet, started: float) -> tuple[bool, str]:
        return await self._page(tablet, f"/t/{tablet.team}/today/")

    async def client(self, index: int, tablet: Tablet, started: float) -> tuple[bool, str]:
        client = random.choice(tablet.clients)
        return await self._page(tablet, f"/t/{tablet.team}/clients/{client}/")

    async def board(self, index: int, tablet: Tablet, started: float) -> tuple[bool, str]:
        return await self._page(tablet, f"/t/{tablet.team}/board/")

    async def _sync(self, tablet: Tablet, mutation: dict) -> tuple[bool, str]:
        status, body, _ = await tablet.sync([mutation])
        if status != 200:
            return False, f"sync answered {status}: {body}"
        outcome = body["results"][0]["status"]
        return outcome == "applied", f"sync item {outcome}: {body['results'][0]}"

    async def record(self, index: int, tablet: Tablet, started: float) -> tuple[bool, str]:
        n = self.next_visit[index]
        if n >= len(tablet.visits):
            return await self.time(index, tablet, started)  # this nurse's day is recorded
        self.next_visit[index] += 1
        visit = tablet.visits[n]
        receivers = [
            i
            for i, other in enumerate(self.tablets)
            if i != index and other.team == tablet.team and other.socket_open
        ]
        self.result.writes.append(Write(visit, tablet.team, started, index, receivers))
        return await self._sync(tablet, Tablet.visit_record(visit))

    async def time(self, index: int, tablet: Tablet, started: float) -> tuple[bool, str]:
        return await self._sync(tablet, Tablet.time_entry(self.day, random.randint(5, 60)))


def count_fanout(tablets: list[Tablet], result: Result) -> None:
    """Match each write to ``visit-changed`` at every teammate socket open when it was sent."""
    arrivals: dict[tuple[int, str], float] = {}
    for i, tablet in enumerate(tablets):
        for event in tablet.events_named("visit-changed"):
            arrivals.setdefault((i, event.data.get("visit", "")), event.at)
    for write in result.writes:
        for receiver in write.receivers:
            result.expected += 1
            at = arrivals.get((receiver, write.visit))
            if at is None:
                result.lost += 1
            else:
                result.fanout_ms.append((at - write.sent) * 1000)


async def drive(
    tablets: list[Tablet], *, today: str, seconds: float, rate: float, label: str = ""
) -> Result:
    """Run the mix for ``seconds`` at about ``rate`` requests a second; print progress."""
    result = Result(seconds=seconds)
    mix = Mix(tablets, today, result)
    kinds, weights = list(MIX), list(MIX.values())
    end = time.monotonic() + seconds
    think = len(tablets) / rate

    async def loop(index: int) -> None:
        # Do not start in step, nor sleep past the step's end (with many tablets at a low rate
        # the think time is longer than the step).
        await asyncio.sleep(min(random.uniform(0, think), max(0.0, end - time.monotonic())))
        while time.monotonic() < end:
            await mix.do(index, random.choices(kinds, weights)[0])
            pause = random.expovariate(1 / think)
            await asyncio.sleep(max(0.0, min(pause, end - time.monotonic())))

    async def progress() -> None:
        started = time.monotonic()
        while True:
            await asyncio.sleep(5)
            recent = result.all_ms()[-500:]
            print(
                f"  {label}{time.monotonic() - started:4.0f}/{seconds:.0f} s: "
                f"{result.requests} requests, {result.error_count} errors, "
                f"p95 of the last {len(recent)} {percentile(recent, 95):.0f} ms",
                file=sys.stderr,
                flush=True,
            )

    reporter = asyncio.create_task(progress())
    started = time.monotonic()
    await asyncio.gather(*(loop(i) for i in range(len(tablets))))
    result.seconds = time.monotonic() - started
    reporter.cancel()
    await asyncio.sleep(FANOUT_GRACE)
    count_fanout(tablets, result)
    return result


async def connect(tablets: list[Tablet], *, timeout: float = 120) -> None:
    """Start every tablet and open its socket, a few at a time (as a morning's logins would)."""
    for tablet in tablets:
        await tablet.start()
        tablet.open_socket()
    await asyncio.wait_for(asyncio.gather(*(t.wait_open() for t in tablets)), timeout)


async def warm_up(tablets: list[Tablet]) -> None:
    """GET each page for a few tablets, untimed: the first hits compile templates and fill
    each process's caches, which is start-up cost, not the morning peak."""
    gate = asyncio.Semaphore(8)

    async def warm(tablet: Tablet) -> None:
        async with gate:
            for path in ("today/", f"clients/{tablet.clients[0]}/", "board/"):
                await tablet.get(f"/t/{tablet.team}/{path}")

    await asyncio.gather(*(warm(t) for t in tablets[:20]))


def tablets_from(built: dict, servers: list[str]) -> list[Tablet]:
    """Make a Tablet per built session, spread over ``servers`` (the proxy's round-robin)."""
    return [
        Tablet(
            servers=servers[i % len(servers) :] + servers[: i % len(servers)],
            team=row["team"],
            session=row["session"],
            visits=list(row["visits"]),
            clients=list(row["clients"]),
            user=row["user"],
        )
        for i, row in enumerate(built["tablets"])
    ]
