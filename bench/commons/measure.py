"""Fill a fresh hub through its ingest endpoint, then time the public pages against /healthz.

Pages are timed in the steady state (every week published), on the first read after loading
(which publishes all weeks) and on the first read after the latest week's data changed
(which publishes that week again).

Run as ``python -m bench.commons.measure OUT.json --teams N --weeks W`` in a process whose
environment names the database (settings are read once, at django.setup()).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["COMMONS_INGEST_RATE"] = ""  # the bench is one client sending everything

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from commons import services  # noqa: E402
from commons.models import DataValue, DataValueSet, PublishedWeek  # noqa: E402
from commons.periods import period_of, weeks_back  # noqa: E402
from disclosure import schema, signing  # noqa: E402

URL = "/commons/api/v1/datavaluesets/"
ROUNDS = 5
REGIONS = list(schema.REGIONS)


def _body(ref: str, period: str, rng: random.Random, attributes: dict) -> bytes:
    """A plausible protected team-week: hours in tens, counts in fives of at least 10."""
    direct = rng.randrange(120, 260, 10)
    paid = direct + 150 + rng.randrange(0, 100, 10)
    parts = {"direct": direct, "indirect": 60, "travel": 50, "team": 20, "training": 10,
             "other": 10, "leave": 0}  # fmt: skip
    parts["not_recorded"] = paid - sum(parts.values())
    values = [("HOURS", c, float(v)) for c, v in parts.items()] + [("HOURS", "paid", float(paid))]
    values += [("VISITS", "done", rng.randrange(150, 300, 5)), ("VISITS", "planned", 10),
               ("CLIENTS", "caseload", rng.randrange(30, 80, 5)),
               ("CONTINUITY", "visits", 200), ("CONTINUITY", "top_two", 130)]  # fmt: skip
    for item in schema.PULSE_ITEMS:
        values += [("PULSE_N", item, 20), ("PULSE_SUM", item, float(rng.randrange(50, 100, 10)))]
    data = schema.build_payload(
        period=period,
        org_unit=ref,
        revision=1,
        values=[schema.Published(e, c, v, None) for e, c, v in values],
        **attributes,
    )
    return json.dumps(data).encode()


def _fill(client: Client, teams: int, weeks: int, timed_weeks: int) -> dict:
    """Send the first ``timed_weeks`` of every team through the endpoint (timed); load the rest
    straight into the tables, so the pages are timed at full volume without waiting hours."""
    rng = random.Random(14)
    mondays = weeks_back(date.today() - timedelta(days=7), weeks)  # noqa: DTZ011
    enrolled = []
    for index in range(teams):
        region, service = REGIONS[index % len(REGIONS)], schema.SERVICE_TYPES[index % 4]
        attributes = {"region": region, "service_type": service, "size_band": "9-12"}
        team, key = services.team_enrol(
            attributes={"region": region, "serviceType": service, "sizeBand": "9-12"}
        )
        enrolled.append((team, key, attributes))
    elapsed, sent, loaded = 0.0, 0, []
    for week, monday in enumerate(mondays):
        period = period_of(monday)
        for team, key, attributes in enrolled:
            body = _body(team.ref, period, rng, attributes)
            if week >= timed_weeks:
                loaded.append((team, monday, json.loads(body)))
                continue
            headers = signing.headers(team=team.ref, key=key, body=body, timestamp=int(time.time()))
            meta = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
            start = time.perf_counter()
            response = client.post(URL, body, content_type="application/json", **meta)
            elapsed += time.perf_counter() - start
            assert response.status_code == 200, response.content
            sent += 1
    _load(loaded)
    rate = sent / elapsed
    return {"payloads": sent, "loaded": len(loaded), "ingest_s": elapsed, "per_second": rate}


def _load(loaded: list) -> None:
    now = timezone.now()
    sets = [
        DataValueSet(team=team, period=data["period"], week_start=monday, revision=1,
                     region=team.region, service_type=team.service_type, size_band="9-12",
                     first_received_at=now, received_at=now)
        for team, monday, data in loaded
    ]  # fmt: skip
    DataValueSet.objects.bulk_create(sets, batch_size=1000)
    DataValue.objects.bulk_create(
        (
            DataValue(value_set=value_set, element=v["dataElement"], category=v["category"],
                      value=v["value"], status=v["status"] or "")
            for value_set, (_team, _monday, data) in zip(sets, loaded, strict=True)
            for v in data["dataValues"]
        ),
        batch_size=5000,
    )  # fmt: skip
    services.weeks_changed(weeks={value_set.week_start for value_set in sets})


def _time(client: Client, url: str, *, change: bool) -> tuple[float, int]:
    """Median milliseconds over ROUNDS requests and the last one's queries; with ``change``,
    one request after the latest week's data changed (so it publishes that week again)."""
    times = []
    for _ in range(1 if change else ROUNDS):
        if change:
            latest = PublishedWeek.objects.order_by("-week_start").first()
            services.weeks_changed(weeks=[latest.week_start])
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            body = b"".join(response) if response.streaming else response.content
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200 and body, url
    return statistics.median(times), len(queries.captured_queries)


def _first_view(client: Client) -> tuple[float, int]:
    """Time the first read after loading: it publishes every week the hub holds."""
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get("/commons/")
        elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200
    return elapsed, len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--teams", type=int, default=1000)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--timed-weeks", type=int, default=4)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    client = Client(HTTP_HOST="127.0.0.1")
    client.get("/healthz")  # load the URLconf (and every app's views) before timing anything
    result = {"database": connection.vendor, "teams": args.teams, "weeks": args.weeks}
    result |= _fill(client, args.teams, args.weeks, args.timed_weeks)
    pages = {"/healthz": _time(client, "/healthz", change=False)}
    pages["dashboard, first view after loading (publishes every week)"] = _first_view(client)
    observations = "/commons/api/v1/observations/"
    last_page = observations + f"?page={client.get(observations).json()['pages']}"
    for name, url, change in [
        ("dashboard", "/commons/", False),
        ("dashboard, after the latest week changed", "/commons/", True),
        ("observations, page 1", observations, False),
        ("observations, last page", last_page, False),
        ("observations, page 1 after the latest week changed", observations, True),
        ("data.csv (every observation)", "/commons/data.csv", False),
        ("codes", "/commons/api/v1/codes/", False),
        ("openapi.json", "/commons/api/openapi.json", False),
    ]:
        pages[name] = _time(client, url, change=change)
    result["pages"] = pages
    Path(args.out).write_text(json.dumps(result))


if __name__ == "__main__":
    main()
