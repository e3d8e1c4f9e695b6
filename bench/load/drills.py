"""Fault drills, as tablets see them: each returns what happened, for a test or a report.

The servers and services are started by the caller (``bench.load.stack``); a drill only
breaks one of them at the right moment and drives the tablets through it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import aiohttp

from bench.load.run import connect
from bench.load.tablet import Tablet


async def wait_for_event(tablet: Tablet, name: str, *, seconds: float = 30, **ids: str) -> bool:
    """Wait until ``tablet`` has received ``name`` with these ids; say whether it did."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for event in tablet.events_named(name):
            if all(event.data.get(k) == v for k, v in ids.items()):
                return True
        await asyncio.sleep(0.05)
    return False


@dataclass
class Outcome:
    pages: list[int] = field(default_factory=list)  # HTTP statuses of pages during the fault
    syncs: list[tuple[int, str]] = field(default_factory=list)  # (status, first item's outcome)
    writes: int = 0
    resumed: bool = False  # the change after the fault reached every teammate's socket
    reconnects: int = 0
    retry_after: set[str] = field(default_factory=set)  # Retry-After values seen with 503
    sent: int = 0  # mutations the outbox held


async def _record(tablet: Tablet, visit: str, outcome: Outcome) -> None:
    status, body, _ = await tablet.sync([tablet.visit_record(visit)])
    outcome.syncs.append((status, body.get("results", [{}])[0].get("status", "")))
    outcome.writes += 1


async def _change_reaches_teammates(writer: Tablet, others: list[Tablet], visit: str) -> bool:
    status, _, _ = await writer.sync([writer.visit_record(visit)])
    if status != 200:
        return False
    arrived = await asyncio.gather(
        *(wait_for_event(t, "visit-changed", visit=visit) for t in others)
    )
    return all(arrived)


async def redis_outage(
    tablets: list[Tablet], *, stop: Callable[[], None], start: Callable[[], None], seconds: float
) -> Outcome:
    """Stop Redis for ``seconds`` while every tablet records a visit and opens Today each
    second (while it has visits left, keeping its last one); start it again and check that
    the next change reaches every teammate."""
    outcome = Outcome()
    try:
        await connect(tablets)
        stop()
        deadline, n = time.monotonic() + seconds, 0
        spare = min(len(t.visits) for t in tablets) - 1  # the last one shows live updates resumed
        while time.monotonic() < deadline and n < spare:
            for tablet in tablets:
                await _record(tablet, tablet.visits[n], outcome)
                outcome.pages.append(await tablet.get(f"/t/{tablet.team}/today/"))
            n += 1
            await asyncio.sleep(1)
        start()
        # live.js reconnects (and refreshes its live regions, which covers the missed events).
        await asyncio.gather(*(t.wait_open(timeout=60) for t in tablets))
        await asyncio.sleep(2)  # let every socket finish joining its groups
        writer, *others = tablets
        outcome.resumed = await _change_reaches_teammates(writer, others, writer.visits[-1])
        outcome.writes += 1
    finally:
        await asyncio.gather(*(t.close() for t in tablets))
    return outcome


async def daphne_killed(
    tablets: list[Tablet], *, kill: Callable[[], None], survivor: str
) -> Outcome:
    """Kill the process holding the first tablet's socket; it must reconnect to the survivor
    and get the next change a teammate makes there."""
    outcome = Outcome()
    moved, writer, *_ = tablets
    try:
        await connect(tablets)
        before = moved.connects
        kill()
        await asyncio.sleep(0.5)
        await moved.wait_open(timeout=60)
        outcome.reconnects = moved.connects - before
        writer.servers = [survivor]  # the proxy sends HTTP to the survivor too
        outcome.resumed = await _change_reaches_teammates(writer, [moved], writer.visits[0])
    finally:
        await asyncio.gather(*(t.close() for t in tablets))
    return outcome


async def postgres_restart(
    tablet: Tablet,
    *,
    restart: Callable[[], None],
    mutations: int,
    batch: int = 10,
    after: int = 3,
) -> Outcome:
    """Replay an outbox of ``mutations`` time entries in batches, as outbox.js does, and
    restart PostgreSQL after ``after`` batches. An item leaves the outbox only when the
    server answers it applied or duplicate; a 503 waits for its Retry-After (capped at 1 s
    to keep the drill short) and sends the same items again."""
    outcome = Outcome()
    outbox = [tablet.time_entry("2026-12-01", n % 480 + 1) for n in range(mutations)]
    outcome.sent = len(outbox)
    sent_batches = 0
    restarter: asyncio.Task | None = None
    await tablet.start()
    try:
        deadline = time.monotonic() + 300
        while outbox and time.monotonic() < deadline:
            if sent_batches == after and restarter is None:
                restarter = asyncio.create_task(asyncio.to_thread(restart))
            try:
                status, body, retry_after = await tablet.sync(outbox[:batch])
            except (TimeoutError, aiohttp.ClientError, OSError):
                status, body, retry_after = 0, {}, None
            sent_batches += 1
            outcome.syncs.append((status, ""))
            if status == 200:
                done = {r["id"] for r in body["results"] if r["status"] in {"applied", "duplicate"}}
                outbox = [m for m in outbox if m["id"] not in done]
                continue
            if status == 503 and retry_after:
                outcome.retry_after.add(retry_after)
            await asyncio.sleep(min(float(retry_after or 1), 1.0))
        if restarter is not None:
            await restarter
    finally:
        await tablet.close()
    outcome.writes = outcome.sent - len(outbox)
    return outcome
