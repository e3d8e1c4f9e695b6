"""The morning peak against the production layout, the embedded default's limit, and drills.

    python -m bench.load scale    [--tablets 200] [--rates 25,50,100,150] [--step-seconds 30]
                                  [--database pool|persistent|per-request] [--no-write]
    python -m bench.load embedded [--tablets 5,10,20,40,80] [--step-seconds 30] [--no-write]
    python -m bench.load drills   [--redis-seconds 60] [--no-write]

Everything runs on loopback and stops by itself. ``scale`` starts a private PostgreSQL
cluster and Redis, two daphne processes and N tablets (sessions and sockets, teams of ten),
then offers the mix at each rate in turn; the knee is the first rate whose p95 passes 300 ms.
``embedded`` runs one daphne on SQLite with the DB relay, adding tablets (each asking about
every two seconds) until "database is locked" appears or p95 passes 1 s. ``drills`` runs the
fault drills of ``tests/ops`` at full length. Results go to docs/benchmarks.md unless
``--no-write``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

from bench.doc import commit, cpu_model, write_section
from bench.load import drills, stack
from bench.load.run import MIX, Result, connect, drive, percentile, tablets_from, warm_up

ROOT = stack.ROOT
KNEE_MS = 300
EMBEDDED_LIMIT_MS = 1000
SECONDS_PER_REQUEST = 2.0  # one tablet's pace in the embedded run
DATABASE_MODES = {
    "pool": {"DATABASE_POOL": "2,8"},
    "persistent": {"DATABASE_CONN_MAX_AGE": "60"},
    "per-request": {},
}


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def base_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PATCH_ENV", "REDIS_URL"}}
    env.update(DEBUG="false", ALLOWED_HOSTS="127.0.0.1", LOG_LEVEL="WARNING", PYTHONPATH=str(ROOT))
    env.pop("DATABASE_URL", None)
    env["SQLITE_PATH"] = str(tmp / "patch.sqlite3")
    return env


def prepare(env: dict[str, str], *, teams: int, members: int, visits: int) -> dict:
    """Migrate the database named by ``env`` and build the world in a child process."""
    say(f"== migrating and building {teams} teams of {members} ({teams * members} tablets)")
    run = {"cwd": ROOT, "env": env, "check": True, "timeout": 1800}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], **run)
    out = subprocess.run(
        [sys.executable, "-m", "bench.load.build", str(teams), str(members), str(visits)],
        capture_output=True,
        text=True,
        **run,
    ).stdout
    return json.loads(out)


def redis_clients(redis: stack.Redis) -> int:
    import redis as redis_py

    return redis_py.Redis(port=redis.port).info("clients")["connected_clients"]


def row(label: str, result: Result, knee_ms: float) -> str:
    every = result.all_ms()
    cells = [
        label,
        f"{result.throughput:.1f}",
        *(
            f"{percentile(result.samples[k], 50):.0f} / {percentile(result.samples[k], 95):.0f}"
            f" / {percentile(result.samples[k], 99):.0f}"
            for k in MIX
        ),
        f"**{percentile(every, 95):.0f}**"
        if percentile(every, 95) > knee_ms
        else f"{percentile(every, 95):.0f}",
        f"{percentile(result.fanout_ms, 50):.0f} / {percentile(result.fanout_ms, 95):.0f}"
        f" / {percentile(result.fanout_ms, 99):.0f}",
        f"{result.expected - result.lost} of {result.expected}",
        str(result.error_count),
    ]
    return "| " + " | ".join(cells) + " |"


def table(first: str, rows: list[str]) -> str:
    kinds = " | ".join(f"{k} p50/95/99 ms" for k in MIX)
    head = f"| {first} | req/s | {kinds} | all p95 ms | fan-out p50/95/99 ms | events | errors |"
    return "\n".join([head, "|" + "---|" * (6 + len(MIX)), *rows])


def header(command: str) -> str:
    load = os.getloadavg()[0]
    return (
        f"Command: `{command}`  \n"
        f"Machine: {os.cpu_count()} cores ({cpu_model()}), Python {platform.python_version()}, "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit `{commit()}`; one-minute load "
        f"average {load:.1f} at the end (other work shared the machine)"
    )


async def measure(tablets, *, today: str, rates: list[float], seconds: float, limit: float):
    results = []
    try:
        await connect(tablets)
        say(f"   {len(tablets)} sockets open; warming up (each page for 20 tablets, untimed)")
        await warm_up(tablets)
        for rate in rates:
            say(f"== {rate:g} requests/s offered for {seconds:g} s")
            result = await drive(
                tablets, today=today, seconds=seconds, rate=rate, label=f"{rate:g}/s "
            )
            results.append((rate, result))
            every = result.all_ms()
            say(
                f"   {result.throughput:.1f} req/s, p95 {percentile(every, 95):.0f} ms, "
                f"{result.error_count} errors, {result.lost} of {result.expected} events lost"
            )
            for example in result.error_examples[:3]:
                say(f"   error: {example}")
            if percentile(every, 95) > limit * 3:
                break  # far past the knee: more load only measures the queue
    finally:
        await asyncio.gather(*(t.close() for t in tablets))
    return results


def scale(args: argparse.Namespace) -> str:
    with ExitStack() as stack_, tempfile.TemporaryDirectory(prefix="patch-load-") as tmp_name:
        tmp = Path(tmp_name)
        redis = stack.Redis(log=tmp / "redis.log").start()
        stack_.callback(redis.stop)
        postgres = stack.Postgres()
        stack_.callback(postgres.remove)
        postgres.init().start()
        env = base_env(tmp)
        env.update(DATABASE_URL=postgres.create_database("patch_load"), REDIS_URL=redis.url)
        env.update(DATABASE_MODES[args.database])
        built = prepare(env, teams=max(1, args.tablets // 10), members=10, visits=40)
        servers = []
        for n in range(2):
            daphne = stack.Daphne(env=env, log=tmp / f"daphne-{n}.log").start()
            stack_.callback(daphne.stop)
            servers.append(daphne.url)
        tablets = tablets_from(built, servers)
        results = asyncio.run(
            measure(
                tablets,
                today=built["today"],
                rates=args.rates,
                seconds=args.step_seconds,
                limit=KNEE_MS,
            )
        )
        clients = redis_clients(redis)
    knee = next((rate for rate, r in results if percentile(r.all_ms(), 95) > KNEE_MS), None)
    rows = [row(f"{rate:g}", r, KNEE_MS) for rate, r in results]
    return "\n\n".join(
        [
            header(" ".join(["python -m bench.load", *sys.argv[1:]])),
            f"Layout: 2 daphne processes, PostgreSQL {args.database} connections "
            f"({DATABASE_MODES[args.database] or 'CONN_MAX_AGE 0'}), Redis channel layer; "
            f"{len(tablets)} tablets in teams of 10, each with a session and an open socket, "
            f"spread evenly over the two processes. Redis clients connected at the end: {clients}.",
            table("offered req/s", rows),
            f"Knee (first offered rate with p95 over {KNEE_MS} ms): "
            + (f"{knee:g} requests/s." if knee else "not reached."),
        ]
    )


def embedded(args: argparse.Namespace) -> str:
    rows, limit_at = [], None
    for count in args.tablets:
        with ExitStack() as stack_, tempfile.TemporaryDirectory(prefix="patch-load-") as tmp_name:
            tmp = Path(tmp_name)
            env = base_env(tmp)
            built = prepare(env, teams=max(1, count // 10), members=min(10, count), visits=40)
            daphne = stack.Daphne(env=env, log=tmp / "daphne.log").start()
            stack_.callback(daphne.stop)
            tablets = tablets_from(built, [daphne.url])
            ((_, result),) = asyncio.run(
                measure(
                    tablets,
                    today=built["today"],
                    rates=[count / SECONDS_PER_REQUEST],
                    seconds=args.step_seconds,
                    limit=EMBEDDED_LIMIT_MS,
                )
            )
            daphne.stop()
            locked = (tmp / "daphne.log").read_text(errors="replace").count("database is locked")
        rows.append(row(f"{count} ({locked} locked)", result, EMBEDDED_LIMIT_MS))
        if locked or percentile(result.all_ms(), 95) > EMBEDDED_LIMIT_MS:
            limit_at = count
            break
    return "\n\n".join(
        [
            header(" ".join(["python -m bench.load", *sys.argv[1:]])),
            "Layout: one daphne process on SQLite (WAL, busy timeout 20 s, immediate write "
            "transactions), the in-memory layer with the DB relay, no Redis; each tablet asks "
            f"about every {SECONDS_PER_REQUEST:g} s. The first column counts tablets and the "
            '"database is locked" lines in the server\'s log.',
            table("tablets", rows),
            f'Limit (first count with "database is locked" or p95 over {EMBEDDED_LIMIT_MS} ms): '
            + (f"{limit_at} tablets." if limit_at else "not reached."),
        ]
    )


def run_drills(args: argparse.Namespace) -> str:
    lines = []
    with ExitStack() as stack_, tempfile.TemporaryDirectory(prefix="patch-load-") as tmp_name:
        tmp = Path(tmp_name)
        redis = stack.Redis(log=tmp / "redis.log").start()
        stack_.callback(redis.stop)
        postgres = stack.Postgres()
        stack_.callback(postgres.remove)
        postgres.init().start()
        env = base_env(tmp)
        env.update(DATABASE_URL=postgres.create_database("patch_drills"), REDIS_URL=redis.url)
        env.update(DATABASE_POOL="2,8", DATABASE_POOL_TIMEOUT="3")
        built = prepare(env, teams=2, members=5, visits=80)
        daphnes = [stack.Daphne(env=env, log=tmp / f"daphne-{n}.log").start() for n in range(2)]
        for daphne in daphnes:
            stack_.callback(daphne.stop)
        urls = [d.url for d in daphnes]

        say(f"== Redis stopped for {args.redis_seconds:g} s")
        team = built["tablets"][:5]
        outcome = asyncio.run(
            drills.redis_outage(
                tablets_from({"tablets": team}, urls),
                stop=redis.stop,
                start=redis.start,
                seconds=args.redis_seconds,
            )
        )
        lines.append(
            f"- Redis stopped for {args.redis_seconds:g} s while 5 tablets on 2 processes "
            f"recorded a visit and opened Today each second: {len(outcome.pages)} pages, "
            f"statuses {sorted(set(outcome.pages))}; {len(outcome.syncs)} visit records, "
            f"outcomes {sorted(set(outcome.syncs))}; the next change after Redis returned "
            f"reached every teammate: {'yes' if outcome.resumed else 'NO'}."
        )
        say("== a daphne process killed")
        other = tablets_from({"tablets": built["tablets"][5:]}, [urls[0]])
        for tablet in other:
            tablet.servers = [urls[0], urls[1]]
        outcome = asyncio.run(drills.daphne_killed(other, kill=daphnes[0].kill, survivor=urls[1]))
        lines.append(
            f"- A daphne process killed (SIGKILL) under 5 sockets: the watched socket "
            f"reconnected {outcome.reconnects} time(s), to the other process, and received the "
            f"next change: {'yes' if outcome.resumed else 'NO'}."
        )
        say("== PostgreSQL restarted mid-sync")
        (writer,) = tablets_from({"tablets": built["tablets"][:1]}, [urls[1]])

        def restart() -> None:
            postgres.stop()
            postgres.start()

        outcome = asyncio.run(drills.postgres_restart(writer, restart=restart, mutations=500))
        statuses = sorted({s for s, _ in outcome.syncs})
        lines.append(
            f"- PostgreSQL restarted while an outbox of {outcome.sent} changes replayed in "
            f"batches of 10: answers {statuses}, Retry-After {sorted(outcome.retry_after)}; "
            f"{outcome.writes} of {outcome.sent} left the outbox as applied or duplicate."
        )
    return "\n\n".join([header(" ".join(["python -m bench.load", *sys.argv[1:]])), *lines])


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("mode", choices=["scale", "embedded", "drills"])
    parser.add_argument("--tablets", default=None)
    parser.add_argument("--rates", default="25,50,100,150")
    parser.add_argument("--step-seconds", type=float, default=30)
    parser.add_argument("--database", choices=list(DATABASE_MODES), default="pool")
    parser.add_argument("--redis-seconds", type=float, default=60)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    # Stop like Ctrl+C on SIGTERM too, so every server started here is stopped on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    args.rates = [float(r) for r in args.rates.split(",")]
    if reason := stack.missing(postgres=args.mode != "embedded"):
        sys.exit(reason)
    if args.mode == "scale":
        args.tablets = int(args.tablets or 200)
        text, section = scale(args), f"load-scale-{args.database}"
    elif args.mode == "embedded":
        args.tablets = [int(n) for n in (args.tablets or "5,10,20,40,80").split(",")]
        text, section = embedded(args), "load-embedded"
    else:
        text, section = run_drills(args), "load-drills"
    print(text)
    if not args.no_write:
        write_section(section, text)


if __name__ == "__main__":
    main()
