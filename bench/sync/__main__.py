"""Apply 1,000 offline mutations through the sync endpoint, and the same visits through forms.

Usage: python -m bench.sync [--visits 1000] [--database sqlite|postgres|both] [--no-write]

Each run builds a fresh database (a temporary SQLite file, or `patch_bench_sync` on the local
PostgreSQL), then records N planned visits twice over: once as `visit.record` mutations in
batches of 100 through `POST /t/<team>/sync/`, once as N ordinary form POSTs of the visit record
page. Both go through Django's test client, so the figures are server-side time without network.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.doc import commit, write_section

ROOT = Path(__file__).resolve().parents[2]
PG_URL = "postgres://postgres@127.0.0.1:5432/patch_bench_sync"


def _measure(visits: int) -> dict:
    """Run inside a process whose environment already points at the database to use."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    import uuid
    from datetime import time as clock

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from caseload.models import Client as CaseloadClient
    from caseload.models import Visit
    from teams.models import Membership, Team, User

    setup_test_environment()
    call_command("migrate", verbosity=0)
    team = Team.objects.create(name="Bench", slug="bench")
    nurse = User.objects.create_user(email="bench@example.org", password="x", name="Bench Nurse")
    Membership.objects.create(team=team, user=nurse)
    client = CaseloadClient.objects.create(
        team=team,
        name="Bench Client",
        date_of_birth=date(1940, 1, 1),
        address="1 Lane",
        postcode="LS1 4AP",
        status="active",
    )
    rows = Visit.objects.bulk_create(
        Visit(
            team=team,
            client=client,
            date=date(2026, 12, 1),
            window_start=clock(9),
            window_end=clock(10),
            planned_minutes=20,
            assigned_to=nurse,
        )
        for _ in range(2 * visits)
    )
    browser = Client()
    browser.force_login(nurse)
    sync_url = reverse("caseload:sync", kwargs={"team_slug": team.slug})
    device = str(uuid.uuid4())

    started = time.perf_counter()
    for start in range(0, visits, 100):
        batch = [
            {
                "id": str(uuid.uuid4()),
                "kind": "visit.record",
                "target": str(v.pk),
                "base_version": 1,
                "payload": {"actual_minutes": 25, "travel_minutes": 5},
            }
            for v in rows[start : start + 100]
        ]
        response = browser.post(
            sync_url,
            json.dumps({"device": device, "mutations": batch}),
            content_type="application/json",
        )
        assert all(r["status"] == "applied" for r in response.json()["results"])
        print(f"  sync: {start + len(batch)}/{visits}", end="\r", file=sys.stderr)
    sync_seconds = time.perf_counter() - started

    started = time.perf_counter()
    for n, visit in enumerate(rows[visits:], 1):
        url = reverse("caseload:visit", kwargs={"team_slug": team.slug, "visit_id": visit.pk})
        response = browser.post(url, {"base_version": 1, "actual_minutes": 25, "travel_minutes": 5})
        assert response.status_code == 302, response.status_code
        if n % 50 == 0:
            print(f"  forms: {n}/{visits}", end="\r", file=sys.stderr)
    form_seconds = time.perf_counter() - started
    print(file=sys.stderr)
    return {
        "database": connection.vendor,
        "visits": visits,
        "sync_ms_per_mutation": 1000 * sync_seconds / visits,
        "form_ms_per_visit": 1000 * form_seconds / visits,
        "ratio": sync_seconds / form_seconds,
    }


def _run(database: str, visits: int) -> dict:
    env = {**os.environ, "PATCH_ENV": "development", "DEBUG": "false", "LOG_LEVEL": "WARNING"}
    env.pop("REDIS_URL", None)
    with tempfile.TemporaryDirectory() as folder:
        if database == "sqlite":
            env.pop("DATABASE_URL", None)
            env["SQLITE_PATH"] = str(Path(folder) / "bench.sqlite3")
        else:
            subprocess.run(
                ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "patch_bench_sync"],
                check=True,
            )
            subprocess.run(
                ["createdb", "-h", "127.0.0.1", "-U", "postgres", "patch_bench_sync"], check=True
            )
            env["DATABASE_URL"] = PG_URL
        print(f"{database}: recording {visits} visits each way…", file=sys.stderr)
        out = subprocess.run(
            [sys.executable, "-m", "bench.sync", "--measure", str(visits)],
            env=env,
            cwd=ROOT,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=1000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(_measure(args.measure)))
        return
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    results = [_run(db, args.visits) for db in databases]
    lines = [
        f"Command: `python -m bench.sync --visits {args.visits} --database {args.database}`  ",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{date.today():%Y-%m-%d}, commit `{commit()}`",  # noqa: DTZ011
        "",
        "| database | mutations | sync, ms per mutation | form POST, ms per visit | sync ÷ forms |",
        "|---|---:|---:|---:|---:|",
        *[
            f"| {r['database']} | {r['visits']} | {r['sync_ms_per_mutation']:.1f} | "
            f"{r['form_ms_per_visit']:.1f} | {r['ratio']:.2f} |"
            for r in results
        ],
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section("sync", text)


if __name__ == "__main__":
    main()
