"""Care plans in the Omaha System: problems, interventions, ratings and notes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from caseload.models import (
    CarePlanProblem,
    Client,
    Intervention,
    Note,
    Rating,
    Severity,
    Visit,
)
from caseload.services.common import (
    CaseloadError,
)
from teams import audit, live
from teams.clock import now_or
from teams.models import User


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
        rated_at=now_or(now),
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
        raise CaseloadError(_("An addendum must be about the same client as its note."))
    note = Note.objects.create(
        id=note_id or uuid.uuid4(),
        team=client.team,
        client=client,
        visit=visit,
        addendum_to=addendum_to,
        author=by,
        text=text.strip(),
        created_at=now_or(now),
    )
    audit.record(actor=by, team=client.team, action="note.add", obj=note)
    live.publish(client.team, "client-changed", client=client.pk)
    return note
