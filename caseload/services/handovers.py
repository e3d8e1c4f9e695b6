"""Handovers between colleagues about a client or the team."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from caseload.models import (
    Client,
    Handover,
)
from caseload.services.common import (
    CaseloadError,
    VersionConflict,
    bump,
    check_version,
)
from teams import audit, live
from teams.clock import now_or
from teams.models import Team, User
from teams.selectors import is_member


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
    if to is not None and not is_member(team=team, user=to):
        raise ValidationError({"to": "Choose a member of your team, or the whole team."})
    if client is not None and client.team_id != team.pk:
        raise CaseloadError(_("That client is not in your team."))
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
    check_version(
        handover,
        base_version,
        {"acknowledged": True},
        touches=["acknowledged_at", "acknowledged_by"],
    )
    if handover.to_id is not None and handover.to_id != by.pk:
        raise CaseloadError(_("Only the colleague it is for can acknowledge this handover."))
    handover.acknowledged_at = now_or(now)
    handover.acknowledged_by = by
    bump(handover, ["acknowledged_at", "acknowledged_by"])
    audit.record(actor=by, team=handover.team, action="handover.acknowledge", obj=handover)
    live.publish(handover.team, "handover-changed", handover=handover.pk)
    return handover
