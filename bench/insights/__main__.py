"""Time a team-year of Insights: weekly snapshots, and the team page against a trivial view.

    .venv/bin/python -m bench.insights [--clients 5000] [--visits 200000]
                                       [--database sqlite|postgres|both] [--no-write]

Builds the caseload bench's team (bench.caseload.build) on a fresh database, publishes a
year of rota for it, snapshots each of the 52 closed weeks and times the insights page against
/healthz twice: in-process, and served by daphne over loopback the way bench.caseload times
its pages (interleaved rounds). Targets: a week's snapshot <= 1 s; the page <= 3x /healthz.
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

from bench.caseload.__main__ import PG_URL, WARMUP, pg_recreate, run_child, say
from bench.caseload.serve import Browser, daphne, measure, server_env
from bench.doc import commit, cpu_model, database_options, run_per_database


def _run(database: str, args: argparse.Namespace) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix=f"patch-bench-insights-{database}-"))
    env = {k: v for k, v in os.environ.items() if k not in {"SQLITE_PATH", "DATABASE_URL"}}
    env["BENCH_TMP"] = str(tmp)
    if database == "sqlite":
        env["SQLITE_PATH"] = str(tmp / "bench.sqlite3")
    else:
        pg_recreate()
        env["DATABASE_URL"] = PG_URL
        if args.pool:
            env["DATABASE_POOL"] = args.pool
    try:
        say(f"== {database}: building the caseload bench's team")
        built, measured = tmp / "built.json", tmp / "measured.json"
        run_child(
            "bench.caseload.build",
            [str(built), "--clients", str(args.clients), "--visits", str(args.visits)],
            env,
        )
        say(f"== {database}: a year of rota, 52 snapshots, the page")
        run_child("bench.insights.measure", [str(built), str(measured)], env)
        say(f"== {database}: the page served by daphne")
        served = _served(json.loads(built.read_text()), env, args.requests)
        return {
            **json.loads(measured.read_text()),
            **served,
            "sizes": json.loads(built.read_text())["sizes"],
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if database == "postgres":
            pg_recreate(drop_only=True)


def _served(built: dict, env: dict[str, str], requests: int) -> dict:
    """Median ms of the page and /healthz through daphne, timed in interleaved rounds."""
    pages = {"healthz": ["/healthz"], "page": [f"/t/{built['team']}/insights/"]}
    with daphne(server_env(env)) as port:
        browser = Browser(port)
        browser.login(built["email"], built["password"])
        timings = measure(browser, pages, requests=requests, warmup=WARMUP)
        browser.close()
    medians = {t.name: t.median for t in timings}
    return {"served_page_ms": medians["page"], "served_trivial_ms": medians["healthz"]}


def _markdown(results: list[dict], command: str) -> str:
    sizes = results[0]["sizes"]
    lines = [
        f"- Command: `{command}`",
        f"- Machine: {os.cpu_count()} cores, {platform.machine()} ({cpu_model()}), "
        f"Python {platform.python_version()}",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Commit: `{commit()}`",
        f"- Team: {sizes['members']} members, {sizes['clients']:,} clients, "
        f"{sizes['visits']:,} visits, {sizes['time_entries']:,} time entries, "
        f"{results[0]['shifts']:,} published shifts over a year.",
        "- Targets: a week's snapshot ≤ 1 s; the insights page ≤ 3× `/healthz` served the same "
        "way (through daphne, interleaved rounds, as the caseload bench times its pages). The "
        "in-process ratio (Django's test client, page and `/healthz` timed in turn) is the "
        "stricter view, without the server's own cost per request.",
        "",
        "| database | weeks | snapshot median s | snapshot max s | served page ms "
        "| served /healthz ms | served ÷ healthz | in-process page ms | in-process /healthz ms "
        "| in-process ÷ healthz |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['database']} | {r['weeks']} | {r['snapshot_median_s']:.2f} | "
            f"{r['snapshot_max_s']:.2f} | {r['served_page_ms']:.1f} | "
            f"{r['served_trivial_ms']:.1f} | {r['served_page_ms'] / r['served_trivial_ms']:.1f} | "
            f"{r['page_ms']:.1f} | {r['trivial_ms']:.2f} | {r['page_ms'] / r['trivial_ms']:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=5_000)
    parser.add_argument("--visits", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=100, help="timed rounds through daphne")
    parser.add_argument(
        "--pool", default="", help="DATABASE_POOL min,max on PostgreSQL, as docs/deploy.md runs it"
    )
    database_options(parser)
    args = parser.parse_args()
    command = (
        f"python -m bench.insights --clients {args.clients} --visits {args.visits}"
        f" --requests {args.requests}" + (f" --pool {args.pool}" if args.pool else "")
    )
    run_per_database("insights", args, _run, _markdown, command)


if __name__ == "__main__":
    main()
