"""Count and time each page's SQL once, and explain its slowest query.

Run as ``python -m bench.caseload.probe IN.json OUT.json`` with the benchmark's database in the
environment. It uses Django's test client in-process, so it sees every query the view runs;
the timings come from the served run, not from here.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client as TestClient  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from teams.models import User  # noqa: E402

SLOWEST = 3
REPEATS = 5


class Timer:
    """Time every query at perf_counter resolution (the debug cursor keeps only whole ms)."""

    def __init__(self) -> None:
        self.queries: list[dict] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            ms = (time.perf_counter() - started) * 1000
            self.queries.append({"ms": round(ms, 2), "sql": sql, "params": params})


def explain(sql: str, params) -> str:
    """Return the plan of one captured query, as the database would run it."""
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    try:
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql, params)
            rows = cursor.fetchall()
    except Exception as error:  # noqa: BLE001 - a plan is a nicety; report why it failed
        return f"(no plan: {error})"
    if connection.vendor == "sqlite":
        return "\n".join(str(row[-1]) for row in rows)
    return "\n".join(row[0] for row in rows)


def _once(client: TestClient, path: str) -> tuple[float, list[dict]]:
    timer = Timer()
    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timer):
        started = time.perf_counter()
        response = client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (path, response.status_code)
    # The debug cursor's copy has the parameters filled in, for reading; ours has them apart.
    # The debug cursor also sees what the backend runs around a write (SQLite's BEGIN
    # IMMEDIATE), which no execute wrapper does: then show our own, unfilled copy.
    shown = captured.captured_queries
    if len(shown) != len(timer.queries):
        shown = timer.queries
    queries = [
        {"ms": mine["ms"], "sql": seen["sql"], "raw": mine["sql"], "params": mine["params"]}
        for mine, seen in zip(timer.queries, shown, strict=True)
    ]
    return elapsed, queries


def probe(client: TestClient, path: str) -> dict:
    """Run the page REPEATS times and keep each query's median: one slow run is not a finding."""
    client.get(path)  # warm: templates compiled, caches primed
    runs = [_once(client, path) for _ in range(REPEATS)]
    queries = runs[-1][1]
    if all(len(r[1]) == len(queries) for r in runs):
        for n, query in enumerate(queries):
            query["ms"] = round(statistics.median(r[1][n]["ms"] for r in runs), 2)
    slowest = sorted(queries, key=lambda q: q["ms"], reverse=True)[:SLOWEST]
    if slowest and slowest[0]["raw"].lstrip().upper().startswith("SELECT"):
        slowest[0]["plan"] = explain(slowest[0]["raw"], slowest[0]["params"])
    for query in queries:
        del query["raw"], query["params"]
    return {
        "path": path,
        "queries": len(queries),
        "sql_ms": round(sum(q["ms"] for q in queries), 2),
        "in_process_ms": round(statistics.median(r[0] for r in runs), 2),
        "slowest": slowest,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("pages", help="JSON: {name: path}")
    parser.add_argument("out")
    parser.add_argument("email")
    args = parser.parse_args()
    with open(args.pages) as fh:
        pages = json.load(fh)
    client = TestClient(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email=args.email))
    results = {name: probe(client, path) for name, path in pages.items()}
    with open(args.out, "w") as fh:
        json.dump(results, fh, indent=2)


if __name__ == "__main__":
    main()
