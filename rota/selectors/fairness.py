"""Fairness over the last 12 months: nights, weekends, bank holidays, requests honoured."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q

from rota import rules
from rota.holidays import bank_holidays_between
from rota.models import Assignment, PeriodStatus, ShiftRequest
from teams import clock
from teams.models import Team, User

FAIRNESS_DAYS = 365


def worked_counts(
    *, team: Team, since: date, until: date, published_only: bool = False
) -> dict[int, dict]:
    """Shifts, nights, weekend shifts and bank holidays worked per member, in one query."""
    holidays = list(bank_holidays_between(since, until))
    night = Q(shift_type__end__lte=F("shift_type__start")) | Q(
        shift_type__start__gte=rules.NIGHT_STARTS
    )
    shifts = Assignment.objects.for_team(team).filter(date__range=(since, until))
    if published_only:
        shifts = shifts.filter(period__status=PeriodStatus.PUBLISHED)
    return {
        row["user_id"]: row
        for row in shifts.values("user_id").annotate(
            shifts=Count("id"),
            nights=Count("id", filter=night),
            weekends=Count("id", filter=Q(date__week_day__in=(1, 7))),
            bank_holidays=Count("id", filter=Q(date__in=holidays)),
        )
    }


def requests_honoured(
    *, team: Team, since: date, until: date
) -> tuple[dict[int, int], dict[int, int]]:
    """Shift requests made and honoured per member (an "on" request is honoured by working
    that day, or that shift if it names one; an "off" request by not), in one query."""
    worked = Assignment.objects.for_team(team).filter(user=OuterRef("user"), date=OuterRef("date"))
    requests = (
        ShiftRequest.objects.for_team(team)
        .filter(date__range=(since, until))
        .annotate(
            worked_any=Exists(worked),
            worked_type=Exists(worked.filter(shift_type=OuterRef("shift_type"))),
        )
        .values("user_id", "on", "shift_type_id", "worked_any", "worked_type")
    )
    asked: dict[int, int] = defaultdict(int)
    honoured: dict[int, int] = defaultdict(int)
    for r in requests:
        hit = r["worked_type"] if r["shift_type_id"] else r["worked_any"]
        asked[r["user_id"]] += 1
        honoured[r["user_id"]] += hit if r["on"] else not hit
    return asked, honoured


def fairness(*, team: Team, members: list[User], now: datetime | None = None) -> list[dict]:
    """Count nights, weekends and bank holidays worked, and requests honoured, over 12 months.

    Counted by the database in two queries, whatever the team's size.
    """
    today = clock.today(now)
    since = today - timedelta(days=FAIRNESS_DAYS)
    counts = worked_counts(team=team, since=since, until=today)
    asked, honoured = requests_honoured(team=team, since=since, until=today)
    summary = []
    for m in members:
        row = counts.get(m.pk, {})
        summary.append(
            {
                "member": m,
                "shifts": row.get("shifts", 0),
                "nights": row.get("nights", 0),
                "weekends": row.get("weekends", 0),
                "bank_holidays": row.get("bank_holidays", 0),
                "requests": asked[m.pk],
                "honoured": honoured[m.pk],
            }
        )
    return summary
