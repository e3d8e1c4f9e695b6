"""Time the commons hub: ingest of many teams' weeks, then its public pages against /healthz.

    .venv/bin/python -m bench.commons [--teams 1000] [--weeks 52]
                                      [--database sqlite|postgres|both] [--no-write]
                                      [--postgres-url postgres://HOST/SCRATCH_DB]

Each run starts from an empty database (PostgreSQL: the one ``--postgres-url`` names, created
and dropped by the run) and enrols the teams. The first ``--timed-weeks`` of
every team go through the real ingest endpoint (signed, in-process, one after another) and
are timed; the other weeks are loaded straight into the tables. Then the dashboard and the
open-data endpoints are timed over the whole volume (see ``bench.commons.measure``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench.caseload.__main__ import run_child, say
from bench.doc import commit, cpu_model, database_options, run_per_database

PG_URL = "postgres://postgres@127.0.0.1:5432/patch_commons_hub"


def _pg(url: str, *, create: bool) -> None:
    """Drop (and recreate) the bench's own database, named by the last part of ``url``."""
    import psycopg

    base, name = url.rsplit("/", 1)
    if not name.isidentifier():
        raise SystemExit(f"--postgres-url must end in a plain database name, not {name!r}")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if create:
            conn.execute(f"CREATE DATABASE {name}")


def _run(database: str, args: argparse.Namespace) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix=f"patch-bench-commons-{database}-"))
    env = {k: v for k, v in os.environ.items() if k not in {"SQLITE_PATH", "DATABASE_URL"}}
    if database == "sqlite":
        env["SQLITE_PATH"] = str(tmp / "bench.sqlite3")
    else:
        _pg(args.postgres_url, create=True)
        env["DATABASE_URL"] = args.postgres_url
    load = os.getloadavg()
    try:
        say(f"== {database}: {args.teams} teams × {args.weeks} weeks through the ingest endpoint")
        out = tmp / "measured.json"
        run_child(
            "bench.commons.measure",
            [
                str(out),
                "--teams",
                str(args.teams),
                "--weeks",
                str(args.weeks),
                "--timed-weeks",
                str(args.timed_weeks),
            ],  # fmt: skip
            env,
        )
        result = json.loads(out.read_text())
        result["load"] = (load, os.getloadavg())
        return result
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if database == "postgres":
            _pg(args.postgres_url, create=False)


def _markdown(results: list[dict], command: str) -> str:
    lines = [
        f"- Command: `{command}`",
        f"- Machine: {os.cpu_count()} cores, {platform.machine()} ({cpu_model()}), "
        f"Python {platform.python_version()}; shared with other work while it ran, so times "
        "are upper bounds",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Commit: `{commit()}`",
        *(
            f"- Load average (1, 5, 15 min) on {r['database']}: "
            f"{' / '.join(f'{x:.1f}' for x in r['load'][0])} at the start, "
            f"{' / '.join(f'{x:.1f}' for x in r['load'][1])} at the end"
            for r in results
        ),
        "",
        "| database | teams × weeks | payloads sent to the API | ingest s | payloads / s "
        "| team-weeks loaded directly |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['database']} | {r['teams']:,} × {r['weeks']} | {r['payloads']:,} | "
            f"{r['ingest_s']:.0f} | {r['per_second']:.0f} | {r['loaded']:,} |"
        )
    lines += ["", "| database | page | ms (after loading or a change: one request; otherwise "
              "median of 5) | ÷ /healthz | queries |"]  # fmt: skip
    lines.append("|---|---|---:|---:|---:|")
    for r in results:
        healthz = r["pages"]["/healthz"][0]
        for name, (ms, queries) in r["pages"].items():
            lines.append(
                f"| {r['database']} | {name} | {ms:.1f} | {ms / healthz:.0f} | {queries} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--teams", type=int, default=1000)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--timed-weeks", type=int, default=4, help="weeks sent through the API")
    parser.add_argument(
        "--postgres-url",
        default=PG_URL,
        help="PostgreSQL database to create, fill and drop (with --database postgres or both)",
    )
    database_options(parser)
    args = parser.parse_args()
    command = (
        f"python -m bench.commons --teams {args.teams} --weeks {args.weeks} "
        f"--timed-weeks {args.timed_weeks}"
    )
    run_per_database("commons", args, _run, _markdown, command)


if __name__ == "__main__":
    main()
