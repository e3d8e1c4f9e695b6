"""Shift types: add, change, retire, bring back and delete.

A shift type that has been on a rota is part of the record: it can be retired (no new shifts,
cover or planning) but not deleted, and once on a published rota its times no longer change.
"""

from __future__ import annotations

from datetime import datetime, time

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from rota import rules
from rota.models import Assignment, CoverNeed, ShiftType
from rota.services.common import RotaError
from teams import audit, live
from teams.clock import now_or
from teams.models import Team, User

HANDOVER_MINUTES = 60


def _refuse_overlap(start: time, end: time, others: QuerySet[ShiftType]) -> None:
    for other in others.filter(retired_at__isnull=True):
        overlap = rules.shifts_overlap_minutes((start, end), (other.start, other.end))
        if overlap > HANDOVER_MINUTES:
            raise RotaError(
                f"{start:%H:%M}–{end:%H:%M} overlaps {other.label} by {overlap // 60} h "
                f"{overlap % 60:02d} min; shift types may overlap by at most one hour for "
                f"handover.",
                field="start",
            )


@transaction.atomic
def shift_type_save(
    *,
    team: Team,
    by: User,
    name: str,
    start: time,
    end: time,
    colour: str,
    shift_type: ShiftType | None = None,
) -> ShiftType:
    """Create or change a shift type; two types in use may overlap by at most a one-hour
    handover, and the times of a type on published shifts stay as they are."""
    name = name.strip()
    if start == end:
        raise RotaError(_("The end must differ from the start."), field="end")
    others = ShiftType.objects.for_team(team)
    if shift_type is not None:
        others = others.exclude(pk=shift_type.pk)
        moved = (start, end) != (shift_type.start, shift_type.end)
        if (
            moved
            and Assignment.objects.for_team(team)
            .filter(shift_type=shift_type, published=True)
            .exists()
        ):
            raise RotaError(
                f"{shift_type.name} is on published rotas, so its times cannot change: the "
                f"shifts already worked would change with them. Retire it and add a new shift "
                f"type with the new times.",
                field="start",
            )
    if others.filter(name__iexact=name).exists():
        raise RotaError(f"There is already a shift type called {name}.", field="name")
    if shift_type is None or shift_type.retired_at is None:
        _refuse_overlap(start, end, others)
    shift_type = shift_type or ShiftType(team=team)
    shift_type.name, shift_type.start, shift_type.end, shift_type.colour = name, start, end, colour
    shift_type.save()
    audit.record(actor=by, team=team, action="rota.shift_type.save", obj=shift_type)
    live.publish(team, "rota-setup-changed")
    return shift_type


@transaction.atomic
def shift_type_retire(*, shift_type: ShiftType, by: User, now: datetime | None = None) -> ShiftType:
    """Stop offering a shift type for new shifts, cover needs, requests and the planner.

    Shifts already on rotas keep it. Its cover needs are deleted: nobody can be put on a
    retired shift to meet them.
    """
    if shift_type.retired_at is not None:
        return shift_type
    team = shift_type.team
    needs = CoverNeed.objects.for_team(team).filter(shift_type=shift_type)
    removed = needs.count()
    needs.delete()
    shift_type.retired_at = now_or(now)
    shift_type.save(update_fields=["retired_at"])
    audit.record(
        actor=by,
        team=team,
        action="rota.shift_type.retire",
        obj=shift_type,
        detail={"cover_needs_removed": removed},
    )
    live.publish(team, "rota-setup-changed")
    return shift_type


@transaction.atomic
def shift_type_reinstate(*, shift_type: ShiftType, by: User) -> ShiftType:
    """Offer a retired shift type again; it may not overlap the types in use."""
    if shift_type.retired_at is None:
        return shift_type
    team = shift_type.team
    others = ShiftType.objects.for_team(team).exclude(pk=shift_type.pk)
    _refuse_overlap(shift_type.start, shift_type.end, others)
    shift_type.retired_at = None
    shift_type.save(update_fields=["retired_at"])
    audit.record(actor=by, team=team, action="rota.shift_type.reinstate", obj=shift_type)
    live.publish(team, "rota-setup-changed")
    return shift_type


@transaction.atomic
def shift_type_delete(*, shift_type: ShiftType, by: User) -> None:
    """Delete a shift type that was never on a rota, with its cover needs and shift requests.

    The row is locked first, so no shift can be put on it between the check and the delete.
    """
    team = shift_type.team
    shift_type = ShiftType.objects.select_for_update().get(pk=shift_type.pk)
    used = Assignment.objects.for_team(team).filter(shift_type=shift_type).count()
    if used:
        raise RotaError(
            f"{shift_type.name} is on {used} shift{'s' if used != 1 else ''} in the team's "
            f"rotas, so it stays in the record and cannot be deleted. Retire it instead: it "
            f"will not be used for new shifts."
        )
    audit.record(
        actor=by,
        team=team,
        action="rota.shift_type.delete",
        obj=shift_type,
        detail={"name": shift_type.name},
    )
    shift_type.delete()
    live.publish(team, "rota-setup-changed")
