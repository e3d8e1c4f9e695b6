"""Time the commons hub: ingest of many teams' weeks, then its public pages against /healthz.

    .venv/bin/python -m bench.commons [--teams 1000] [--weeks 52]
                                      [--database sqlite|postgres|both] [--no-write]

Each run starts from an empty database and enrols the teams. The first ``--timed-weeks`` of
every team go through the real ingest endpoint (signed, in-process, one after another) and
are timed; the other weeks are loaded straight into the tables. Then the dashboard and the
open-data endpoints are timed over the whole volume, with an empty cache and then cached.
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

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_NAME = "patch_commons_hub"


def _pg(*, create: bool) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
        if create:
            conn.execute(f"CREATE DATABASE {PG_NAME}")


def _run(database: str, args: argparse.Namespace) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix=f"patch-bench-commons-{database}-"))
    env = {k: v for k, v in os.environ.items() if k not in {"SQLITE_PATH", "DATABASE_URL"}}
    if database == "sqlite":
        env["SQLITE_PATH"] = str(tmp / "bench.sqlite3")
    else:
        _pg(create=True)
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"
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
        return json.loads(out.read_text())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if database == "postgres":
            _pg(create=False)


def _markdown(results: list[dict], command: str) -> str:
    lines = [
        f"- Command: `{command}`",
        f"- Machine: {os.cpu_count()} cores, {platform.machine()} ({cpu_model()}), "
        f"Python {platform.python_version()}; shared with other work while it ran, so times "
        "are upper bounds",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Commit: `{commit()}`",
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
    lines += ["", "| database | page | ms (first view: one; cached: median of 5) | ÷ /healthz "
              "| queries |"]  # fmt: skip
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
    database_options(parser)
    args = parser.parse_args()
    command = (
        f"python -m bench.commons --teams {args.teams} --weeks {args.weeks} "
        f"--timed-weeks {args.timed_weeks}"
    )
    run_per_database("commons", args, _run, _markdown, command)


if __name__ == "__main__":
    main()
