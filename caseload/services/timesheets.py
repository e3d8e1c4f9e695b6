"""Time recording that is not a visit (visits fill direct care and travel themselves)."""

from __future__ import annotations

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from caseload.models import (
    TimeCategory,
    TimeEntry,
)
from caseload.services.common import (
    CaseloadError,
    bump,
    check_version,
    validate_minutes,
)
from teams import audit, live
from teams.models import Team, User


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
    validate_minutes("minutes", minutes)
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
            raise CaseloadError(
                _("You can change only your own entries that are not from a visit.")
            )
        check_version(entry, base_version, values)
        for name, value in values.items():
            setattr(entry, name, value)
        bump(entry, values)
        action = "time.update"
    audit.record(actor=member, team=team, action=action, obj=entry)
    live.publish(team, "time-changed", member=member.pk)
    return entry
