"""The offline outbox's server side: apply a batch of mutations, each exactly once.

Every mutation goes through the same services as the online forms. Its outcome, whatever it
is, is stored in the same transaction as its effect, keyed by the device's mutation id, so a
replay (a lost response, a retry, a second tab, a concurrent request) returns the first outcome
instead of acting twice. Conflicts and rejections are listed for their author until resolved.
The protocol is described in docs/sync-protocol.md.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.utils.translation import gettext as _

from caseload import services
from caseload.models import SyncMutation, SyncOutcome
from caseload.sync import schema
from caseload.sync.handlers import HANDLERS, Missing
from caseload.sync.protocol import Refused, Rejected
from teams.models import Team, User

logger = logging.getLogger(__name__)


def _hash(raw: dict[str, Any]) -> str:
    sent = [raw.get(name) for name in ("kind", "target", "base_version", "payload")]
    sent[1] = "" if sent[1] is None else str(sent[1])
    canonical = json.dumps(sent, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _storable(value: Any) -> Any:
    """Copy sent JSON so every database stores it: no NUL characters, no lone surrogates."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd").encode("utf-8", "replace").decode()
    if isinstance(value, list):
        return [_storable(item) for item in value]
    if isinstance(value, dict):
        return {_storable(key): _storable(item) for key, item in value.items()}
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime | uuid.UUID):
        return str(value)
    if hasattr(value, "pk"):
        return str(value)
    return value


def _result(row: SyncMutation, status: str | None = None) -> dict[str, Any]:
    result = {
        "id": str(row.mutation_id),
        "status": status or row.status,
        "reason": row.reason,
        "version": row.version,
    }
    if status == "duplicate":
        result["outcome"] = row.status
    return result


def _original(mutation_id: uuid.UUID) -> SyncMutation | None:
    return SyncMutation.objects.filter(mutation_id=mutation_id, original=True).first()


def sync_mutation_apply(*, team: Team, author: User, device: uuid.UUID, raw: Any) -> dict[str, Any]:
    """Apply one mutation at most once and return its per-item result (see the protocol).

    Whatever goes wrong with this one item becomes its stored outcome; only a transient
    database error (the device retries the batch) propagates.
    """
    if not isinstance(raw, dict):
        return _reject_unkeyed(team, author, device, raw, _("Each mutation must be a JSON object."))
    try:
        mutation_id = schema.parse_uuid(raw.get("id"), "id")
    except Rejected:
        return _reject_unkeyed(team, author, device, raw, _("id must be a UUID."))
    common = {
        "team": team,
        "author": author,
        "mutation_id": mutation_id,
        "device": device,
        "payload": _storable(raw.get("payload")) if isinstance(raw.get("payload"), dict) else {},
        "payload_hash": _hash(raw),
    }
    try:
        with transaction.atomic():
            first = _original(mutation_id)
            if first is not None:
                return _replay(first, common)
            row = SyncMutation.objects.create(**common, **_outcome(team, author, raw))
    except IntegrityError:
        # A concurrent request with the same id committed first: this is its replay.
        first = _original(mutation_id)
        if first is None:
            raise
        return _replay(first, common)
    return _result(row)


def _replay(first: SyncMutation, common: dict[str, Any]) -> dict[str, Any]:
    if (first.payload_hash, first.author_id, first.team_id) == (
        common["payload_hash"],
        common["author"].pk,
        common["team"].pk,
    ):
        return _result(first, "duplicate")
    row = SyncMutation.objects.create(
        **common,
        original=False,
        status=SyncOutcome.REJECTED,
        reason=_("This id was already used for another change: this one was kept, not applied."),
    )
    return _result(row)


def _outcome(team: Team, author: User, raw: dict[str, Any]) -> dict[str, Any]:
    """Parse and apply one mutation in a savepoint; return the fields of its stored outcome."""
    stored: dict[str, Any] = {}
    try:
        kind = schema.parse_kind(raw.get("kind"))
        stored["kind"] = raw["kind"]
        target = schema.parse_uuid(raw.get("target"), "target")
        stored["target"] = str(target)
        stored["created_at"] = schema.parse_created_at(raw.get("created_at"))
        stored["base_version"] = schema.parse_base_version(raw.get("base_version"), kind)
        payload = kind.parse_payload(raw.get("payload"))
        with transaction.atomic():
            version = HANDLERS[stored["kind"]](
                team=team,
                author=author,
                target=target,
                base_version=stored["base_version"],
                payload=payload,
            )
        if isinstance(version, Refused):
            return {**stored, "status": SyncOutcome.REJECTED, "reason": version[:300]}
        return {**stored, "status": SyncOutcome.APPLIED, "version": version}
    except services.VersionConflict as conflict:
        return {
            **stored,
            "status": SyncOutcome.CONFLICT,
            "reason": str(conflict),
            "version": getattr(conflict.current, "version", None),
            "saved_values": {
                name: _plain(getattr(conflict.current, name, None)) for name in conflict.fields
            },
        }
    except Missing as error:
        reason = _explain_missing_prerequisite(team, author, stored["target"], str(error))
    except (Rejected, services.CaseloadError) as error:
        reason = str(error)
    except ValidationError as error:
        reason = " ".join(error.messages)
    except IntegrityError:
        reason = _("The change clashes with a row that already exists.")
    except (OperationalError, InterfaceError):
        raise  # the database is away: the whole batch answers 503 and the device resends it
    except Exception:
        logger.exception("sync: unexpected error applying a %s mutation", stored.get("kind"))
        reason = _("The server could not apply this change; it is kept for you to check.")
    return {**stored, "status": SyncOutcome.REJECTED, "reason": reason[:300]}


def _explain_missing_prerequisite(team: Team, author: User, target: str, reason: str) -> str:
    """Say so when a row is missing because an earlier change of this author was not applied."""
    earlier = (
        SyncMutation.objects.for_team(team)
        .filter(author=author, target=target, original=True)
        .exclude(status=SyncOutcome.APPLIED)
        .order_by("-received_at")
        .first()
    )
    if earlier is None:
        return reason
    return _("It depends on an earlier change (%(kind)s) that was %(status)s: %(reason)s") % {
        "kind": earlier.kind,
        "status": earlier.status,
        "reason": earlier.reason,
    }


def _reject_unkeyed(
    team: Team, author: User, device: uuid.UUID, raw: Any, reason: str
) -> dict[str, Any]:
    """Keep a mutation we cannot key by its id under a fresh one, and answer with what was sent."""
    sent_id = raw.get("id") if isinstance(raw, dict) else None
    row = SyncMutation.objects.create(
        team=team,
        author=author,
        mutation_id=uuid.uuid4(),
        original=False,
        device=device,
        payload=_storable({"_sent_id": str(sent_id), "_raw": str(raw)[:2000]}),
        payload_hash="",
        status=SyncOutcome.REJECTED,
        reason=reason,
    )
    return {**_result(row), "id": str(sent_id)}


def sync_batch(
    *, team: Team, author: User, device: uuid.UUID, mutations: list[Any]
) -> list[dict[str, Any]]:
    """Apply mutations in the order sent, each in its own transaction."""
    return [
        sync_mutation_apply(team=team, author=author, device=device, raw=raw) for raw in mutations
    ]
