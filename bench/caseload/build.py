"""Migrate a fresh database and fill it with one large team, fast.

Run as ``python -m bench.caseload.build OUT.json`` in a process whose environment already names
the database (SQLITE_PATH or DATABASE_URL): settings are read once, at django.setup().
Rows go in with bulk_create, chunk by chunk, so memory stays flat at 200,000 visits; the
services are skipped on purpose: this is invented history, not behaviour under test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time as clock
import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from caseload.demo import ALERTS, FIRST, LAST, LETTERS, PLANS, STREETS, _nhs_number  # noqa: E402
from caseload.models import (  # noqa: E402
    CarePlanProblem,
    Client,
    ClientStatus,
    Handover,
    Intervention,
    Note,
    OmahaProblem,
    OmahaTarget,
    Rating,
    TimeCategory,
    TimeEntry,
    Visit,
    VisitRecord,
    VisitStatus,
)
from teams.models import AuditEvent, Membership, Team, User  # noqa: E402

SLUG = "bench"
PASSWORD = "bench-caseload-password"  # noqa: S105 - throwaway benchmark database
MEMBERS = 10
TODAY_VISITS = 12
CHUNK = 5_000
NOTE_TEXTS = [
    "Wound bed granulating well, no signs of infection. Dressing renewed.",
    "Client reports pain 3/10, managing with paracetamol. Skin intact.",
    "Daughter present; discussed medicines and the new blister pack.",
    "Bloods taken for U&E and FBC, sent with the afternoon courier.",
    "Leg ulcer measured 3.1 x 2.4 cm, smaller than last week.",
    "Catheter draining freely, urine clear. Bag changed.",
]


def _progress(label: str, done: int, total: int, started: float) -> None:
    pct = 100 * done / total if total else 100
    print(
        f"  {label}: {done:,}/{total:,} ({pct:5.1f}%) {clock.monotonic() - started:6.1f}s",
        file=sys.stderr,
        flush=True,
    )


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _window(rng: random.Random) -> tuple[time, time, int]:
    slot = rng.randrange(16)  # 08:00 to 15:30 in half hours
    start = time(8 + slot // 2, 30 * (slot % 2))
    minutes = rng.choice([15, 20, 30, 30, 40, 60])
    return start, time(start.hour + 2, start.minute), minutes


def _members(team: Team) -> list[User]:
    hashed = make_password(PASSWORD)  # hash once: PBKDF2 ten times would cost seconds
    users = User.objects.bulk_create(
        User(email=f"nurse{n}@bench.invalid", name=f"{rng_name(n)}", password=hashed)
        for n in range(1, MEMBERS + 1)
    )
    Membership.objects.bulk_create(
        Membership(team=team, user=u, job_title="District nurse") for u in users
    )
    return users


def _postcode(rng: random.Random) -> str:
    return f"LS{rng.randint(1, 29)} {rng.randint(1, 9)}{''.join(rng.sample(LETTERS, 2))}"


def rng_name(n: int) -> str:
    return f"{FIRST[(n * 7) % len(FIRST)]} Nurse{n}"


def _clients(team: Team, n: int, rng: random.Random, members: list[User]) -> list[Client]:
    started = clock.monotonic()
    clients: list[Client] = []
    for _ in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        status = rng.choices(
            [ClientStatus.ACTIVE, ClientStatus.REFERRED, ClientStatus.DISCHARGED], [85, 10, 5]
        )[0]
        clients.append(
            Client(
                team=team,
                name=f"{first} {rng.choice(LETTERS)}. {last}",
                preferred_name=first if rng.random() < 0.3 else "",
                date_of_birth=date(rng.randint(1928, 1965), rng.randint(1, 12), rng.randint(1, 28)),
                nhs_number=_nhs_number(rng) if rng.random() < 0.9 else "",
                address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}\nLeeds",
                postcode=_postcode(rng),
                phone=f"0113 {rng.randint(200, 499)} {rng.randint(1000, 9999)}",
                key_contacts=f"{rng.choice(FIRST)} {last} (family) 07700 900{rng.randint(100, 999)}"
                if rng.random() < 0.8
                else "",
                consent_notes="Consents to care and to sharing with GP.",
                alerts="\n".join(rng.sample(ALERTS, rng.choice([0, 0, 1, 1, 2]))),
                primary_nurse=rng.choice(members),
                status=status,
                discharge_reason="Goals met" if status == ClientStatus.DISCHARGED else "",
            )
        )
    for at in range(0, n, CHUNK):
        Client.objects.bulk_create(clients[at : at + CHUNK])
        _progress("clients", min(at + CHUNK, n), n, started)
    return clients


def _care_plans(
    team: Team, clients: list[Client], rng: random.Random, members: list[User], today: date
) -> dict[int, list[Intervention]]:
    """Give about 60% of clients one to three problems, their interventions and ratings."""
    started = clock.monotonic()
    problems = {p.code: p for p in OmahaProblem.objects.all()}
    targets = {t.number: t for t in OmahaTarget.objects.all()}
    planned = [c for c in clients if rng.random() < 0.6]
    by_client: dict[int, list[Intervention]] = {}
    for at in range(0, len(planned), 1_000):
        cps, ivs, ratings = [], [], []
        for client in planned[at : at + 1_000]:
            for code, signs, interventions in rng.sample(PLANS, rng.choice([1, 1, 2, 3])):
                cp = CarePlanProblem(
                    id=uuid.uuid4(),
                    team=team,
                    client=client,
                    problem=problems[code],
                    severity="actual",
                    signs_symptoms=signs,
                )
                cps.append(cp)
                for category, target, description, frequency, minutes in interventions:
                    iv = Intervention(
                        id=uuid.uuid4(),
                        team=team,
                        client=client,
                        care_problem=cp,
                        category=category,
                        target=targets[target],
                        description=description,
                        frequency=frequency,
                        minutes=minutes,
                    )
                    ivs.append(iv)
                    by_client.setdefault(client.pk, []).append(iv)
                k, b, s = rng.randint(1, 3), rng.randint(1, 3), rng.randint(1, 3)
                for step in range(rng.randint(2, 6)):
                    ratings.append(
                        Rating(
                            id=uuid.uuid4(),
                            team=team,
                            client=client,
                            care_problem=cp,
                            rated_by=rng.choice(members),
                            knowledge=min(5, k + step // 2),
                            behaviour=min(5, b + step // 3),
                            status=min(5, s + step // 2),
                            rated_at=_aware(today - timedelta(weeks=24 - 4 * step), time(11)),
                        )
                    )
        with transaction.atomic():
            CarePlanProblem.objects.bulk_create(cps, batch_size=2_000)
            Intervention.objects.bulk_create(ivs, batch_size=2_000)
            Rating.objects.bulk_create(ratings, batch_size=2_000)
        _progress("care plans", min(at + 1_000, len(planned)), len(planned), started)
    return by_client


class VisitBatch:
    """Rows for one chunk of visits and everything hanging off them."""

    def __init__(self) -> None:
        self.visits: list[Visit] = []
        self.links: list[Any] = []
        self.records: list[VisitRecord] = []
        self.entries: list[TimeEntry] = []
        self.notes: list[Note] = []

    def add(
        self,
        *,
        team: Team,
        client: Client,
        day: date,
        member: User | None,
        today: date,
        rng: random.Random,
        interventions: list[Intervention],
        done: bool | None = None,
    ) -> Visit:
        start, end, minutes = _window(rng)
        status, reason = VisitStatus.PLANNED, ""
        if done is None and day < today:
            roll = rng.random()
            if roll < 0.03:
                status, reason = VisitStatus.MISSED, "No answer at the door"
            elif roll < 0.05:
                status, reason = VisitStatus.CANCELLED, "Client in hospital"
            else:
                status = VisitStatus.DONE
        elif done:
            status = VisitStatus.DONE
        visit = Visit(
            id=uuid.uuid4(),
            team=team,
            client=client,
            date=day,
            window_start=start,
            window_end=end,
            planned_minutes=minutes,
            assigned_to=member,
            status=status,
            status_reason=reason,
            generated=rng.random() < 0.8,
        )
        self.visits.append(visit)
        for iv in rng.sample(interventions, min(len(interventions), rng.choice([1, 1, 2]))):
            self.links.append(Visit.interventions.through(visit_id=visit.id, intervention_id=iv.id))
        if status == VisitStatus.DONE:
            assert member is not None  # past and today's visits always have someone
            who = member
            record = VisitRecord(
                id=uuid.uuid4(),
                team=team,
                visit=visit,
                actual_minutes=max(5, minutes + rng.randint(-5, 10)),
                travel_minutes=rng.randint(5, 25),
                recorded_by=who,
                recorded_at=_aware(day, time(start.hour + 1, start.minute)),
            )
            self.records.append(record)
            for category, spent in (
                (TimeCategory.DIRECT, record.actual_minutes),
                (TimeCategory.TRAVEL, record.travel_minutes),
            ):
                self.entries.append(
                    TimeEntry(
                        id=uuid.uuid4(),
                        team=team,
                        member=who,
                        date=day,
                        category=category,
                        minutes=spent,
                        description=f"Visit: {client.pk}",
                        visit_record=record,
                        created_at=record.recorded_at,
                    )
                )
            if rng.random() < 0.2:
                note = Note(
                    id=uuid.uuid4(),
                    team=team,
                    client=client,
                    visit=visit,
                    author=who,
                    text=rng.choice(NOTE_TEXTS),
                    created_at=record.recorded_at,
                )
                self.notes.append(note)
                if rng.random() < 0.05:
                    self.notes.append(
                        Note(
                            id=uuid.uuid4(),
                            team=team,
                            client=client,
                            addendum_to=note,
                            author=who,
                            text="Addendum: measurement was of the right leg, not the left.",
                            created_at=record.recorded_at + timedelta(hours=2),
                        )
                    )
        return visit

    def save(self) -> None:
        with transaction.atomic():
            Visit.objects.bulk_create(self.visits, batch_size=2_000)
            Visit.interventions.through.objects.bulk_create(self.links, batch_size=5_000)
            VisitRecord.objects.bulk_create(self.records, batch_size=2_000)
            TimeEntry.objects.bulk_create(self.entries, batch_size=2_000)
            # Addenda point at notes of the same batch, which come first in the list.
            Note.objects.bulk_create(self.notes, batch_size=2_000)


def _visits(
    team: Team,
    clients: list[Client],
    total: int,
    rng: random.Random,
    members: list[User],
    today: date,
    plans: dict[int, list[Intervention]],
) -> dict[str, int]:
    """Spread ``total`` visits over six months either side of today; today is set apart."""
    started = clock.monotonic()
    counts = dict.fromkeys(["visits", "links", "records", "entries", "notes"], 0)
    active = [c for c in clients if c.status == ClientStatus.ACTIVE and c.pk in plans]
    # Today: about a dozen visits per member, the way a real day looks, to distinct clients.
    batch = VisitBatch()
    day_clients = rng.sample(active, TODAY_VISITS * MEMBERS)
    for n, client in enumerate(day_clients):
        member = members[n % MEMBERS]
        batch.add(
            team=team,
            client=client,
            day=today,
            member=member,
            today=today,
            rng=rng,
            interventions=plans[client.pk],
            done=n < MEMBERS * 3,  # the first three of each member's day are done
        )
    made = len(batch.visits)
    while made < total:
        for _ in range(min(CHUNK, total - made)):
            client = rng.choice(active) if rng.random() < 0.8 else rng.choice(clients)
            offset = rng.randint(1, 182) * rng.choice([-1, 1])
            day = today + timedelta(days=offset)
            member = rng.choice(members) if offset < 0 or rng.random() < 0.95 else None
            batch.add(
                team=team,
                client=client,
                day=day,
                member=member,
                today=today,
                rng=rng,
                interventions=plans.get(client.pk, []),
            )
            made += 1
        for key in counts:
            counts[key] += len(getattr(batch, key))
        batch.save()
        batch = VisitBatch()
        _progress("visits (+records, time, notes)", made, total, started)
    return counts


def _handovers_and_audit(
    team: Team, clients: list[Client], rng: random.Random, members: list[User], today: date
) -> None:
    """A year of handovers (a couple of dozen still open) and of record views in the audit log."""
    now = timezone.now()
    handovers = []
    for n in range(600):
        at = now - timedelta(hours=rng.randint(1, 24 * 365))
        open_ = n < 25
        handovers.append(
            Handover(
                id=uuid.uuid4(),
                team=team,
                client=rng.choice(clients) if rng.random() < 0.8 else None,
                author=rng.choice(members),
                to=rng.choice(members) if rng.random() < 0.3 else None,
                text="Please check the dressing; family worried about the smell.",
                created_at=now - timedelta(hours=rng.randint(1, 40)) if open_ else at,
                acknowledged_at=None if open_ else at + timedelta(hours=8),
                acknowledged_by=None if open_ else rng.choice(members),
            )
        )
    Handover.objects.bulk_create(handovers)
    events = [
        AuditEvent(
            at=now - timedelta(minutes=rng.randint(1, 60 * 24 * 365)),
            team=team,
            actor=rng.choice(members),
            action="client.view",
            object_type="caseload.client",
            object_id=str(rng.choice(clients).pk),
            detail={"what": "page"},
        )
        for _ in range(50_000)
    ]
    with transaction.atomic():
        AuditEvent.objects.bulk_create(events, batch_size=5_000)
    print(f"  handovers: {len(handovers):,}, audit events: {len(events):,}", file=sys.stderr)


def _targets(
    team: Team, clients: list[Client], member: User, today: date, rng: random.Random
) -> dict[str, Any]:
    """Pick what the benchmark asks for: the member's clients today and search terms."""
    todays = list(
        Visit.objects.filter(team=team, date=today, assigned_to=member)
        .order_by("window_start")
        .values_list("client_id", flat=True)
    )
    with_nhs = rng.sample([c for c in clients if c.nhs_number], 3)
    postcodes = [c.postcode for c in rng.sample(clients, 2)]
    searches = [
        "Thompson",  # a common surname: a full first page and a count over many
        "marg",  # a first-name fragment, as typed
        postcodes[0],  # a full postcode
        postcodes[1].split(" ")[0] + " " + postcodes[1].split(" ")[1][:1],  # outward + sector
        with_nhs[0].nhs_number[:4],  # an NHS number, being typed
        with_nhs[1].nhs_number,  # an NHS number in full
        " ".join(with_nhs[2].nhs_number[i : i + j] for i, j in ((0, 3), (3, 3), (6, 4))),
    ]
    return {"client_ids": todays[:6], "searches": searches}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", help="write what the benchmark needs here, as JSON")
    parser.add_argument("--clients", type=int, default=5_000)
    parser.add_argument("--visits", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    began = clock.monotonic()
    print(f"  migrating ({connection.vendor})", file=sys.stderr, flush=True)
    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    team = Team.objects.create(name="Bench district nurses", slug=SLUG, area="Leeds")
    members = _members(team)
    clients = _clients(team, args.clients, rng, members)
    plans = _care_plans(team, clients, rng, members, today)
    counts = _visits(team, clients, args.visits, rng, members, today, plans)
    _handovers_and_audit(team, clients, rng, members, today)
    print("  analysing tables", file=sys.stderr, flush=True)
    with connection.cursor() as cursor:
        # PostgreSQL's autovacuum would analyse these within minutes of a real bulk import;
        # SQLite has no such daemon and Patch never runs ANALYZE, so SQLite stays as it is.
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("CHECKPOINT")  # flush the load now, not during the timed run
        else:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    summary = {
        "today": today.isoformat(),
        "team": SLUG,
        "email": members[0].email,
        "password": PASSWORD,
        "sizes": {
            "members": len(members),
            "clients": len(clients),
            "care_plan_problems": CarePlanProblem.objects.count(),
            "interventions": Intervention.objects.count(),
            "ratings": Rating.objects.count(),
            "visits": counts["visits"],
            "visit_intervention_links": counts["links"],
            "visit_records": counts["records"],
            "time_entries": counts["entries"],
            "notes_and_addenda": counts["notes"],
            "handovers": Handover.objects.count(),
            "audit_events": AuditEvent.objects.count(),
            "visits_today_for_member": Visit.objects.filter(
                date=today, assigned_to=members[0]
            ).count(),
        },
        "build_seconds": round(clock.monotonic() - began, 1),
        **_targets(team, clients, members[0], today, rng),
    }
    with open(args.out, "w") as fh:
        json.dump(summary, fh, indent=2)
    print(f"  built in {summary['build_seconds']}s", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
