"""One handler per mutation kind: find the rows in the team, call one service.

Handlers receive the payload already parsed by the kind's schema (caseload/sync/schema.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

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
from caseload.sync import schema
from caseload.sync.protocol import Rejected
from teams.models import Membership, Team, User


class Missing(Rejected):
    """A row the mutation names is not in the team (perhaps an earlier change failed)."""


def _found(obj: Any, what: str) -> Any:
    if obj is None:
        raise Missing(
            _("This %(what)s is not in your team (it may have moved or been removed).")
            % {"what": what}
        )
    return obj


Handler = Callable[..., int | str]  # the new version, or a Refused reason


def _visit(team: Team, target: uuid.UUID) -> Visit:
    return _found(Visit.objects.for_team(team).filter(pk=target).first(), _("visit"))


def _visit_record(
    *, team: Team, author: User, target: uuid.UUID, base_version: int | None, payload: dict
) -> int:
    visit = _visit(team, target)
    ids = payload["interventions_done"]
    interventions = list(Intervention.objects.filter(client_id=visit.client_id, pk__in=ids))
    if len(interventions) != len(ids):
        raise Rejected(_("Some interventions are not on this client's care plan."))
    problems = CarePlanProblem.objects.filter(client_id=visit.client_id).in_bulk(
        [rating["care_problem"] for rating in payload["ratings"]]
    )
    ratings = [
        services.RatingInput(
            care_problem=_found(problems.get(rating["care_problem"]), _("care plan problem")),
            knowledge=rating["knowledge"],
            behaviour=rating["behaviour"],
            status=rating["status"],
        )
        for rating in payload["ratings"]
    ]
    services.visit_record_save(
        visit=visit,
        by=author,
        base_version=base_version,
        actual_minutes=payload["actual_minutes"],
        travel_minutes=payload["travel_minutes"],
        interventions_done=interventions,
        note=payload["note"],
        ratings=ratings,
        record_id=payload["record_id"],
    )
    return Visit.objects.get(pk=visit.pk).version


def _visit_done(
    *, team: Team, author: User, target: uuid.UUID, base_version: int | None, payload: dict
) -> int:
    visit = _visit(team, target)
    services.visit_done_as_planned(visit=visit, by=author, base_version=base_version)
    return Visit.objects.get(pk=visit.pk).version


def _visit_status(
    *, team: Team, author: User, target: uuid.UUID, base_version: int | None, payload: dict
) -> int:
    visit = services.visit_set_status(
        visit=_visit(team, target),
        by=author,
        base_version=base_version,
        status=payload["status"],
        reason=payload["reason"],
    )
    return visit.version


def _time_save(
    *, team: Team, author: User, target: uuid.UUID, base_version: int | None, payload: dict
) -> int:
    existing = TimeEntry.objects.filter(pk=target).first()
    if existing is not None and existing.team_id != team.pk:
        raise Rejected(_("This time entry belongs to another team."))
    if existing is not None and base_version is None:
        raise Rejected(_("base_version is required to change an existing time entry."))
    entry = services.time_entry_save(
        team=team,
        member=author,
        date=payload["date"],
        category=payload["category"],
        minutes=payload["minutes"],
        description=payload["description"],
        entry_id=target,
        base_version=base_version,
    )
    return entry.version


def _handover_create(
    *, team: Team, author: User, target: uuid.UUID, base_version: int | None, payload: dict
) -> int:
    client = to = None
    if payload["client"] is not None:
        client = _found(
            Client.objects.for_team(team).filter(pk=payload["client"]).first(), _("client")
        )
    if payload["to"] is not None:
        membership = (
            Membership.objects.for_team(team)
            .current()
            .filter(user_id=payload["to"])
            .select_related("user")
            .first()
        )
        to = _found(membership, _("colleague")).user
    handover = services.handover_create(
        team=team, by=author, text=payload["text"], client=client, to=to, handover_id=target
    )
    return handover.version


def _handover_ack(
    *, team: Team, author: User, target: uuid.UUID, base_version: int | None, payload: dict
) -> int:
    handover = _found(Handover.objects.for_team(team).filter(pk=target).first(), _("handover"))
    return services.handover_acknowledge(
        handover=handover, by=author, base_version=base_version
    ).version


def _note_add(
    *, team: Team, author: User, target: uuid.UUID, base_version: int | None, payload: dict
) -> int:
    client = _found(Client.objects.for_team(team).filter(pk=payload["client"]).first(), _("client"))
    visit = original = None
    if payload["visit"] is not None:
        visit = _found(Visit.objects.filter(client=client, pk=payload["visit"]).first(), _("visit"))
    if payload["addendum_to"] is not None:
        original = _found(
            Note.objects.filter(client=client, pk=payload["addendum_to"]).first(), _("note")
        )
    services.note_add(
        client=client,
        by=author,
        text=payload["text"],
        visit=visit,
        addendum_to=original,
        note_id=target,
    )
    return 1


def _rating_add(
    *, team: Team, author: User, target: uuid.UUID, base_version: int | None, payload: dict
) -> int:
    problem = _found(
        CarePlanProblem.objects.for_team(team).filter(pk=payload["care_problem"]).first(),
        _("care plan problem"),
    )
    services.rating_add(
        care_problem=problem,
        by=author,
        knowledge=payload["knowledge"],
        behaviour=payload["behaviour"],
        status=payload["status"],
        rating_id=target,
    )
    return 1


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


def register(name: str, kind: schema.Kind, handler: Handler) -> None:
    """Add another app's mutation kind (ideas' consent answers and comments) to the protocol.

    The kind's schema and handler live in that app; caseload never imports it. Registered from
    the app's ``ready()``, so the kinds are the same in every process.
    """
    if name in schema.KINDS and HANDLERS.get(name) is not handler:
        raise ValueError(f"sync kind {name!r} is already registered")
    schema.KINDS[name] = kind
    HANDLERS[name] = handler
