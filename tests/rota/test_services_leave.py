from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from rota import selectors, services
from rota.models import LeaveStatus


def test_leave_is_approved_by_the_planner(team, alice, planner):
    leave = services.leave_request(
        team=team, user=alice, start_date=date(2026, 3, 9), end_date=date(2026, 3, 13)
    )
    services.leave_decide(leave=leave, by=planner, approve=True)
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED
    assert leave.decided_by == planner


def test_the_planner_cannot_approve_their_own_leave(team, planner):
    leave = services.leave_request(
        team=team, user=planner, start_date=date(2026, 3, 9), end_date=date(2026, 3, 9)
    )
    with pytest.raises(services.RotaError, match="Someone else"):
        services.leave_decide(leave=leave, by=planner, approve=True)


def test_someone_without_the_planner_role_cannot_approve_leave(team, alice, bob):
    leave = services.leave_request(
        team=team, user=alice, start_date=date(2026, 3, 9), end_date=date(2026, 3, 9)
    )
    with pytest.raises(services.RotaError, match="planner role"):
        services.leave_decide(leave=leave, by=bob, approve=True)


def test_leave_counts_weekdays_against_the_balance(team, alice):
    services.leave_request(
        team=team, user=alice, start_date=date(2026, 3, 6), end_date=date(2026, 3, 10)
    )
    assert selectors.leave_balance(team=team, user=alice, year=2026) == Decimal("25")


def test_leave_beyond_the_balance_is_refused(team, alice):
    with pytest.raises(services.RotaError) as error:
        services.leave_request(
            team=team, user=alice, start_date=date(2026, 1, 5), end_date=date(2026, 3, 1)
        )
    assert error.value.field == "end_date"


def test_an_on_request_needs_a_shift(team, alice):
    with pytest.raises(services.RotaError):
        services.shift_request_create(
            team=team, user=alice, day=date(2026, 3, 2), on=True, priority=2
        )
