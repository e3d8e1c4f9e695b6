"""Rota periods and the shifts in them: editing a draft, publishing, reopening."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from rota import selectors
from rota.models import Assignment, PeriodStatus, RotaPeriod, ShiftType, Source
from rota.services.common import RotaError
from teams import audit, live
from teams.clock import now_or
from teams.models import Team, User


@transaction.atomic
def period_create(*, team: Team, by: User, start: date, days: int = 28) -> RotaPeriod:
    if not 1 <= days <= 56:
        raise RotaError(_("A rota period is 1 to 56 days long."), field="days")
    if RotaPeriod.objects.for_team(team).filter(start=start).exists():
        raise RotaError(_("There is already a rota starting on that day."), field="start")
    period = RotaPeriod.objects.create(team=team, start=start, days=days)
    audit.record(actor=by, team=team, action="rota.period.create", obj=period)
    live.publish(team, "rota-changed", period=period.pk)
    return period


@transaction.atomic
def assignment_set(
    *,
    period: RotaPeriod,
    user: User,
    day: date,
    shift_type: ShiftType | None,
    by: User,
    source: str = Source.MANUAL,
    seen: str | None = None,
) -> Assignment | None:
    """Put ``user`` on ``shift_type`` on ``day`` (None: off) in a draft period.

    Rule violations do not stop the edit: the grid shows them as the planner works.
    ``seen`` is what the editor's grid showed in this cell (a shift type's id, or "" for off).
    If a colleague has changed the cell since, the edit is refused and the message says to
    what, so two people planning one draft never overwrite each other unseen.
    """
    period = RotaPeriod.objects.select_for_update().select_related("team").get(pk=period.pk)
    team = period.team
    if period.is_published:
        raise RotaError(_("This rota is published: reopen it to change it."))
    if not period.start <= day <= period.end:
        raise RotaError(_("That day is not in this rota."))
    if not selectors.is_member(team=team, user=user):
        raise RotaError(
            _("%(person)s is not a member of %(team)s.") % {"person": user, "team": team}
        )
    if shift_type is not None and shift_type.team_id != team.pk:
        raise RotaError(_("Unknown shift type."))
    existing = Assignment.objects.for_team(team).filter(user=user, date=day).first()
    if existing is not None and existing.period_id != period.pk:
        raise RotaError(_("That day belongs to another rota period."))
    current = existing.shift_type if existing is not None else None
    if seen is not None and seen != _cell_key(current) and current != shift_type:
        raise RotaError(
            f"While you were choosing, someone changed this shift to {_cell_name(current)}. "
            f"{_cell_name(shift_type)} was not saved: choose again if you still want it."
        )
    retired = shift_type is not None and shift_type.retired_at is not None
    if retired and (existing is None or existing.shift_type_id != shift_type.pk):
        raise RotaError(
            _("%(shift)s is retired: choose another shift.") % {"shift": shift_type.name}
        )
    if shift_type is None:
        if existing is not None:
            existing.delete()
        assignment = None
    elif existing is None:
        assignment = Assignment.objects.create(
            team=team, period=period, user=user, date=day, shift_type=shift_type, source=source
        )
    else:
        existing.shift_type, existing.source = shift_type, source
        existing.save(update_fields=["shift_type", "source"])
        assignment = existing
    audit.record(
        actor=by,
        team=team,
        action="rota.assignment.set",
        obj=period,
        detail={
            "user": user.pk,
            "date": day.isoformat(),
            "shift_type": getattr(shift_type, "pk", None),
        },
    )
    live.publish(team, "rota-changed", period=period.pk, user=user.pk)
    return assignment


@transaction.atomic
def period_publish(*, period: RotaPeriod, by: User, now: datetime | None = None) -> RotaPeriod:
    """Publish the rota: its shifts become fixed for the planner and appear in calendar feeds."""
    period = RotaPeriod.objects.select_for_update().get(pk=period.pk)
    if period.is_published:
        raise RotaError(_("This rota is already published."))
    period.status, period.published_at, period.published_by = (
        PeriodStatus.PUBLISHED,
        now_or(now),
        by,
    )
    period.save(update_fields=["status", "published_at", "published_by"])
    Assignment.objects.for_team(period.team).filter(period=period).update(published=True)
    audit.record(actor=by, team=period.team, action="rota.period.publish", obj=period)
    live.publish(period.team, "rota-published", period=period.pk)
    return period


@transaction.atomic
def period_reopen(*, period: RotaPeriod, by: User) -> RotaPeriod:
    """Make a published rota a draft again; its published shifts stay marked as published.

    Only the planner role holder may: everyone else works from the published rota.
    """
    period = RotaPeriod.objects.select_for_update().get(pk=period.pk)
    if not selectors.is_planner(team=period.team, user=by):
        raise RotaError(_("Only the person holding the planner role can reopen a published rota."))
    if not period.is_published:
        raise RotaError(_("This rota is already a draft."))
    period.status = PeriodStatus.DRAFT
    period.save(update_fields=["status"])
    audit.record(actor=by, team=period.team, action="rota.period.reopen", obj=period)
    live.publish(period.team, "rota-changed", period=period.pk)
    return period


def _cell_key(shift_type: ShiftType | None) -> str:
    return "" if shift_type is None else str(shift_type.pk)


def _cell_name(shift_type: ShiftType | None) -> str:
    return "Off" if shift_type is None else shift_type.name
