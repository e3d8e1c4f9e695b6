"""One handler per mutation kind: read the payload, find the row in the team, call one service."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from django.utils.dateparse import parse_date

from caseload import services
from caseload.models import (
    CarePlanProblem,
    Client,
    Handover,
    Intervention,
    Note,
    TimeEntry,
    Visit,
)
from caseload.sync.protocol import Rejected
from teams.models import Membership, Team, User


def _int(payload: dict, name: str, *, default: int | None = None) -> int:
    value = payload.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise Rejected(f"{name} must be a whole number.")
    return value


def _text(payload: dict, name: str, *, required: bool = False) -> str:
    value = payload.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Rejected(f"{name} must be text.")
    if required and not value.strip():
        raise Rejected(f"{name} is required.")
    return value


def _uuid(value: Any, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Rejected(f"{name} must be a UUID.") from None


def _date(payload: dict, name: str) -> date:
    value = payload.get(name)
    parsed = parse_date(value) if isinstance(value, str) else None
    if parsed is None:
        raise Rejected(f"{name} must be a date like 2026-11-28.")
    return parsed


def _optional_id(payload: dict, name: str) -> Any:
    value = payload.get(name)
    return None if value in (None, "") else value


def _found(obj: Any, what: str) -> Any:
    if obj is None:
        raise Rejected(f"This {what} is not in your team (it may have moved or been removed).")
    return obj


# Handlers: one per kind, each calling one service ------------------------------------------

Handler = Callable[..., int]


def _visit(team: Team, target: str) -> Visit:
    return _found(Visit.objects.for_team(team).filter(pk=_uuid(target, "target")).first(), "visit")


def _visit_record(
    *, team: Team, author: User, target: str, base_version: int | None, payload: dict
) -> int:
    visit = _visit(team, target)
    ids = payload.get("interventions_done", [])
    if not isinstance(ids, list):
        raise Rejected("interventions_done must be a list of intervention ids.")
    interventions = list(
        Intervention.objects.filter(
            client_id=visit.client_id, pk__in=[_uuid(i, "intervention") for i in ids]
        )
    )
    if len(interventions) != len(set(ids)):
        raise Rejected("Some interventions are not on this client's care plan.")
    ratings = []
    raw_ratings = payload.get("ratings", [])
    if not isinstance(raw_ratings, list):
        raise Rejected("ratings must be a list.")
    for raw in raw_ratings:
        if not isinstance(raw, dict):
            raise Rejected("Each rating must be an object.")
        problem = _found(
            CarePlanProblem.objects.filter(
                client_id=visit.client_id, pk=_uuid(raw.get("care_problem"), "care_problem")
            ).first(),
            "care plan problem",
        )
        ratings.append(
            services.RatingInput(
                care_problem=problem,
                knowledge=_int(raw, "knowledge"),
                behaviour=_int(raw, "behaviour"),
                status=_int(raw, "status"),
            )
        )
    record_id = payload.get("record_id")
    services.visit_record_save(
        visit=visit,
        by=author,
        base_version=_require_version(base_version),
        actual_minutes=_int(payload, "actual_minutes"),
        travel_minutes=_int(payload, "travel_minutes", default=0),
        interventions_done=interventions,
        note=_text(payload, "note"),
        ratings=ratings,
        record_id=_uuid(record_id, "record_id") if record_id else None,
    )
    return Visit.objects.get(pk=visit.pk).version


def _visit_done(
    *, team: Team, author: User, target: str, base_version: int | None, payload: dict
) -> int:
    visit = _visit(team, target)
    services.visit_done_as_planned(
        visit=visit, by=author, base_version=_require_version(base_version)
    )
    return Visit.objects.get(pk=visit.pk).version


def _visit_status(
    *, team: Team, author: User, target: str, base_version: int | None, payload: dict
) -> int:
    visit = services.visit_set_status(
        visit=_visit(team, target),
        by=author,
        base_version=_require_version(base_version),
        status=_text(payload, "status", required=True),
        reason=_text(payload, "reason", required=True),
    )
    return visit.version


def _time_save(
    *, team: Team, author: User, target: str, base_version: int | None, payload: dict
) -> int:
    entry_id = _uuid(target, "target")
    existing = TimeEntry.objects.filter(pk=entry_id).first()
    if existing is not None and existing.team_id != team.pk:
        raise Rejected("This time entry belongs to another team.")
    if existing is not None and base_version is None:
        raise Rejected("base_version is required to change an existing time entry.")
    entry = services.time_entry_save(
        team=team,
        member=author,
        date=_date(payload, "date"),
        category=_text(payload, "category", required=True),
        minutes=_int(payload, "minutes"),
        description=_text(payload, "description"),
        entry_id=entry_id,
        base_version=base_version,
    )
    return entry.version


def _handover_create(
    *, team: Team, author: User, target: str, base_version: int | None, payload: dict
) -> int:
    client_id, to_id = _optional_id(payload, "client"), _optional_id(payload, "to")
    client = (
        _found(Client.objects.for_team(team).filter(pk=client_id).first(), "client")
        if client_id
        else None
    )
    to = None
    if to_id is not None:
        membership = (
            Membership.objects.for_team(team)
            .current()
            .filter(user_id=to_id)
            .select_related("user")
            .first()
        )
        to = _found(membership, "colleague").user
    handover = services.handover_create(
        team=team,
        by=author,
        text=_text(payload, "text", required=True),
        client=client,
        to=to,
        handover_id=_uuid(target, "target"),
    )
    return handover.version


def _handover_ack(
    *, team: Team, author: User, target: str, base_version: int | None, payload: dict
) -> int:
    handover = _found(
        Handover.objects.for_team(team).filter(pk=_uuid(target, "target")).first(), "handover"
    )
    return services.handover_acknowledge(
        handover=handover, by=author, base_version=_require_version(base_version)
    ).version


def _note_add(
    *, team: Team, author: User, target: str, base_version: int | None, payload: dict
) -> int:
    client = _found(
        Client.objects.for_team(team).filter(pk=payload.get("client")).first(), "client"
    )
    visit_id, original_id = _optional_id(payload, "visit"), _optional_id(payload, "addendum_to")
    visit = (
        _found(Visit.objects.filter(client=client, pk=_uuid(visit_id, "visit")).first(), "visit")
        if visit_id
        else None
    )
    original = (
        _found(
            Note.objects.filter(client=client, pk=_uuid(original_id, "addendum_to")).first(), "note"
        )
        if original_id
        else None
    )
    services.note_add(
        client=client,
        by=author,
        text=_text(payload, "text", required=True),
        visit=visit,
        addendum_to=original,
        note_id=_uuid(target, "target"),
    )
    return 1


def _rating_add(
    *, team: Team, author: User, target: str, base_version: int | None, payload: dict
) -> int:
    problem = _found(
        CarePlanProblem.objects.for_team(team)
        .filter(pk=_uuid(payload.get("care_problem"), "care_problem"))
        .first(),
        "care plan problem",
    )
    services.rating_add(
        care_problem=problem,
        by=author,
        knowledge=_int(payload, "knowledge"),
        behaviour=_int(payload, "behaviour"),
        status=_int(payload, "status"),
        rating_id=_uuid(target, "target"),
    )
    return 1


def _require_version(base_version: int | None) -> int:
    if base_version is None:
        raise Rejected("base_version is required for this kind.")
    return base_version


HANDLERS: dict[str, Handler] = {
    "visit.record": _visit_record,
    "visit.done": _visit_done,
    "visit.status": _visit_status,
    "time.save": _time_save,
    "handover.create": _handover_create,
    "handover.ack": _handover_ack,
    "note.add": _note_add,
    "rating.add": _rating_add,
}
