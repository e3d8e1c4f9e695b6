"""The one writer of the audit log."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from teams.middleware import current_request_id
from teams.models import AuditEvent, Team, User


def _row(
    *,
    actor: User | None,
    team: Team | None,
    action: str,
    obj: models.Model | None,
    detail: dict[str, Any] | None,
) -> AuditEvent:
    return AuditEvent(
        actor=actor if actor is not None and actor.is_authenticated else None,
        team=team,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        request_id=current_request_id(),
        detail=detail or {},
    )


def record(
    *,
    actor: User | None,
    team: Team | None,
    action: str,
    obj: models.Model | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit row; the request id ties it to the log lines of the same request."""
    event = _row(actor=actor, team=team, action=action, obj=obj, detail=detail)
    event.save()
    return event


def record_each(
    *,
    actor: User | None,
    team: Team,
    action: str,
    objs: Iterable[models.Model],
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one row per object in one INSERT: a list page costs a query, not one per row."""
    rows = [_row(actor=actor, team=team, action=action, obj=obj, detail=detail) for obj in objs]
    AuditEvent.objects.bulk_create(rows)
