"""The offline outbox's server side: apply a batch of mutations, each exactly once.

Every mutation goes through the same services as the online forms. Its outcome is stored in
the same transaction as its effect, keyed by the device's mutation id, so a replay (a lost
response, a retry, a second tab) returns the first outcome instead of acting twice. Conflicts
and rejections are stored too and listed for their author until resolved. The protocol is
described in docs/sync-protocol.md.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.dateparse import parse_datetime

from caseload import services
from caseload.models import (
    SyncMutation,
    SyncOutcome,
)
from caseload.sync.handlers import HANDLERS
from caseload.sync.protocol import Rejected
from teams.models import Team, User


def _hash(kind: str, target: str, base_version: Any, payload: Any) -> str:
    canonical = json.dumps(
        [kind, target, base_version, payload], sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime | uuid.UUID):
        return str(value)
    if hasattr(value, "pk"):
        return str(value)
    return value


def _result(row: SyncMutation, status: str | None = None) -> dict[str, Any]:
    result = {
        "id": str(row.mutation_id)
        if row.original
        else row.payload.get("_sent_id", str(row.mutation_id)),
        "status": status or row.status,
        "reason": row.reason,
        "version": row.version,
    }
    if status == "duplicate":
        result["outcome"] = row.status
    return result


def _store(**fields: Any) -> SyncMutation:
    return SyncMutation.objects.create(**fields)


def sync_mutation_apply(*, team: Team, author: User, device: uuid.UUID, raw: Any) -> dict[str, Any]:
    """Apply one mutation at most once and return its per-item result (see the protocol)."""
    if not isinstance(raw, dict):
        return _reject_unkeyed(team, author, device, raw, "Each mutation must be a JSON object.")
    try:
        mutation_id = uuid.UUID(str(raw.get("id")))
    except ValueError:
        return _reject_unkeyed(team, author, device, raw, "id must be a UUID.")
    kind = raw.get("kind")
    target = raw.get("target")
    base_version = raw.get("base_version")
    payload = raw.get("payload")
    created_at = (
        parse_datetime(raw["created_at"]) if isinstance(raw.get("created_at"), str) else None
    )
    target = "" if target is None else str(target)
    digest = _hash(kind, target, base_version, payload)
    first = SyncMutation.objects.filter(mutation_id=mutation_id, original=True).first()
    if first is not None:
        if (
            first.payload_hash == digest
            and first.author_id == author.pk
            and first.team_id == team.pk
        ):
            return _result(first, "duplicate")
        row = _store(
            team=team,
            author=author,
            mutation_id=mutation_id,
            original=False,
            device=device,
            kind=str(kind)[:40],
            target=target[:64],
            payload=payload if isinstance(payload, dict) else {},
            payload_hash=digest,
            created_at=created_at,
            status=SyncOutcome.REJECTED,
            reason="This id was already used for another change: this one was kept, not applied.",
        )
        return _result(row)
    common = {
        "team": team,
        "author": author,
        "mutation_id": mutation_id,
        "device": device,
        "kind": str(kind)[:40],
        "target": target[:64],
        "payload": payload if isinstance(payload, dict) else {},
        "payload_hash": digest,
        "created_at": created_at,
        "base_version": base_version
        if isinstance(base_version, int) and base_version >= 0
        else None,
    }
    reason = _shape_problem(kind, base_version, payload)
    if reason:
        return _result(_store(**common, status=SyncOutcome.REJECTED, reason=reason))
    try:
        with transaction.atomic():
            version = HANDLERS[kind](
                team=team, author=author, target=target, base_version=base_version, payload=payload
            )
            row = _store(**common, status=SyncOutcome.APPLIED, version=version)
        return _result(row)
    except services.VersionConflict as conflict:
        saved = {name: _plain(getattr(conflict.current, name, None)) for name in conflict.fields}
        row = _store(
            **common,
            status=SyncOutcome.CONFLICT,
            reason=str(conflict),
            version=getattr(conflict.current, "version", None),
            saved_values=saved,
        )
        return _result(row)
    except IntegrityError:
        # Another request with the same id committed first; answer as its replay.
        first = SyncMutation.objects.filter(mutation_id=mutation_id, original=True).first()
        if first is not None:
            return _result(first, "duplicate")
        reason = "The change clashes with a row that already exists."
    except ValidationError as error:
        reason = " ".join(error.messages)
    except (Rejected, services.CaseloadError) as error:
        reason = str(error)
    reason = _explain_missing_prerequisite(team, author, target, reason)
    return _result(_store(**common, status=SyncOutcome.REJECTED, reason=reason[:300]))


def _shape_problem(kind: Any, base_version: Any, payload: Any) -> str:
    if kind not in HANDLERS:
        return f"Unknown kind {str(kind)[:40]!r}."
    if base_version is not None and (
        isinstance(base_version, bool) or not isinstance(base_version, int) or base_version < 1
    ):
        return "base_version must be a positive whole number or null."
    if not isinstance(payload, dict):
        return "payload must be a JSON object."
    return ""


def _explain_missing_prerequisite(team: Team, author: User, target: str, reason: str) -> str:
    """Say so when a row is missing because an earlier change of this author was not applied."""
    if "not in your team" not in reason or not target:
        return reason
    earlier = (
        SyncMutation.objects.for_team(team)
        .filter(author=author, target=target, original=True)
        .exclude(status=SyncOutcome.APPLIED)
        .order_by("-received_at")
        .first()
    )
    if earlier is None:
        return reason
    return (
        f"It depends on an earlier change ({earlier.kind}) that was {earlier.status}: "
        f"{earlier.reason}"
    )


def _reject_unkeyed(
    team: Team, author: User, device: uuid.UUID, raw: Any, reason: str
) -> dict[str, Any]:
    """Keep a mutation we cannot key by its id under a fresh one, and answer with what was sent."""
    sent_id = raw.get("id") if isinstance(raw, dict) else None
    row = _store(
        team=team,
        author=author,
        mutation_id=uuid.uuid4(),
        original=False,
        device=device,
        kind=str(raw.get("kind", ""))[:40] if isinstance(raw, dict) else "",
        payload={"_sent_id": str(sent_id), "_raw": str(raw)[:2000]},
        payload_hash="",
        status=SyncOutcome.REJECTED,
        reason=reason,
    )
    return _result(row)


def sync_batch(
    *, team: Team, author: User, device: uuid.UUID, mutations: list[Any]
) -> list[dict[str, Any]]:
    """Apply mutations in the order sent, each in its own transaction."""
    return [
        sync_mutation_apply(team=team, author=author, device=device, raw=raw) for raw in mutations
    ]
