"""Conflicts and rejections wait for their author, who keeps the saved version or applies hers."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caseload import services
from caseload.models import (
    Handover,
    SyncMutation,
    SyncOutcome,
    TimeEntry,
    Visit,
)
from caseload.sync import schema
from caseload.sync.handlers import HANDLERS
from caseload.sync.protocol import Rejected
from teams import audit
from teams.models import Team, User


def needs_attention(*, team: Team, author: User):
    return SyncMutation.objects.for_team(team).filter(
        author=author,
        status__in=[SyncOutcome.CONFLICT, SyncOutcome.REJECTED],
        resolved_at__isnull=True,
    )


def current_version(*, team: Team, row: SyncMutation) -> int | None:
    model = {"visit": Visit, "time": TimeEntry, "handover": Handover}.get(row.kind.split(".")[0])
    if model is None:
        return None
    obj = model.objects.for_team(team).filter(pk=row.target).first()
    return obj.version if obj else None


@transaction.atomic
def sync_resolve(
    *, row: SyncMutation, by: User, keep: str, now: datetime | None = None
) -> SyncMutation:
    """Resolve a kept mutation: ``keep="saved"`` drops mine, ``keep="mine"`` applies mine now.

    Applying mine re-runs the same handler on top of the current version, so it changes only
    the fields this mutation carries (a merge) and is audited like any other write.
    """
    row = SyncMutation.objects.select_for_update().get(pk=row.pk)
    if row.resolved_at is not None:
        raise services.CaseloadError("This was already resolved.")
    if row.author_id != by.pk:
        raise services.CaseloadError("Only its author can resolve this change.")
    if keep == "mine":
        if row.status != SyncOutcome.CONFLICT:
            raise services.CaseloadError("A rejected change cannot be applied; dismiss it instead.")
        version = current_version(team=row.team, row=row)
        try:
            row.version = HANDLERS[row.kind](
                team=row.team,
                author=by,
                target=schema.parse_uuid(row.target, "target"),
                base_version=version,
                payload=schema.KINDS[row.kind].parse_payload(row.payload),
            )
        except (services.VersionConflict, Rejected, ValidationError) as error:
            raise services.CaseloadError(f"Your change still cannot be applied: {error}") from None
    elif keep != "saved":
        raise services.CaseloadError("Choose which version to keep.")
    row.resolved_at = now or timezone.now()
    row.resolution = keep
    row.save(update_fields=["resolved_at", "resolution", "version"])
    audit.record(actor=by, team=row.team, action="sync.resolve", obj=row, detail={"keep": keep})
    return row
