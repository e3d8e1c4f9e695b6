"""Paid time per member for a span of days: the published rota, or the contracts without one.

Insights divides by paid time, so this says which source each figure came from: the rota when
published periods cover every day asked for, the contracts' hours otherwise (flagged).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from rota.models import Assignment, Contract, LeaveRequest, LeaveStatus, PeriodStatus, RotaPeriod
from teams.models import Membership, Team

ROTA = "rota"
CONTRACTS = "contracts"
WORKING_DAYS = 5  # a contract's weekly hours are spread over Monday to Friday


@dataclass
class PaidTime:
    """Minutes worked and on leave per member id, and where they came from."""

    source: str
    worked: dict[int, int] = field(default_factory=dict)
    leave: dict[int, int] = field(default_factory=dict)
    contracted_hours: dict[int, float] = field(default_factory=dict)  # weekly, per member


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def rota_covers(*, team: Team, start: date, end: date) -> bool:
    """Tell whether published rota periods cover every day from start to end."""
    covered: set[date] = set()
    periods = RotaPeriod.objects.for_team(team).filter(
        status=PeriodStatus.PUBLISHED, start__lte=end
    )
    for period in periods:
        covered.update(d for d in period.dates if start <= d <= end)
    return len(covered) == (end - start).days + 1


def _members_by_day(*, team: Team, start: date, end: date) -> dict[int, set[date]]:
    """The days of the span on which each person was a member (joiners and leavers pro rata)."""
    days = _days(start, end)
    spans = Membership.objects.for_team(team).filter(joined_at__date__lte=end)
    member_days: dict[int, set[date]] = defaultdict(set)
    for joined, left, user_id in spans.values_list("joined_at", "left_at", "user_id"):
        first = joined.date()
        member_days[user_id].update(
            d for d in days if d >= first and (left is None or d < left.date())
        )
    return {user_id: ds for user_id, ds in member_days.items() if ds}


def _leave_days(*, team: Team, start: date, end: date) -> dict[int, set[date]]:
    leave = LeaveRequest.objects.for_team(team).filter(
        status=LeaveStatus.APPROVED, start_date__lte=end, end_date__gte=start
    )
    days: dict[int, set[date]] = defaultdict(set)
    for first, last, user_id in leave.values_list("start_date", "end_date", "user_id"):
        days[user_id].update(d for d in _days(max(first, start), min(last, end)))
    return days


def paid_time(*, team: Team, start: date, end: date) -> PaidTime:
    """Minutes worked and on approved leave per member, from start to end inclusive.

    Worked time is the published shifts on days not on leave (a shift starting on a day counts
    in full on that day), or, without a published rota for every day, each member's contract
    spread over their working days as a member. A leave day is a fifth of the contract's week
    on Monday to Friday.
    """
    members = _members_by_day(team=team, start=start, end=end)
    leave_days = _leave_days(team=team, start=start, end=end)
    weekly = dict(
        Contract.objects.for_team(team)
        .filter(user_id__in=members)
        .values_list("user_id", "hours_per_week")
    )
    daily = {user_id: round(hours * 60 / WORKING_DAYS) for user_id, hours in weekly.items()}
    paid = PaidTime(
        source=ROTA if rota_covers(team=team, start=start, end=end) else CONTRACTS,
        contracted_hours={user_id: float(hours) for user_id, hours in weekly.items()},
    )
    for user_id, days in members.items():
        on_leave = leave_days.get(user_id, set()) & days
        paid.leave[user_id] = sum(daily.get(user_id, 0) for d in on_leave if d.weekday() < 5)
        if paid.source == CONTRACTS:
            working = [d for d in days - on_leave if d.weekday() < 5]
            paid.worked[user_id] = daily.get(user_id, 0) * len(working)
        else:
            paid.worked[user_id] = 0
    if paid.source == ROTA:
        shifts = Assignment.objects.for_team(team).filter(
            period__status=PeriodStatus.PUBLISHED, date__range=(start, end), user_id__in=members
        )
        for shift in shifts.select_related("shift_type"):
            if shift.date in members[shift.user_id] - leave_days.get(shift.user_id, set()):
                paid.worked[shift.user_id] += shift.shift_type.nominal_minutes
    return paid
