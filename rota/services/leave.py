"""What people ask for: availability, leave (approved by the team's planner) and shift wishes."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from rota import selectors
from rota.models import Availability, LeaveRequest, LeaveStatus, ShiftRequest, ShiftType
from rota.services.common import RotaError
from teams import audit, live
from teams.clock import now_or
from teams.models import Team, User


def _member(team: Team, user: User) -> None:
    if not selectors.is_member(team=team, user=user):
        raise RotaError(f"{user} is not a member of {team}.")


@transaction.atomic
def availability_set(
    *, team: Team, user: User, day: date, available: bool, note: str = "", by: User
) -> Availability:
    _member(team, user)
    row, _ = Availability.objects.for_team(team).update_or_create(
        team=team, user=user, date=day, defaults={"available": available, "note": note}
    )
    audit.record(actor=by, team=team, action="rota.availability.set", obj=row)
    live.publish(team, "rota-changed")
    return row


@transaction.atomic
def leave_request(
    *, team: Team, user: User, start_date: date, end_date: date, now: datetime | None = None
) -> LeaveRequest:
    """Ask for leave; it counts against the balance at once and is approved by the planner."""
    _member(team, user)
    if end_date < start_date:
        raise RotaError(_("The last day of leave cannot be before the first."), field="end_date")
    leave = LeaveRequest(
        team=team, user=user, start_date=start_date, end_date=end_date, requested_at=now_or(now)
    )
    balance = selectors.leave_balance(team=team, user=user, year=start_date.year)
    if leave.days > balance:
        raise RotaError(
            f"This leave is {leave.days} working days but you have {balance} left this year.",
            field="end_date",
        )
    leave.save()
    audit.record(actor=user, team=team, action="rota.leave.request", obj=leave)
    live.publish(team, "rota-leave-changed", leave=leave.pk)
    return leave


@transaction.atomic
def leave_decide(
    *, leave: LeaveRequest, by: User, approve: bool, now: datetime | None = None
) -> LeaveRequest:
    """Approve or decline leave: only a holder of the planner role, and never one's own."""
    leave = LeaveRequest.objects.select_for_update().get(pk=leave.pk)
    if leave.status != LeaveStatus.REQUESTED:
        raise RotaError(_("This leave request has already been decided."))
    if leave.user_id == by.pk:
        raise RotaError(_("Someone else who holds the planner role must decide your own leave."))
    if not selectors.is_planner(team=leave.team, user=by):
        raise RotaError(_("Only the person holding the planner role can decide leave."))
    leave.status = LeaveStatus.APPROVED if approve else LeaveStatus.DECLINED
    leave.decided_by, leave.decided_at = by, now_or(now)
    leave.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(actor=by, team=leave.team, action=f"rota.leave.{leave.status}", obj=leave)
    live.publish(leave.team, "rota-leave-changed", leave=leave.pk)
    return leave


@transaction.atomic
def shift_request_create(
    *,
    team: Team,
    user: User,
    day: date,
    on: bool,
    priority: int,
    shift_type: ShiftType | None = None,
) -> ShiftRequest:
    _member(team, user)
    if on and shift_type is None:
        raise RotaError(_("Choose the shift you would like to work."), field="shift_type")
    if shift_type is not None and shift_type.retired_at is not None:
        raise RotaError(f"{shift_type.name} is retired.", field="shift_type")
    request = ShiftRequest.objects.create(
        team=team, user=user, date=day, on=on, priority=priority, shift_type=shift_type
    )
    audit.record(actor=user, team=team, action="rota.request.create", obj=request)
    return request
