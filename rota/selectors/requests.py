"""Leave, availability and swaps."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import OuterRef, Subquery

from rota.models import (
    Assignment,
    Availability,
    Contract,
    LeaveRequest,
    LeaveStatus,
    Swap,
    SwapStatus,
)
from teams.models import Team, User


def leave_balance(*, team: Team, user: User, year: int) -> Decimal:
    """Return the days of leave left this calendar year (allowance less approved weekdays)."""
    contract = Contract.objects.for_team(team).filter(user=user).first()
    allowance = contract.leave_days_per_year if contract else Decimal("28")
    taken = sum(
        lv.days
        for lv in LeaveRequest.objects.for_team(team).filter(
            user=user,
            status__in=(LeaveStatus.APPROVED, LeaveStatus.REQUESTED),
            start_date__year=year,
        )
    )
    return allowance - taken


def availability(*, team: Team, user: User, since: date) -> list[Availability]:
    return list(Availability.objects.for_team(team).filter(user=user, date__gte=since))


def leave_requests(*, team: Team) -> list[LeaveRequest]:
    return list(LeaveRequest.objects.for_team(team).select_related("user", "decided_by"))


OPEN_SWAP = (SwapStatus.OFFERED, SwapStatus.ACCEPTED)  # the shift has not moved yet


def open_swaps(*, team: Team) -> list[Swap]:
    return list(
        Swap.objects.for_team(team)
        .filter(status__in=OPEN_SWAP)
        .select_related("assignment__shift_type", "offered_by", "accepted_by")
    )


def coming_shifts(*, team: Team, user: User, since: date) -> list[Assignment]:
    """Return the person's shifts from ``since``, each with ``offer``: its open swap's id or None.

    The id lets the page show "Withdraw offer" in place of "Offer" without a query per shift.
    """
    offer = Swap.objects.filter(assignment=OuterRef("pk"), status__in=OPEN_SWAP).values("pk")[:1]
    return list(
        Assignment.objects.for_team(team)
        .filter(user=user, date__gte=since)
        .select_related("shift_type")
        .annotate(offer=Subquery(offer))
        .order_by("date")
    )
