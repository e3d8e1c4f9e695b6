"""Simulated teams for the embedded hub: ~40 teams × 52 weeks of plausible, protected figures.

Each team-week is simulated member by member and passed through the same team-side
disclosure control a real team applies (``disclosure.control.protect_team_week``), so the
demo hub holds exactly the kind of values it would receive. Every team-week draws from its own
seeded generator: the same team and week always give the same figures, whenever seeded.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from commons import keys, services
from commons.models import DataValue, DataValueSet, RegisteredTeam
from commons.periods import period_of, weeks_back
from disclosure import control, schema

SEED = 14
# Two regions with enough teams to show figures of their own, the rest spread thinly (and so
# withheld), so the demo shows both sides of the ten-team rule.
THIN_REGIONS = ["E12000003", "E12000004", "E12000005", "E12000006", "E12000008", "E12000009",
                "W92000004", "S92000003"]  # fmt: skip
REGION_PLAN = ["E12000007"] * 12 + ["E12000002"] * 11 + THIN_REGIONS * 2 + ["E12000001"]
SERVICE_PLAN = ["district_nursing", "community_nursing", "district_nursing", "social_work",
                "district_nursing", "community_nursing", "other"]  # fmt: skip
MISSING_RATE = 0.03  # a team-week that never arrives
OVERHEADS = {"indirect": 0.16, "travel": 0.13, "team": 0.06, "training": 0.03, "other": 0.02}


@dataclass(frozen=True)
class DemoTeam:
    ref: str
    region: str
    service_type: str
    staff: int
    clients: int
    frontline: float  # the team's usual share of paid time with clients
    joins: float  # when in the first half of the period it starts reporting (0: from the start)


def _size_band(staff: int) -> str:
    return "1-4" if staff <= 4 else "5-8" if staff <= 8 else "9-12" if staff <= 12 else "13+"


def demo_teams(count: int, *, seed: int = SEED) -> list[DemoTeam]:
    rng = random.Random(seed)  # noqa: S311 - simulation, not security
    return [
        DemoTeam(
            ref=f"t-{rng.getrandbits(40):010x}",
            region=REGION_PLAN[index % len(REGION_PLAN)],
            service_type=SERVICE_PLAN[index % len(SERVICE_PLAN)],
            staff=rng.randint(5, 12),
            clients=rng.randint(30, 80),
            frontline=rng.uniform(0.40, 0.62),
            joins=0.0 if index % 9 else rng.random(),
        )
        for index in range(count)
    ]


def _member_hours(rng: random.Random, share: float) -> dict[str, float]:
    paid = rng.choice([37.5, 37.5, 30.0, 22.5])
    if rng.random() < 0.08:
        return {"leave": paid, "paid": paid}  # a week away
    hours = {cat: round(paid * part * rng.uniform(0.7, 1.3), 1) for cat, part in OVERHEADS.items()}
    hours["direct"] = round(paid * min(share * rng.uniform(0.85, 1.15), 0.8), 1)
    hours["not_recorded"] = round(max(paid - sum(hours.values()), 0.0), 1)
    hours["paid"] = sum(hours.values())
    return hours


def _cells(team: DemoTeam, rng: random.Random, share: float) -> list[control.Cell]:
    """Simulate each member's week (answers pooled over four weeks) as disclosure cells."""
    members = [_member_hours(rng, share) for _ in range(team.staff)]
    done = [round(m.get("direct", 0) / 0.8) for m in members]
    per_member: dict[tuple[str, str], list[float]] = {}

    def add(element: str, category: str, values: list[float]) -> None:
        per_member[(element, category)] = values

    for category in schema.ELEMENTS["HOURS"].categories:
        add("HOURS", category, [m.get(category, 0.0) for m in members])
    add("VISITS", "done", done)
    add("VISITS", "planned", [rng.randint(0, 2) for _ in members])
    add("VISITS", "missed", [int(rng.random() < 0.15) for _ in members])
    add("VISITS", "cancelled", [rng.randint(0, 2) for _ in members])
    add("CLIENTS", "caseload", [1] * team.clients)  # one contribution per client
    add("CONTINUITY", "visits", done)
    add("CONTINUITY", "top_two", [round(d * rng.uniform(0.45, 0.8)) for d in done])
    for category in ("knowledge", "behaviour", "status"):
        pairs = [rng.randint(0, 3) for _ in members]
        add("OUTCOME_N", category, pairs)
        add("OUTCOME_CHANGE", category, [round(p * rng.gauss(0.35, 0.4), 1) for p in pairs])
    mood = rng.uniform(3.0, 4.4)
    for item in schema.ELEMENTS["PULSE_N"].categories:
        answers = [rng.randint(2, 4) for _ in members]
        add("PULSE_N", item, answers)
        add("PULSE_SUM", item, [n * min(max(rng.gauss(mood, 0.5), 1), 5) for n in answers])
    voice = {"very_good": 0.5, "good": 0.25, "neither": 0.1, "poor": 0.08, "very_poor": 0.04,
             "dont_know": 0.03}  # fmt: skip
    for category, part in voice.items():
        add("CLIENT_ANSWERS", category, [round(15 * part * rng.uniform(0.5, 1.5)) for _ in members])
    return [control.Cell(e, c, tuple(v)) for (e, c), v in per_member.items()]


def _received(monday: date, rng: random.Random) -> datetime:
    """Most teams send within days of the week's end; a few are late."""
    days = 7 + (rng.randint(1, 3) if rng.random() < 0.9 else rng.randint(8, 20))
    return datetime.combine(monday + timedelta(days=days), time(2, 0), tzinfo=UTC)


@transaction.atomic
def demo_seed(*, teams: int = 40, weeks: int = 52, today: date | None = None) -> int:
    """Add the simulated team-weeks that are not there yet; return how many were added.

    Idempotent: existing teams and weeks are left alone, so running it again adds only the
    weeks that have passed since.
    """
    today = today or timezone.localdate()
    mondays = weeks_back(today - timedelta(days=7), weeks)
    plan = demo_teams(teams)
    first_week = {t.ref: int(t.joins * weeks / 2) for t in plan}
    known = {t.ref: t for t in RegisteredTeam.objects.filter(ref__in=[t.ref for t in plan])}
    created = RegisteredTeam.objects.bulk_create(
        RegisteredTeam(
            ref=t.ref,
            region=t.region,
            service_type=t.service_type,
            size_band=_size_band(t.staff),
            key_salt=keys.new_salt(),
            enrolled_at=datetime.combine(mondays[first_week[t.ref]], time(9, 0), tzinfo=UTC),
        )
        for t in plan
        if t.ref not in known
    )
    known |= {t.ref: t for t in created}
    have = set(
        DataValueSet.objects.filter(team__in=known.values()).values_list("team__ref", "period")
    )
    sets, values = [], []
    for index, monday in enumerate(mondays):
        for team in plan:
            period = period_of(monday)
            rng = random.Random(f"{SEED}:{team.ref}:{period}")  # noqa: S311
            if (
                (team.ref, period) in have
                or index < first_week[team.ref]
                or rng.random() < MISSING_RATE
            ):
                continue
            share = team.frontline + 0.03 * index / weeks + rng.gauss(0, 0.015)
            published = control.protect_team_week(
                _cells(team, rng, share), staff=team.staff, clients=team.clients
            )
            arrived = _received(monday, rng)
            value_set = DataValueSet(
                team=known[team.ref],
                period=period,
                week_start=monday,
                revision=1,
                region=team.region,
                service_type=team.service_type,
                size_band=_size_band(team.staff),
                first_received_at=arrived,
                received_at=arrived,
            )
            sets.append(value_set)
            values += [
                DataValue(
                    value_set=value_set,
                    element=p.element,
                    category=p.category,
                    value=p.value,
                    status=p.status or "",
                )
                for p in published
            ]
    DataValueSet.objects.bulk_create(sets, batch_size=500)
    DataValue.objects.bulk_create(values, batch_size=2000)
    services.weeks_changed(weeks={value_set.week_start for value_set in sets})
    return len(sets)
