"""Demo caseload: about 50 clients a team with care plans, twelve weeks of history, two ahead.

Current state (clients, care plans, planned visits) goes through the services. The twelve weeks
of past visits, records and time are bulk-inserted: they are invented history, and writing
them one service call at a time would make the first start take minutes. Each visit then goes
to a member whom the demo rota (``teams.demo``) has on shift for it, in bulk for the same
reason.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from itertools import groupby

from django.db import transaction
from django.utils import timezone

from caseload import services
from caseload.models import (
    Client,
    ClientStatus,
    Frequency,
    InterventionCategory,
    OmahaProblem,
    OmahaTarget,
    Rating,
    TimeCategory,
    TimeEntry,
    Visit,
    VisitRecord,
    VisitStatus,
)
from caseload.validators import nhs_check_digit
from teams import demo
from teams.models import Team

FIRST = [
    "Margaret",
    "Arthur",
    "Joan",
    "Harold",
    "Elsie",
    "Dennis",
    "Patricia",
    "Kenneth",
    "Doreen",
    "Roy",
    "Maureen",
    "Leslie",
    "Irene",
    "Stanley",
    "Sheila",
    "Derek",
    "Brenda",
    "Ronald",
    "Pauline",
    "Gordon",
    "Winifred",
    "Bernard",
    "Ivy",
    "Clive",
    "Hazel",
    "Anwar",
    "Shirin",
    "Kofi",
    "Bronwen",
    "Seamus",
    "Gurpreet",
    "Yusuf",
    "Edna",
    "Wilfred",
    "Nora",
    "Albert",
    "Rita",
    "Cyril",
    "Gladys",
]
LAST = [
    "Thompson",
    "Walker",
    "Patel",
    "Roberts",
    "Jones",
    "Hughes",
    "Wood",
    "Clarke",
    "Khan",
    "Turner",
    "Hall",
    "Wright",
    "Edwards",
    "Green",
    "Lewis",
    "Harris",
    "Baker",
    "Ali",
    "Morris",
    "Price",
    "Murphy",
    "Owen",
    "Shah",
    "Jackson",
    "Ward",
    "Hussain",
    "Cooper",
    "Bell",
    "Reid",
    "Doyle",
]
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
STREETS = [
    "Mill Lane",
    "Church Street",
    "Station Road",
    "Park View",
    "Orchard Close",
    "Victoria Road",
    "Meadow Way",
    "Hill Crest",
    "King Street",
    "Willow Drive",
]
ALERTS = [
    "Dog in house",
    "Key safe 4721",
    "Hard of hearing: knock loudly",
    "Oxygen in use: no naked flames",
    "Lives alone",
    "Uses walking frame",
    "Prefers female carers",
    "Steep steps at front",
]
# Care plans that district nurses typically hold, as (problem code, severity, interventions).
PLANS = [
    (
        "24",
        "Pressure ulcer left heel, grade 2",
        [
            ("treatments", 17, "Cleanse and dress left heel ulcer", Frequency.THREE_WEEKLY, 30),
            ("teaching", 52, "Teach repositioning every 2 hours", Frequency.WEEKLY, 15),
        ],
    ),
    (
        "42",
        "Confused about new medicines",
        [
            ("treatments", 39, "Administer insulin morning dose", Frequency.DAILY, 15),
            ("surveillance", 38, "Check blood glucose and side effects", Frequency.DAILY, 10),
        ],
    ),
    (
        "27",
        "Leg oedema, venous leg ulcer",
        [("treatments", 17, "Compression bandaging both legs", Frequency.TWICE_WEEKLY, 40)],
    ),
    (
        "30",
        "Long-term catheter",
        [
            ("treatments", 4, "Catheter care and bag change", Frequency.WEEKLY, 20),
            ("surveillance", 62, "Watch for signs of infection", Frequency.WEEKLY, 10),
        ],
    ),
    (
        "35",
        "Weight loss since fall",
        [
            ("surveillance", 15, "Weigh and MUST score", Frequency.WEEKLY, 10),
            ("case_management", 45, "Refer to dietitian", Frequency.MONTHLY, 15),
        ],
    ),
    (
        "21",
        "Early dementia, forgets meals",
        [("case_management", 73, "Liaise with daughter and day centre", Frequency.FORTNIGHTLY, 20)],
    ),
    (
        "22",
        "Chronic back pain",
        [("surveillance", 62, "Pain score and review of analgesia", Frequency.THREE_WEEKLY, 15)],
    ),
    (
        "06",
        "Isolated since bereavement",
        [("case_management", 72, "Introduce befriending service", Frequency.FORTNIGHTLY, 20)],
    ),
]


def _nhs_number(rng: random.Random) -> str:
    while True:
        first = f"{rng.randint(400_000_000, 999_999_999)}"
        check = nhs_check_digit(first)
        if check is not None:
            return f"{first}{check}"


@transaction.atomic
def seed(team: Team) -> None:
    if Client.objects.for_team(team).exists():
        return
    rng = random.Random(team.slug)  # noqa: S311 - invented demo data, repeatable per team
    members = [membership.user for membership in demo.members(team)]
    author = members[0]
    problems = {p.code: p for p in OmahaProblem.objects.all()}
    targets = {t.number: t for t in OmahaTarget.objects.all()}
    today = timezone.localdate()
    clients = []
    for n in range(50):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        client = services.client_create(
            team=team,
            by=author,
            name=f"{first} {last}",
            preferred_name=first if rng.random() < 0.3 else "",
            date_of_birth=date(rng.randint(1928, 1965), rng.randint(1, 12), rng.randint(1, 28)),
            nhs_number=_nhs_number(rng) if rng.random() < 0.9 else "",
            address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}\n{team.area.split(',')[0]}",
            postcode=f"LS{rng.randint(1, 29)} {rng.randint(1, 9)}{''.join(rng.sample(LETTERS, 2))}",
            phone=f"0113 {rng.randint(200, 499)} {rng.randint(1000, 9999)}",
            key_contacts=f"{rng.choice(FIRST)} {last} (family) 07700 900{rng.randint(100, 999)}",
            consent_notes="Consents to care and to sharing with GP.",
            alerts="\n".join(rng.sample(ALERTS, rng.choice([0, 0, 1, 1, 2]))),
            primary_nurse=rng.choice(members),
        )
        status = ClientStatus.ACTIVE if n < 46 else ClientStatus.REFERRED
        client.status = status
        client.save(update_fields=["status"])
        for code, signs, interventions in rng.sample(PLANS, rng.choice([1, 1, 2, 3])):
            care_problem = services.care_problem_add(
                client=client,
                by=author,
                problem=problems[code],
                severity="actual",
                signs_symptoms=signs,
            )
            for category, target, description, frequency, minutes in interventions:
                services.intervention_add(
                    care_problem=care_problem,
                    by=author,
                    category=InterventionCategory(category),
                    target=targets[target],
                    description=description,
                    frequency=frequency,
                    minutes=minutes,
                )
            k, b, s = rng.randint(1, 3), rng.randint(1, 3), rng.randint(1, 3)
            for week in range(0, 12, 4):
                Rating.objects.create(
                    team=team,
                    client=client,
                    care_problem=care_problem,
                    rated_by=author,
                    knowledge=min(5, k + week // 4),
                    behaviour=min(5, b + week // 6),
                    status=min(5, s + week // 4),
                    rated_at=timezone.now() - timedelta(weeks=12 - week),
                )
        clients.append(client)
    first = demo.history_start(today)
    services.visits_generate(
        team=team, start=first, days=(today - first).days + demo.AHEAD_DAYS, by=author
    )
    _follow_rota(team, today, members)
    _invent_history(team, today, rng, members)


def _follow_rota(team: Team, today: date, members: list) -> None:
    """Share each day's visits out in turn among those on shift for them: the Early for the
    mornings, the Late for the evenings (the first on shift today, the example login, first)."""
    visits = list(Visit.objects.for_team(team).order_by("date", "window_start", "client_id"))
    for (day, morning), group in groupby(visits, key=lambda v: (v.date, v.window_start.hour < 12)):
        shift = "Early" if morning else "Late"
        on_shift = [
            member
            for position, member in enumerate(members)
            if demo.shift_on(position=position, day=day, today=today) == shift
        ]
        for n, visit in enumerate(group):
            visit.assigned_to = on_shift[n % len(on_shift)]
    Visit.objects.bulk_update(visits, ["assigned_to"])


def _invent_history(team: Team, today: date, rng: random.Random, members: list) -> None:
    """Mark past visits done (a few missed) with records and the day's time entries."""
    past = list(
        Visit.objects.for_team(team).filter(date__lt=today).prefetch_related("interventions")
    )
    records, entries, missed = [], [], []
    room = _shift_room(today, members)
    for visit in past:
        who = visit.assigned_to or rng.choice(members)
        if rng.random() < 0.03:
            visit.status, visit.status_reason = VisitStatus.MISSED, "No answer at the door"
            missed.append(visit)
            continue
        minutes = max(5, visit.planned_minutes + rng.randint(-5, 10))
        travel = rng.randint(5, 25)
        if room.get((who.pk, visit.date), 0) < minutes + travel:
            visit.status, visit.status_reason = VisitStatus.MISSED, "The round ran over"
            missed.append(visit)
            continue
        room[(who.pk, visit.date)] -= minutes + travel
        visit.status = VisitStatus.DONE
        at = timezone.make_aware(datetime.combine(visit.date, time(visit.window_start.hour + 1)))
        records.append(
            VisitRecord(
                team=team,
                visit=visit,
                actual_minutes=minutes,
                travel_minutes=travel,
                recorded_by=who,
                recorded_at=at,
            )
        )
    Visit.objects.bulk_update(past, ["status", "status_reason"])
    VisitRecord.objects.bulk_create(records)
    for record in records:
        record.interventions_done.set(record.visit.interventions.all())
        entries.append(
            TimeEntry(
                team=team,
                member=record.recorded_by,
                date=record.visit.date,
                category=TimeCategory.DIRECT,
                minutes=record.actual_minutes,
                description=f"Visit: {record.visit.client_id}",
                visit_record=record,
            )
        )
        entries.append(
            TimeEntry(
                team=team,
                member=record.recorded_by,
                date=record.visit.date,
                category=TimeCategory.TRAVEL,
                minutes=record.travel_minutes,
                visit_record=record,
            )
        )
    worked: dict[tuple[int, date], int] = {}
    for entry in entries:
        key = (entry.member_id, entry.date)
        worked[key] = worked.get(key, 0) + entry.minutes
    first = demo.history_start(today)
    for position, member in enumerate(members):
        for n in range((today - first).days):
            day = first + timedelta(days=n)
            shift = demo.shift_on(position=position, day=day, today=today)
            if shift:
                entries += _rest_of_shift(team, member, day, shift, worked, rng)
    TimeEntry.objects.bulk_create(entries)


def _shift_room(today: date, members: list) -> dict[tuple[int, date], int]:
    """The minutes each member's shift leaves for visits on each day of the history: a round
    that runs over misses its last visits rather than be recorded beyond the rota."""
    first = demo.history_start(today)
    room = {}
    for position, member in enumerate(members):
        for n in range((today - first).days):
            day = first + timedelta(days=n)
            shift = demo.shift_on(position=position, day=day, today=today)
            if shift:
                room[(member.pk, day)] = round(demo.shift_minutes(shift) * (1 - UNRECORDED[0]))
    return room


UNRECORDED = (0.05, 0.15)  # the share of a shift left unrecorded: people forget some time


def _rest_of_shift(
    team: Team, member, day: date, shift: str, worked: dict, rng: random.Random
) -> list[TimeEntry]:
    """Fill a shift with the time around its visits, leaving 5–15 % of it unrecorded, so no
    one records more than the rota pays: team meeting on Tuesdays, training now and then,
    calls and documentation; a night's unplanned calls to clients."""
    paid = demo.shift_minutes(shift)
    left = round(paid * (1 - rng.uniform(*UNRECORDED))) - worked.get((member.pk, day), 0)
    entries = []

    def add(category: str, minutes: int, description: str) -> None:
        nonlocal left
        minutes = min(minutes, left)
        if minutes > 0:
            entries.append(
                TimeEntry(
                    team=team,
                    member=member,
                    date=day,
                    category=category,
                    minutes=minutes,
                    description=description,
                )
            )
            left -= minutes

    if shift == "Night":
        add(TimeCategory.DIRECT, round(left * rng.uniform(0.4, 0.6)), "Unplanned night calls")
        add(TimeCategory.TRAVEL, round(left * 0.3), "Travel to night calls")
    if day.weekday() == 1 and shift != "Night":
        add(TimeCategory.TEAM, 60, "Team meeting")
    if rng.random() < 0.1:
        add(TimeCategory.TRAINING, 90, "Wound care update")
    add(TimeCategory.INDIRECT, left, "Calls and documentation")
    return entries
