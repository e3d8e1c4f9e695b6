"""Visits: planning them from care plans, changing, reassigning and recording them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from caseload.models import (
    CarePlanProblem,
    Client,
    ClientStatus,
    Frequency,
    Intervention,
    TimeCategory,
    TimeEntry,
    Visit,
    VisitRecord,
    VisitStatus,
)
from caseload.rules import MINUTES_MAX
from caseload.services.careplan import note_add, rating_add
from caseload.services.common import (
    CaseloadError,
    VersionConflict,
    bump,
    check_version,
    next_version,
    validate_minutes,
)
from teams import audit, live
from teams.clock import now_or
from teams.models import Team, User
from teams.selectors import is_member, member_users


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
) -> Visit:
    _check_window(window_start, window_end)
    validate_minutes("planned_minutes", planned_minutes)
    if assigned_to is not None and not is_member(team=client.team, user=assigned_to):
        raise ValidationError({"assigned_to": "Choose a member of your team."})
    interventions = list(interventions)
    if any(i.client_id != client.pk for i in interventions):
        raise CaseloadError(_("Interventions must be on this client's care plan."))
    visit = Visit.objects.create(
        id=visit_id or uuid.uuid4(),
        team=client.team,
        client=client,
        date=date,
        window_start=window_start,
        window_end=window_end,
        planned_minutes=planned_minutes,
        assigned_to=assigned_to,
    )
    visit.interventions.set(interventions)
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
    check_version(visit, base_version, attempted)
    if visit.status != VisitStatus.PLANNED:
        raise CaseloadError(_("Only a planned visit can be changed."))
    _check_window(window_start, window_end)
    validate_minutes("planned_minutes", planned_minutes)
    for name, value in attempted.items():
        setattr(visit, name, value)
    bump(visit, attempted)
    audit.record(actor=by, team=visit.team, action="visit.update", obj=visit)
    live.publish(visit.team, "visit-changed", visit=visit.pk, version=visit.version)
    return visit


@transaction.atomic
def visit_reassign(*, visit: Visit, by: User, base_version: int, to: User | None) -> Visit:
    visit = _locked_visit(visit)
    check_version(visit, base_version, {"assigned_to": to})
    if visit.status != VisitStatus.PLANNED:
        raise CaseloadError(_("Only a planned visit can be reassigned."))
    if to is not None and not is_member(team=visit.team, user=to):
        raise ValidationError({"assigned_to": "Choose a member of your team."})
    visit.assigned_to = to
    bump(visit, ["assigned_to"])
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
    check_version(visit, base_version, {"status": status, "status_reason": reason})
    if status not in (VisitStatus.CANCELLED, VisitStatus.MISSED):
        raise CaseloadError(
            _("A visit can be marked cancelled or missed here; record it to mark it done.")
        )
    if visit.status != VisitStatus.PLANNED:
        raise CaseloadError(f"This visit is already {visit.get_status_display().lower()}.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why."})
    visit.status = status
    visit.status_reason = reason.strip()
    bump(visit, ["status", "status_reason"])
    audit.record(actor=by, team=visit.team, action=f"visit.{status}", obj=visit)
    live.publish(visit.team, "visit-changed", visit=visit.pk, version=visit.version)
    return visit


def visits_cancel_planned(*, client: Client, reason: str, from_day: date) -> int:
    """Cancel the client's planned visits from ``from_day`` on, each as a versioned write.

    Runs inside the caller's transaction with the visits locked; each visit's version and the
    versions of its status fields advance, so a device still holding one of them gets a
    conflict rather than overwriting the cancellation. The caller publishes the event.
    """
    visits = list(
        Visit.objects.select_for_update().filter(
            client=client, status=VisitStatus.PLANNED, date__gte=from_day
        )
    )
    changed = ["status", "status_reason"]
    for visit in visits:
        visit.status = VisitStatus.CANCELLED
        visit.status_reason = reason
        next_version(visit, changed)
    Visit.objects.bulk_update(visits, [*changed, "version", "field_versions"])
    return len(visits)


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
    check_version(visit, base_version, attempted, touches=["status"])
    if visit.status != VisitStatus.PLANNED:
        raise CaseloadError(
            f"This visit is {visit.get_status_display().lower()}; it cannot be recorded."
        )
    validate_minutes("actual_minutes", actual_minutes)
    validate_minutes("travel_minutes", travel_minutes, allow_zero=True)
    interventions_done = list(interventions_done)
    if any(i.client_id != visit.client_id for i in interventions_done):
        raise CaseloadError(_("Interventions must be on this client's care plan."))
    at = now_or(now)
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
    bump(visit, ["status"])
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
            raise CaseloadError(_("Ratings must be for this client's problems."))
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


def _slots(
    interventions: list[Intervention], day: date
) -> Iterator[tuple[tuple[time, time], list[Intervention]]]:
    """Yield each window of ``day`` that needs a visit, with the interventions due in it."""
    for slot, window in enumerate((MORNING, EVENING)):
        due = [i for i in interventions if _due(i.frequency, day) > slot]
        if due:
            yield window, due


@transaction.atomic
def visits_generate(*, team: Team, start: date, days: int, by: User | None = None) -> int:
    """Plan visits for ``days`` from ``start`` from each active care plan's frequencies.

    Idempotent: a client and day that already has a generated visit in that part of the day is
    left alone, so the rolling horizon can be extended every night. The visits and their
    intervention links are inserted in bulk, so the number of queries does not grow with the
    number of visits, and the team hears one ``visit-changed`` event. A primary nurse who has
    left the team is not assigned.
    """
    interventions = (
        Intervention.objects.for_team(team)
        .filter(active=True, care_problem__status="active", client__status=ClientStatus.ACTIVE)
        .select_related("client")
        .order_by("client_id", "pk")
    )
    by_client: dict[int, list[Intervention]] = {}
    for intervention in interventions:
        by_client.setdefault(intervention.client_id, []).append(intervention)
    existing = set(
        Visit.objects.for_team(team)
        .filter(generated=True, date__gte=start, date__lt=start + timedelta(days=days))
        .values_list("client_id", "date", "window_start")
    )
    members = set(member_users(team=team).values_list("pk", flat=True))
    visits: list[Visit] = []
    links: list[Any] = []
    Link = Visit.interventions.through
    for day in (start + timedelta(days=n) for n in range(days)):
        for client_interventions in by_client.values():
            client = client_interventions[0].client
            for (window_start, window_end), due in _slots(client_interventions, day):
                if (client.pk, day, window_start) in existing:
                    continue
                visit = Visit(
                    team=team,
                    client=client,
                    date=day,
                    window_start=window_start,
                    window_end=window_end,
                    planned_minutes=min(sum(i.minutes for i in due), MINUTES_MAX),
                    assigned_to_id=(
                        client.primary_nurse_id if client.primary_nurse_id in members else None
                    ),
                    generated=True,
                )
                visits.append(visit)
                links.extend(Link(visit_id=visit.pk, intervention_id=i.pk) for i in due)
    if visits:
        Visit.objects.bulk_create(visits)
        Link.objects.bulk_create(links)
        audit.record(actor=by, team=team, action="visit.generate", detail={"created": len(visits)})
        live.publish(team, "visit-changed")
    return len(visits)
