"""Time Today, the client page and search on a 5,000-client team, against /healthz.

    .venv/bin/python -m bench.caseload [--clients 5000] [--visits 200000] [--requests 200]
                                       [--database sqlite|postgres|both] [--keep]
                                       [--conn-max-age SECONDS] [--doc PATH]

Each database is fresh: the settings read SQLITE_PATH or DATABASE_URL once, so building,
probing and serving each run in a child process with that variable set. Times are what a
client on 127.0.0.1 observes through daphne, given as ratios to /healthz served the same way,
so they say "how much heavier than nothing" rather than "how fast is this laptop".
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlencode

from bench.caseload.report import ALONE, BASELINE, markdown_table, write_doc
from bench.caseload.serve import Browser, daphne, measure, server_env
from bench.doc import cpu_model

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
# A database of its own per run that asks (BENCH_PG_NAME), so two benchmarks on one server
# never drop each other's.
PG_NAME = os.environ.get("BENCH_PG_NAME", "patch_bench")
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"
WARMUP = 20


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def pg_recreate(*, drop_only: bool = False) -> str:
    """Drop and (unless ``drop_only``) create the benchmark database; return the server version."""
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {PG_NAME}")
        return conn.execute("SHOW server_version").fetchone()[0]


def run_child(module: str, args: list[str], env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, env=env, check=True)


def pages_for(built: dict) -> dict[str, list[str]]:
    """Every URL each measured page rotates over."""
    team = built["team"]
    return {
        BASELINE: ["/healthz"],
        "Today": [f"/t/{team}/today/?date={built['today']}"],
        "Client page": [f"/t/{team}/clients/{pk}/" for pk in built["client_ids"]],
        "Search": [f"/t/{team}/clients/?{urlencode({'q': q})}" for q in built["searches"]],
    }


def bench_database(database: str, args: argparse.Namespace) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix=f"patch-bench-{database}-"))
    env = {k: v for k, v in os.environ.items() if k not in {"SQLITE_PATH", "DATABASE_URL"}}
    env["BENCH_TMP"] = str(tmp)
    if args.conn_max_age is not None:
        env["DATABASE_CONN_MAX_AGE"] = str(args.conn_max_age)
    if args.pool and database == "postgres":
        env["DATABASE_POOL"] = args.pool
    if database == "sqlite":
        env["SQLITE_PATH"] = str(tmp / "bench.sqlite3")
        engine = f"SQLite {sqlite3.sqlite_version}"
    else:
        env["DATABASE_URL"] = PG_URL
        engine = f"PostgreSQL {pg_recreate()}"
    say(f"\n== {engine}: building {args.clients:,} clients and {args.visits:,} visits in {tmp}")
    try:
        run_child(
            "bench.caseload.build",
            [str(tmp / "built.json"), "--clients", str(args.clients), "--visits", str(args.visits)],
            env,
        )
        built = json.loads((tmp / "built.json").read_text())
        pages = pages_for(built)

        say("== counting and timing each page's SQL (in-process test client, 5 runs)")
        variants = {
            f"{name}#{i}": path for name, paths in pages.items() for i, path in enumerate(paths)
        }
        (tmp / "pages.json").write_text(json.dumps(variants))
        probe_env = {**env, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1"}
        run_child(
            "bench.caseload.probe",
            [str(tmp / "pages.json"), str(tmp / "probe.json"), built["email"]],
            probe_env,
        )
        probes = json.loads((tmp / "probe.json").read_text())

        say(f"== serving with daphne; {WARMUP} warm-up then {args.requests} timed rounds")
        load_before = os.getloadavg()
        with daphne(server_env(env)) as port:
            browser = Browser(port)
            browser.login(built["email"], built["password"])
            # /healthz on its own first: the floor, with nothing heavy just before it.
            alone = measure(
                browser, {ALONE: pages[BASELINE]}, requests=args.requests, warmup=WARMUP
            )
            timings = alone + measure(browser, pages, requests=args.requests, warmup=WARMUP)
            browser.close()
        load_after = os.getloadavg()
    finally:
        if args.keep:
            say(f"   kept: {tmp}" + (f" and database {PG_NAME}" if database == "postgres" else ""))
        else:
            shutil.rmtree(tmp, ignore_errors=True)
            if database == "postgres":
                pg_recreate(drop_only=True)
    return {
        "database": database,
        "engine": engine,
        "built": built,
        "pages": pages,
        "probes": probes,
        "conn_max_age": args.conn_max_age,
        "pool": args.pool if database == "postgres" else None,
        "load": [round(load_before[0], 1), round(load_after[0], 1)],
        "timings": [
            {
                "name": t.name,
                "median": t.median,
                "p95": t.p95,
                "bytes": t.bytes_mean,
                "n": len(t.samples_ms),
            }
            for t in timings
        ],
    }


def machine() -> dict[str, str]:
    cpu = cpu_model()
    nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=False).stdout.strip()  # noqa: S607
    return {
        "nproc": nproc,
        "cpus": f"{nproc} CPUs (`nproc`){f', {cpu}' if cpu else ''}",
        "python": sys.version.split()[0],
        "django": version("django"),
        "daphne": version("daphne"),
        "sqlite": sqlite3.sqlite_version,
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.caseload", description=__doc__)
    parser.add_argument("--clients", type=int, default=5_000)
    parser.add_argument("--visits", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=200, help="timed GETs per page")
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=None,
        help="DATABASE_CONN_MAX_AGE for the server (default: the project's, 0)",
    )
    parser.add_argument(
        "--pool",
        default="",
        help="DATABASE_POOL min,max for the PostgreSQL server, as docs/deploy.md runs it",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database(s) afterwards")
    parser.add_argument(
        "--doc",
        default=str(ROOT / "docs/benchmarks.md"),
        help="write the results section here ('' to skip)",
    )
    args = parser.parse_args()
    if not 1 <= args.requests <= 10_000 or args.clients < 200 or args.visits < 10_000:
        parser.error("use 1-10,000 requests, at least 200 clients and 10,000 visits")
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    started = time.monotonic()
    runs = [bench_database(db, args) for db in databases]
    for run in runs:
        print(f"\n{run['engine']}\n")
        print(markdown_table(run))
    if args.doc:
        command = " ".join(["python -m bench.caseload", *sys.argv[1:]])
        write_doc(
            Path(args.doc),
            runs=runs,
            command=command,
            machine=machine(),
            when=datetime.now(UTC),
        )
        say(f"\nwrote {args.doc}")
    say(f"done in {time.monotonic() - started:.0f}s")


if __name__ == "__main__":
    main()
