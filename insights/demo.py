"""Demo insights: pulses and clients' answers over the demo's history, then weekly snapshots,
so every Insights chart and table shows something on the first run.

Past pulses and answers are invented history and are bulk-inserted, as the caseload demo does
with its past visits; the snapshots go through the service, as the nightly command does.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from caseload.models import Visit, VisitStatus
from insights import formulas, pvi
from insights.models import ClientAnswer, ClientAnswerChannel, PulseSubmission, PulseTally
from insights.services import snapshot_save
from teams import demo
from teams.models import Team

ANSWER_SHARE = 0.3  # of done visits, how many clients answered
RATINGS = (
    [pvi.ClientRating.VERY_GOOD] * 6
    + [pvi.ClientRating.GOOD] * 3
    + [
        pvi.ClientRating.NEITHER,
        pvi.ClientRating.POOR,
        pvi.ClientRating.DONT_KNOW,
    ]
)


def seed(team: Team) -> None:
    """Invent pulses and answers for the demo's past weeks and snapshot them (idempotent)."""
    if PulseSubmission.objects.for_team(team).exists():
        return
    rng = random.Random(team.slug)  # noqa: S311 - invented demo history, not a secret
    today = timezone.localdate()
    weeks = _closed_weeks(today)
    for week in weeks:
        _pulse(team, week, rng)
    _answers(team, today, rng)
    for week in weeks:
        snapshot_save(team=team, week=week)


def _closed_weeks(today) -> list[str]:
    monday = today - timedelta(days=today.weekday())
    count = demo.HISTORY_DAYS // 7
    return [formulas.iso_week(monday - timedelta(weeks=n)) for n in range(count, 0, -1)]


def _pulse(team: Team, week: str, rng: random.Random) -> None:
    members = [m.user for m in demo.members(team)]
    answering = rng.sample(members, k=min(len(members), rng.randint(4, len(members))))
    PulseSubmission.objects.bulk_create(
        PulseSubmission(team=team, member=user, week=week) for user in answering
    )
    tallies: dict[tuple[str, int], int] = {}
    for _user in answering:
        for key in pvi.PULSE_KEYS:
            value = min(5, max(1, round(rng.gauss(3.8, 0.8))))
            tallies[(key, value)] = tallies.get((key, value), 0) + 1
    PulseTally.objects.bulk_create(
        PulseTally(team=team, week=week, item=item, value=value, count=count)
        for (item, value), count in tallies.items()
    )


def _answers(team: Team, today, rng: random.Random) -> None:
    done = Visit.objects.for_team(team).filter(status=VisitStatus.DONE, date__lt=today)
    ClientAnswer.objects.bulk_create(
        ClientAnswer(
            team=team,
            visit=visit,
            week=formulas.iso_week(visit.date),
            rating=rng.choice(RATINGS),
            channel=rng.choice(ClientAnswerChannel.values),
        )
        for visit in done
        if rng.random() < ANSWER_SHARE
    )
