"""Give the caseload bench's team a year of published rota, then time snapshots and the page.

Run as ``python -m bench.insights.measure BUILT.json OUT.json`` in a process whose environment
names the database the caseload build filled (settings are read once, at django.setup()).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client as TestClient  # noqa: E402
from django.utils import timezone  # noqa: E402

from insights import formulas  # noqa: E402
from insights.services import snapshot_save  # noqa: E402
from rota.models import Assignment, Contract, PeriodStatus, RotaPeriod, ShiftType  # noqa: E402
from teams.models import Membership, Team, User  # noqa: E402

WEEKS = 52
PERIOD_DAYS = 56
PAGE_ROUNDS = 30


def _rota_year(team: Team, first: date, last: date) -> int:
    """Publish rota periods from first to last: everyone on an early shift five days in seven."""
    early = ShiftType.objects.create(team=team, name="Early", start="07:30", end="15:30")
    members = list(Membership.objects.for_team(team).values_list("user_id", flat=True))
    Contract.objects.bulk_create(Contract(team=team, user_id=pk) for pk in members)
    shifts = []
    start = first
    while start <= last:
        period = RotaPeriod.objects.create(
            team=team, start=start, days=PERIOD_DAYS, status=PeriodStatus.PUBLISHED
        )
        for offset in range(PERIOD_DAYS):
            day = start + timedelta(days=offset)
            shifts += [
                Assignment(team=team, period=period, user_id=pk, date=day, shift_type=early)
                for i, pk in enumerate(members)
                if (day.toordinal() + i) % 7 < 5
            ]
        start += timedelta(days=PERIOD_DAYS)
    Assignment.objects.bulk_create(shifts, batch_size=5_000)
    return len(shifts)


def _median_ms(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def main() -> None:
    built = json.loads(Path(sys.argv[1]).read_text())
    team = Team.objects.get(slug=built["team"])
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    weeks = [formulas.iso_week(monday - timedelta(weeks=n)) for n in range(WEEKS, 0, -1)]
    first, _ = formulas.week_days(weeks[0])
    shifts = _rota_year(team, first, monday + timedelta(days=PERIOD_DAYS))
    seconds = []
    for i, week in enumerate(weeks, 1):
        began = time.perf_counter()
        snapshot_save(team=team, week=week)
        seconds.append(time.perf_counter() - began)
        print(f"  snapshot {i}/{len(weeks)} {week}: {seconds[-1]:.2f}s", file=sys.stderr)
    client = TestClient(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email=built["email"]))
    page = f"/t/{team.slug}/insights/"
    for url in (page, "/healthz"):  # warm both, and refuse to time an error page
        if (status := client.get(url).status_code) != 200:
            raise SystemExit(f"{url} answered {status}")
    page_ms = _median_ms(lambda: client.get(page), PAGE_ROUNDS)
    trivial_ms = _median_ms(lambda: client.get("/healthz"), PAGE_ROUNDS)
    result = {
        "database": connection.vendor,
        "shifts": shifts,
        "weeks": len(weeks),
        "snapshot_median_s": statistics.median(seconds),
        "snapshot_max_s": max(seconds),
        "page_ms": page_ms,
        "trivial_ms": trivial_ms,
    }
    Path(sys.argv[2]).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
