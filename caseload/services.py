"""Writes for the caseload. Online forms and the offline sync call these same functions.

Each runs in one transaction, checks the version the write was based on, audits, and tells the
team after commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caseload.models import (
    CarePlanProblem,
    Client,
    ClientStatus,
    Frequency,
    Handover,
    Intervention,
    Note,
    Rating,
    Severity,
    TimeCategory,
    TimeEntry,
    Visit,
    VisitRecord,
    VisitStatus,
)
from caseload.validators import normalise_nhs_number, normalise_postcode
from teams import audit, live
from teams.models import Membership, Team, User


class CaseloadError(Exception):
    """A rule was broken; the message is for the person who tried."""


@dataclass
class VersionConflict(CaseloadError):
    """The row changed since the version the write was based on; nothing was written."""

    current: Any
    attempted: dict[str, Any] = field(default_factory=dict)
    message: str = "Someone else changed this since you opened it."
    fields: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return self.message


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _check_version(
    obj: Any,
    base_version: int | None,
    attempted: dict[str, Any],
    touches: Iterable[str] | None = None,
) -> None:
    """Refuse a write based on an old version only where it would overwrite a newer change.

    Each row remembers in which version each field last changed (``field_versions``). A write
    based on ``base_version`` that touches only fields unchanged since is a merge and goes
    ahead; one that touches a field changed since is a conflict.
    """
    if base_version is None or obj.version == base_version:
        return
    touched = set(attempted if touches is None else touches)
    if base_version > obj.version:
        overlap = touched
    else:
        overlap = {f for f, v in obj.field_versions.items() if v > base_version} & touched
    if overlap:
        raise VersionConflict(current=obj, attempted=attempted, fields=sorted(overlap))


def _bump(obj: Any, fields: Iterable[str]) -> None:
    obj.version += 1
    for name in fields:
        obj.field_versions[name] = obj.version
    obj.full_clean(exclude=["team", "client", "visit"])
    obj.save(update_fields=[*fields, "version", "field_versions"])


def _is_member(team: Team, user: User | None) -> bool:
    return (
        user is not None and Membership.objects.for_team(team).current().filter(user=user).exists()
    )


def _validate_minutes(name: str, minutes: int, *, allow_zero: bool = False) -> None:
    low = 0 if allow_zero else 1
    if not low <= minutes <= 24 * 60:
        raise ValidationError(
            {name: f"Enter minutes between {low} and 1440 (24 hours)."}, code="minutes"
        )


# Clients ---------------------------------------------------------------------------------


CLIENT_FIELDS = (
    "name",
    "preferred_name",
    "date_of_birth",
    "nhs_number",
    "address",
    "postcode",
    "phone",
    "key_contacts",
    "consent_notes",
    "alerts",
    "primary_nurse",
)


def _clean_client_fields(team: Team, fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(CLIENT_FIELDS)
    if unknown:
        raise CaseloadError(f"Unknown client fields: {', '.join(sorted(unknown))}")
    if "nhs_number" in fields:
        fields["nhs_number"] = normalise_nhs_number(fields["nhs_number"])
    if "postcode" in fields:
        fields["postcode"] = normalise_postcode(fields["postcode"])
    nurse = fields.get("primary_nurse")
    if nurse is not None and not _is_member(team, nurse):
        raise ValidationError({"primary_nurse": "Choose a member of your team."})
    return fields


@transaction.atomic
def client_create(*, team: Team, by: User, **fields: Any) -> Client:
    client = Client(team=team, **_clean_client_fields(team, fields))
    client.full_clean()
    client.save()
    audit.record(actor=by, team=team, action="client.create", obj=client)
    live.publish(team, "client-changed", client=client.pk)
    return client


@transaction.atomic
def client_update(*, client: Client, by: User, base_version: int, **fields: Any) -> Client:
    """Change a client's details; a stale ``base_version`` is a conflict, never an overwrite."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    fields = _clean_client_fields(client.team, fields)
    _check_version(client, base_version, fields)
    for name, value in fields.items():
        setattr(client, name, value)
    _bump(client, fields)
    audit.record(
        actor=by,
        team=client.team,
        action="client.update",
        obj=client,
        detail={"fields": sorted(fields)},
    )
    live.publish(client.team, "client-changed", client=client.pk)
    return client


@transaction.atomic
def client_set_status(
    *, client: Client, by: User, base_version: int, status: str, reason: str = ""
) -> Client:
    client = Client.objects.select_for_update().get(pk=client.pk)
    _check_version(client, base_version, {"status": status}, touches=["status", "discharge_reason"])
    if status == ClientStatus.DISCHARGED and not reason.strip():
        raise ValidationError({"discharge_reason": "Say why the client is being discharged."})
    client.status = status
    client.discharge_reason = reason.strip() if status == ClientStatus.DISCHARGED else ""
    _bump(client, ["status", "discharge_reason"])
    if status == ClientStatus.DISCHARGED:
        Visit.objects.filter(
            client=client, status=VisitStatus.PLANNED, date__gte=timezone.localdate()
        ).update(status=VisitStatus.CANCELLED, status_reason="Client discharged")
    audit.record(actor=by, team=client.team, action=f"client.{status}", obj=client)
    live.publish(client.team, "client-changed", client=client.pk)
    live.publish(client.team, "visit-changed")
    return client


def client_record_viewed(*, client: Client, by: User, what: str) -> None:
    """Audit a read of a client's record (page, fragment or PDF): health data access is logged."""
    audit.record(
        actor=by, team=client.team, action="client.view", obj=client, detail={"what": what}
    )


# Care plans ------------------------------------------------------------------------------


@transaction.atomic
def care_problem_add(
    *,
    client: Client,
    by: User,
    problem: Any,
    severity: str,
    scope: str = "individual",
    signs_symptoms: str = "",
    care_problem_id: uuid.UUID | None = None,
) -> CarePlanProblem:
    if severity != Severity.ACTUAL and signs_symptoms.strip():
        raise ValidationError(
            {"signs_symptoms": "Record signs and symptoms only for an Actual problem."}
        )
    if CarePlanProblem.objects.filter(client=client, problem=problem, status="active").exists():
        raise ValidationError({"problem": f"{problem} is already on this care plan."})
    care_problem = CarePlanProblem(
        id=care_problem_id or uuid.uuid4(),
        team=client.team,
        client=client,
        problem=problem,
        scope=scope,
        severity=severity,
        signs_symptoms=signs_symptoms.strip(),
    )
    care_problem.full_clean(exclude=["team", "client"])
    care_problem.save()
    audit.record(actor=by, team=client.team, action="careplan.problem_add", obj=care_problem)
    live.publish(client.team, "client-changed", client=client.pk)
    return care_problem


@transaction.atomic
def intervention_add(
    *,
    care_problem: CarePlanProblem,
    by: User,
    category: str,
    target: Any,
    description: str,
    frequency: str,
    minutes: int = 15,
    intervention_id: uuid.UUID | None = None,
) -> Intervention:
    intervention = Intervention(
        id=intervention_id or uuid.uuid4(),
        team=care_problem.team,
        client=care_problem.client,
        care_problem=care_problem,
        category=category,
        target=target,
        description=description.strip(),
        frequency=frequency,
        minutes=minutes,
    )
    intervention.full_clean(exclude=["team", "client"])
    intervention.save()
    audit.record(
        actor=by, team=care_problem.team, action="careplan.intervention_add", obj=intervention
    )
    live.publish(care_problem.team, "client-changed", client=care_problem.client_id)
    return intervention


@transaction.atomic
def rating_add(
    *,
    care_problem: CarePlanProblem,
    by: User,
    knowledge: int,
    behaviour: int,
    status: int,
    visit: Visit | None = None,
    rating_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> Rating:
    """Add a Knowledge/Behaviour/Status rating; ratings are never edited, only added."""
    rating = Rating(
        id=rating_id or uuid.uuid4(),
        team=care_problem.team,
        client=care_problem.client,
        care_problem=care_problem,
        knowledge=knowledge,
        behaviour=behaviour,
        status=status,
        rated_by=by,
        rated_at=_now(now),
        visit=visit,
    )
    rating.full_clean(exclude=["team", "client", "visit"])
    rating.save()
    audit.record(actor=by, team=care_problem.team, action="careplan.rating_add", obj=rating)
    live.publish(care_problem.team, "client-changed", client=care_problem.client_id)
    return rating


@transaction.atomic
def note_add(
    *,
    client: Client,
    by: User,
    text: str,
    visit: Visit | None = None,
    addendum_to: Note | None = None,
    note_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> Note:
    """Append a note. Notes are never changed; a correction is an addendum to the original."""
    if not text.strip():
        raise ValidationError({"text": "Write the note."})
    if addendum_to is not None and addendum_to.client_id != client.pk:
        raise CaseloadError("An addendum must be about the same client as its note.")
    note = Note.objects.create(
        id=note_id or uuid.uuid4(),
        team=client.team,
        client=client,
        visit=visit,
        addendum_to=addendum_to,
        author=by,
        text=text.strip(),
        created_at=_now(now),
    )
    audit.record(actor=by, team=client.team, action="note.add", obj=note)
    live.publish(client.team, "client-changed", client=client.pk)
    return note


# Visits ----------------------------------------------------------------------------------


def _check_window(window_start: time, window_end: time) -> None:
    if window_end <= window_start:
        raise ValidationError({"window_end": "The visit must end after it starts."})


@transaction.atomic
def visit_create(
    *,
    client: Client,
    by: User,
    date: date,
    window_start: time,
    window_end: time,
    planned_minutes: int,
    assigned_to: User | None,
    interventions: Iterable[Intervention] = (),
    visit_id: uuid.UUID | None = None,
    generated: bool = False,
) -> Visit:
    _check_window(window_start, window_end)
    _validate_minutes("planned_minutes", planned_minutes)
    if assigned_to is not None and not _is_member(client.team, assigned_to):
        raise ValidationError({"assigned_to": "Choose a member of your team."})
    interventions = list(interventions)
    if any(i.client_id != client.pk for i in interventions):
        raise CaseloadError("Interventions must be on this client's care plan.")
    visit = Visit.objects.create(
        id=visit_id or uuid.uuid4(),
        team=client.team,
        client=client,
        date=date,
        window_start=window_start,
        window_end=window_end,
        planned_minutes=planned_minutes,
        assigned_to=assigned_to,
        generated=generated,
    )
    visit.interventions.set(interventions)
    if not generated:
        audit.record(actor=by, team=client.team, action="visit.create", obj=visit)
    live.publish(client.team, "visit-changed", visit=visit.pk)
    return visit


def _locked_visit(visit: Visit) -> Visit:
    return Visit.objects.select_for_update().select_related("client", "team").get(pk=visit.pk)


@transaction.atomic
def visit_update(
    *,
    visit: Visit,
    by: User,
    base_version: int,
    date: date,
    window_start: time,
    window_end: time,
    planned_minutes: int,
) -> Visit:
    visit = _locked_visit(visit)
    attempted = {
        "date": date,
        "window_start": window_start,
        "window_end": window_end,
        "planned_minutes": planned_minutes,
    }
    _check_version(visit, base_version, attempted)
    if visit.status != VisitStatus.PLANNED:
        raise CaseloadError("Only a planned visit can be changed.")
    _check_window(window_start, window_end)
    _validate_minutes("planned_minutes", planned_minutes)
    for name, value in attempted.items():
        setattr(visit, name, value)
    _bump(visit, attempted)
    audit.record(actor=by, team=visit.team, action="visit.update", obj=visit)
    live.publish(visit.team, "visit-changed", visit=visit.pk, version=visit.version)
    return visit


@transaction.atomic
def visit_reassign(*, visit: Visit, by: User, base_version: int, to: User | None) -> Visit:
    visit = _locked_visit(visit)
    _check_version(visit, base_version, {"assigned_to": to})
    if visit.status != VisitStatus.PLANNED:
        raise CaseloadError("Only a planned visit can be reassigned.")
    if to is not None and not _is_member(visit.team, to):
        raise ValidationError({"assigned_to": "Choose a member of your team."})
    visit.assigned_to = to
    _bump(visit, ["assigned_to"])
    audit.record(
        actor=by,
        team=visit.team,
        action="visit.reassign",
        obj=visit,
        detail={"to": to.pk if to else None},
    )
    live.publish(visit.team, "visit-changed", visit=visit.pk, version=visit.version)
    return visit


@transaction.atomic
def visit_set_status(
    *, visit: Visit, by: User, base_version: int, status: str, reason: str
) -> Visit:
    """Mark a planned visit cancelled or missed; both need a reason."""
    visit = _locked_visit(visit)
    _check_version(visit, base_version, {"status": status, "status_reason": reason})
    if status not in (VisitStatus.CANCELLED, VisitStatus.MISSED):
        raise CaseloadError(
            "A visit can be marked cancelled or missed here; record it to mark it done."
        )
    if visit.status != VisitStatus.PLANNED:
        raise CaseloadError(f"This visit is already {visit.get_status_display().lower()}.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why."})
    visit.status = status
    visit.status_reason = reason.strip()
    _bump(visit, ["status", "status_reason"])
    audit.record(actor=by, team=visit.team, action=f"visit.{status}", obj=visit)
    live.publish(visit.team, "visit-changed", visit=visit.pk, version=visit.version)
    return visit


@dataclass(frozen=True)
class RatingInput:
    care_problem: CarePlanProblem
    knowledge: int
    behaviour: int
    status: int


@transaction.atomic
def visit_record_save(
    *,
    visit: Visit,
    by: User,
    base_version: int,
    actual_minutes: int,
    travel_minutes: int = 0,
    interventions_done: Iterable[Intervention] = (),
    note: str = "",
    ratings: Iterable[RatingInput] = (),
    record_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> VisitRecord:
    """Record a visit once: its interventions, minutes, note and ratings, and the day's time.

    The visit row is locked; a visit that a colleague already recorded, or that changed since
    ``base_version``, raises VersionConflict and nothing is written.
    """
    visit = _locked_visit(visit)
    attempted = {
        "actual_minutes": actual_minutes,
        "travel_minutes": travel_minutes,
        "interventions_done": [str(i.pk) for i in interventions_done],
        "note": note,
    }
    existing = VisitRecord.objects.filter(visit=visit).select_related("recorded_by").first()
    if existing is not None:
        raise VersionConflict(
            current=existing,
            attempted=attempted,
            message=f"{existing.recorded_by} already recorded this visit.",
        )
    _check_version(visit, base_version, attempted, touches=["status"])
    if visit.status != VisitStatus.PLANNED:
        raise CaseloadError(
            f"This visit is {visit.get_status_display().lower()}; it cannot be recorded."
        )
    _validate_minutes("actual_minutes", actual_minutes)
    _validate_minutes("travel_minutes", travel_minutes, allow_zero=True)
    interventions_done = list(interventions_done)
    if any(i.client_id != visit.client_id for i in interventions_done):
        raise CaseloadError("Interventions must be on this client's care plan.")
    at = _now(now)
    record = VisitRecord.objects.create(
        id=record_id or uuid.uuid4(),
        team=visit.team,
        visit=visit,
        actual_minutes=actual_minutes,
        travel_minutes=travel_minutes,
        recorded_by=by,
        recorded_at=at,
    )
    record.interventions_done.set(interventions_done)
    visit.status = VisitStatus.DONE
    _bump(visit, ["status"])
    entries = [(TimeCategory.DIRECT, actual_minutes, f"Visit: {visit.client.known_as}")]
    if travel_minutes:
        entries.append((TimeCategory.TRAVEL, travel_minutes, f"Travel to {visit.client.known_as}"))
    TimeEntry.objects.bulk_create(
        TimeEntry(
            team=visit.team,
            member=by,
            date=visit.date,
            category=category,
            minutes=minutes,
            description=description,
            visit_record=record,
        )
        for category, minutes, description in entries
    )
    if note.strip():
        note_add(client=visit.client, by=by, text=note, visit=visit, now=at)
    for rating in ratings:
        if rating.care_problem.client_id != visit.client_id:
            raise CaseloadError("Ratings must be for this client's problems.")
        rating_add(
            care_problem=rating.care_problem,
            by=by,
            knowledge=rating.knowledge,
            behaviour=rating.behaviour,
            status=rating.status,
            visit=visit,
            now=at,
        )
    audit.record(actor=by, team=visit.team, action="visit.record", obj=visit)
    live.publish(visit.team, "visit-changed", visit=visit.pk, version=visit.version)
    return record


def visit_done_as_planned(*, visit: Visit, by: User, base_version: int) -> VisitRecord:
    """Record a visit with its planned interventions and minutes: the one-tap path on Today."""
    return visit_record_save(
        visit=visit,
        by=by,
        base_version=base_version,
        actual_minutes=visit.planned_minutes,
        interventions_done=visit.interventions.all(),
    )


# Visit generation ------------------------------------------------------------------------

MORNING = (time(8, 0), time(12, 0))
EVENING = (time(17, 0), time(20, 0))


def _due(frequency: str, day: date) -> int:
    """How many visits an intervention of ``frequency`` needs on ``day`` (0, 1 or 2)."""
    weekday = day.weekday()
    rules = {
        Frequency.TWICE_DAILY: 2,
        Frequency.DAILY: 1,
        Frequency.FIVE_WEEKLY: int(weekday < 5),
        Frequency.THREE_WEEKLY: int(weekday in (0, 2, 4)),
        Frequency.TWICE_WEEKLY: int(weekday in (1, 4)),
        Frequency.WEEKLY: int(weekday == 2),
        Frequency.FORTNIGHTLY: int(weekday == 2 and day.isocalendar().week % 2 == 0),
        Frequency.MONTHLY: int(day.day <= 7 and weekday == 3),
    }
    return rules.get(frequency, 0)


@transaction.atomic
def visits_generate(*, team: Team, start: date, days: int, by: User | None = None) -> int:
    """Plan visits for ``days`` from ``start`` from each active care plan's frequencies.

    Idempotent: a client and day that already has a generated visit in that part of the day is
    left alone, so the rolling horizon can be extended every night.
    """
    interventions = (
        Intervention.objects.for_team(team)
        .filter(active=True, care_problem__status="active", client__status=ClientStatus.ACTIVE)
        .select_related("client")
    )
    by_client: dict[int, list[Intervention]] = {}
    for intervention in interventions:
        by_client.setdefault(intervention.client_id, []).append(intervention)
    existing = set(
        Visit.objects.for_team(team)
        .filter(generated=True, date__gte=start, date__lt=start + timedelta(days=days))
        .values_list("client_id", "date", "window_start")
    )
    created = 0
    for day in (start + timedelta(days=n) for n in range(days)):
        for client_interventions in by_client.values():
            client = client_interventions[0].client
            for slot, window in enumerate((MORNING, EVENING)):
                due = [i for i in client_interventions if _due(i.frequency, day) > slot]
                if not due or (client.pk, day, window[0]) in existing:
                    continue
                visit_create(
                    client=client,
                    by=by,
                    date=day,
                    window_start=window[0],
                    window_end=window[1],
                    planned_minutes=sum(i.minutes for i in due),
                    assigned_to=client.primary_nurse,
                    interventions=due,
                    generated=True,
                )
                created += 1
    if created:
        audit.record(actor=by, team=team, action="visit.generate", detail={"created": created})
    return created


# Time ------------------------------------------------------------------------------------


@transaction.atomic
def time_entry_save(
    *,
    team: Team,
    member: User,
    date: date,
    category: str,
    minutes: int,
    description: str = "",
    entry_id: uuid.UUID | None = None,
    base_version: int | None = None,
) -> TimeEntry:
    """Create an entry, or change one with ``entry_id`` and the version it was based on."""
    _validate_minutes("minutes", minutes)
    if category not in TimeCategory.values:
        raise ValidationError({"category": "Choose a category."})
    if category == TimeCategory.DIRECT:
        raise ValidationError(
            {"category": "Direct client care comes from visit records: record the visit instead."}
        )
    values = {
        "date": date,
        "category": category,
        "minutes": minutes,
        "description": description.strip(),
    }
    entry = (
        TimeEntry.objects.select_for_update().filter(pk=entry_id, team=team).first()
        if entry_id
        else None
    )
    if entry is None:
        entry = TimeEntry.objects.create(
            id=entry_id or uuid.uuid4(), team=team, member=member, **values
        )
        action = "time.create"
    else:
        if entry.member_id != member.pk or entry.visit_record_id is not None:
            raise CaseloadError("You can change only your own entries that are not from a visit.")
        _check_version(entry, base_version, values)
        for name, value in values.items():
            setattr(entry, name, value)
        _bump(entry, values)
        action = "time.update"
    audit.record(actor=member, team=team, action=action, obj=entry)
    live.publish(team, "time-changed", member=member.pk)
    return entry


# Handovers -------------------------------------------------------------------------------


@transaction.atomic
def handover_create(
    *,
    team: Team,
    by: User,
    text: str,
    client: Client | None = None,
    to: User | None = None,
    handover_id: uuid.UUID | None = None,
) -> Handover:
    if not text.strip():
        raise ValidationError({"text": "Write the handover."})
    if to is not None and not _is_member(team, to):
        raise ValidationError({"to": "Choose a member of your team, or the whole team."})
    if client is not None and client.team_id != team.pk:
        raise CaseloadError("That client is not in your team.")
    handover = Handover.objects.create(
        id=handover_id or uuid.uuid4(),
        team=team,
        client=client,
        author=by,
        to=to,
        text=text.strip(),
    )
    audit.record(actor=by, team=team, action="handover.create", obj=handover)
    live.publish(team, "handover-changed", handover=handover.pk)
    return handover


@transaction.atomic
def handover_acknowledge(
    *, handover: Handover, by: User, base_version: int, now: datetime | None = None
) -> Handover:
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if handover.acknowledged_at is not None:
        raise VersionConflict(
            current=handover,
            message=f"{handover.acknowledged_by} already acknowledged this handover.",
        )
    _check_version(
        handover,
        base_version,
        {"acknowledged": True},
        touches=["acknowledged_at", "acknowledged_by"],
    )
    if handover.to_id is not None and handover.to_id != by.pk:
        raise CaseloadError("Only the colleague it is for can acknowledge this handover.")
    handover.acknowledged_at = _now(now)
    handover.acknowledged_by = by
    _bump(handover, ["acknowledged_at", "acknowledged_by"])
    audit.record(actor=by, team=handover.team, action="handover.acknowledge", obj=handover)
    live.publish(handover.team, "handover-changed", handover=handover.pk)
    return handover
