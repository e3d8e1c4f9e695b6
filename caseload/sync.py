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
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from caseload import services
from caseload.models import (
    CarePlanProblem,
    Client,
    Handover,
    Intervention,
    Note,
    SyncMutation,
    SyncOutcome,
    TimeEntry,
    Visit,
)
from teams import audit
from teams.models import Membership, Team, User

MAX_MUTATIONS = 100
MAX_BODY_BYTES = 512 * 1024


class BatchError(Exception):
    """The whole request is unusable; the device keeps every item and retries later."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class Rejected(Exception):
    """This one mutation cannot be applied; the reason is shown to its author."""


def parse_batch(body: bytes) -> tuple[uuid.UUID, list[Any]]:
    if len(body) > MAX_BODY_BYTES:
        raise BatchError(413, f"A batch may be at most {MAX_BODY_BYTES // 1024} KiB.")
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BatchError(400, "The body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise BatchError(400, "The body must be a JSON object with device and mutations.")
    try:
        device = uuid.UUID(str(data.get("device")))
    except ValueError:
        raise BatchError(400, "device must be a UUID.") from None
    mutations = data.get("mutations")
    if not isinstance(mutations, list):
        raise BatchError(400, "mutations must be a list.")
    if len(mutations) > MAX_MUTATIONS:
        raise BatchError(413, f"A batch may hold at most {MAX_MUTATIONS} mutations.")
    return device, mutations


# Payload fields ----------------------------------------------------------------------------


def _int(payload: dict, name: str, *, default: int | None = None) -> int:
    value = payload.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise Rejected(f"{name} must be a whole number.")
    return value


def _text(payload: dict, name: str, *, required: bool = False) -> str:
    value = payload.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Rejected(f"{name} must be text.")
    if required and not value.strip():
        raise Rejected(f"{name} is required.")
    return value


def _uuid(value: Any, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Rejected(f"{name} must be a UUID.") from None


def _date(payload: dict, name: str) -> date:
    value = payload.get(name)
    parsed = parse_date(value) if isinstance(value, str) else None
    if parsed is None:
        raise Rejected(f"{name} must be a date like 2026-11-28.")
    return parsed


def _optional_id(payload: dict, name: str) -> Any:
    value = payload.get(name)
    return None if value in (None, "") else value


def _found(obj: Any, what: str) -> Any:
    if obj is None:
        raise Rejected(f"This {what} is not in your team (it may have moved or been removed).")
    return obj


# Handlers: one per kind, each calling one service ------------------------------------------

Handler = Callable[..., int]


def _visit(team: Team, target: str) -> Visit:
    return _found(Visit.objects.for_team(team).filter(pk=_uuid(target, "target")).first(), "visit")


def _visit_record(
    *, team: Team, author: User, target: str, base_version: int | None, payload: dict
) -> int:
    visit = _visit(team, target)
    ids = payload.get("interventions_done", [])
    if not isinstance(ids, list):
        raise Rejected("interventions_done must be a list of intervention ids.")
    interventions = list(
        Intervention.objects.filter(
            client_id=visit.client_id, pk__in=[_uuid(i, "intervention") for i in ids]
        )
    )
    if len(interventions) != len(set(ids)):
        raise Rejected("Some interventions are not on this client's care plan.")
    ratings = []
    raw_ratings = payload.get("ratings", [])
    if not isinstance(raw_ratings, list):
        raise Rejected("ratings must be a list.")
    for raw in raw_ratings:
        if not isinstance(raw, dict):
            raise Rejected("Each rating must be an object.")
        problem = _found(
            CarePlanProblem.objects.filter(
                client_id=visit.client_id, pk=_uuid(raw.get("care_problem"), "care_problem")
            ).first(),
            "care plan problem",
        )
        ratings.append(
            services.RatingInput(
                care_problem=problem,
                knowledge=_int(raw, "knowledge"),
                behaviour=_int(raw, "behaviour"),
                status=_int(raw, "status"),
            )
        )
    record_id = payload.get("record_id")
    services.visit_record_save(
        visit=visit,
        by=author,
        base_version=_require_version(base_version),
        actual_minutes=_int(payload, "actual_minutes"),
        travel_minutes=_int(payload, "travel_minutes", default=0),
        interventions_done=interventions,
        note=_text(payload, "note"),
        ratings=ratings,
        record_id=_uuid(record_id, "record_id") if record_id else None,
    )
    return Visit.objects.get(pk=visit.pk).version


def _visit_done(
    *, team: Team, author: User, target: str, base_version: int | None, payload: dict
) -> int:
    visit = _visit(team, target)
    services.visit_done_as_planned(
        visit=visit, by=author, base_version=_require_version(base_version)
    )
    return Visit.objects.get(pk=visit.pk).version


def _visit_status(
    *, team: Team, author: User, target: str, base_version: int | None, payload: dict
) -> int:
    visit = services.visit_set_status(
        visit=_visit(team, target),
        by=author,
        base_version=_require_version(base_version),
        status=_text(payload, "status", required=True),
        reason=_text(payload, "reason", required=True),
    )
    return visit.version


def _time_save(
    *, team: Team, author: User, target: str, base_version: int | None, payload: dict
) -> int:
    entry_id = _uuid(target, "target")
    existing = TimeEntry.objects.filter(pk=entry_id).first()
    if existing is not None and existing.team_id != team.pk:
        raise Rejected("This time entry belongs to another team.")
    if existing is not None and base_version is None:
        raise Rejected("base_version is required to change an existing time entry.")
    entry = services.time_entry_save(
        team=team,
        member=author,
        date=_date(payload, "date"),
        category=_text(payload, "category", required=True),
        minutes=_int(payload, "minutes"),
        description=_text(payload, "description"),
        entry_id=entry_id,
        base_version=base_version,
    )
    return entry.version


def _handover_create(
    *, team: Team, author: User, target: str, base_version: int | None, payload: dict
) -> int:
    client_id, to_id = _optional_id(payload, "client"), _optional_id(payload, "to")
    client = (
        _found(Client.objects.for_team(team).filter(pk=client_id).first(), "client")
        if client_id
        else None
    )
    to = None
    if to_id is not None:
        membership = (
            Membership.objects.for_team(team)
            .current()
            .filter(user_id=to_id)
            .select_related("user")
            .first()
        )
        to = _found(membership, "colleague").user
    handover = services.handover_create(
        team=team,
        by=author,
        text=_text(payload, "text", required=True),
        client=client,
        to=to,
        handover_id=_uuid(target, "target"),
    )
    return handover.version


def _handover_ack(
    *, team: Team, author: User, target: str, base_version: int | None, payload: dict
) -> int:
    handover = _found(
        Handover.objects.for_team(team).filter(pk=_uuid(target, "target")).first(), "handover"
    )
    return services.handover_acknowledge(
        handover=handover, by=author, base_version=_require_version(base_version)
    ).version


def _note_add(
    *, team: Team, author: User, target: str, base_version: int | None, payload: dict
) -> int:
    client = _found(
        Client.objects.for_team(team).filter(pk=payload.get("client")).first(), "client"
    )
    visit_id, original_id = _optional_id(payload, "visit"), _optional_id(payload, "addendum_to")
    visit = (
        _found(Visit.objects.filter(client=client, pk=_uuid(visit_id, "visit")).first(), "visit")
        if visit_id
        else None
    )
    original = (
        _found(
            Note.objects.filter(client=client, pk=_uuid(original_id, "addendum_to")).first(), "note"
        )
        if original_id
        else None
    )
    services.note_add(
        client=client,
        by=author,
        text=_text(payload, "text", required=True),
        visit=visit,
        addendum_to=original,
        note_id=_uuid(target, "target"),
    )
    return 1


def _rating_add(
    *, team: Team, author: User, target: str, base_version: int | None, payload: dict
) -> int:
    problem = _found(
        CarePlanProblem.objects.for_team(team)
        .filter(pk=_uuid(payload.get("care_problem"), "care_problem"))
        .first(),
        "care plan problem",
    )
    services.rating_add(
        care_problem=problem,
        by=author,
        knowledge=_int(payload, "knowledge"),
        behaviour=_int(payload, "behaviour"),
        status=_int(payload, "status"),
        rating_id=_uuid(target, "target"),
    )
    return 1


def _require_version(base_version: int | None) -> int:
    if base_version is None:
        raise Rejected("base_version is required for this kind.")
    return base_version


HANDLERS: dict[str, Handler] = {
    "visit.record": _visit_record,
    "visit.done": _visit_done,
    "visit.status": _visit_status,
    "time.save": _time_save,
    "handover.create": _handover_create,
    "handover.ack": _handover_ack,
    "note.add": _note_add,
    "rating.add": _rating_add,
}


# Applying ----------------------------------------------------------------------------------


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


# Needs attention -----------------------------------------------------------------------------


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
                target=row.target,
                base_version=version,
                payload=row.payload,
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
