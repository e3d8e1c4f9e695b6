"""The one writer of the audit log."""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import nullcontext
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

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
    """Append one row per object, one INSERT per kind of object: a list page costs a query.

    Every page that shows a client pays for this, so the rows are not built one by one (as
    ``bulk_create`` builds them, with its transaction): the shared values are sent once and the
    objects' ids as one list that the database unrolls into rows.
    """
    event = _row(actor=actor, team=team, action=action, obj=None, detail=detail)
    event.at = timezone.now()
    ids: dict[str, list[str]] = {}
    for obj in objs:
        ids.setdefault(obj._meta.label_lower, []).append(str(obj.pk))
    with transaction.atomic() if len(ids) > 1 else nullcontext():
        for object_type, object_ids in ids.items():
            event.object_type = object_type
            _insert(event, object_ids)


# The inserted columns, in order: all but object_id (the 6th) are the same on every row.
_FIELDS = ("at", "team", "actor", "action", "object_type", "object_id", "request_id", "detail")


def _insert(event: AuditEvent, object_ids: list[str]) -> None:
    """Insert ``event`` once per id: PostgreSQL unnests an array, SQLite walks a JSON list."""
    fields = [AuditEvent._meta.get_field(name) for name in _FIELDS]
    params = [field.get_db_prep_save(getattr(event, field.attname), connection) for field in fields]
    at = _FIELDS.index("object_id")
    if connection.vendor == "postgresql":
        each, source = "unnest(%s::varchar[])", ""
        params[at] = object_ids
    else:
        each, source = "value", " FROM json_each(%s)"
        params = [*params[:at], *params[at + 1 :], json.dumps(object_ids)]
    select = ", ".join(each if n == at else "%s" for n in range(len(fields)))
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    table = quote(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {select}{source}", params)  # noqa: S608
