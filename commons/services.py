"""Writes of the hub: enrolling and revoking teams, and importing a signed data value set."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from commons import gate, keys
from commons.models import (
    DataValue,
    DataValueSet,
    ImportLog,
    Nonce,
    PublishedWeek,
    RegisteredTeam,
)
from commons.periods import week_start

Cell = tuple[str, str]
Entry = tuple[float | None, str]  # value, reason code ("" when published)


class EnrolError(Exception):
    """The enrolment body is not three known attribute codes."""


@dataclass
class IngestError(Exception):
    """A refusal, with the HTTP status the endpoint answers and plain-word reasons."""

    status: int
    outcome: str
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class IngestResult:
    dry_run: bool
    revision: int
    imported: int
    updated: int
    ignored: int
    conflicts: list[dict[str, str]]

    @property
    def status(self) -> str:
        return "WARNING" if self.conflicts else "OK"


def team_enrol(*, attributes: object, now: datetime | None = None) -> tuple[RegisteredTeam, str]:
    """Register a team under a fresh opaque reference; return it and its key (shown only once)."""
    errors = gate.attribute_errors(attributes)
    if errors:
        raise EnrolError("; ".join(errors))
    assert isinstance(attributes, dict)  # noqa: S101 - attribute_errors checked the shape
    salt = keys.new_salt()
    team = RegisteredTeam.objects.create(
        ref=keys.new_ref(),
        region=attributes["region"],
        service_type=attributes["serviceType"],
        size_band=attributes["sizeBand"],
        key_salt=salt,
        enrolled_at=now or timezone.now(),
    )
    return team, keys.team_key(ref=team.ref, salt=salt)


def team_revoke(*, ref: str, now: datetime | None = None) -> RegisteredTeam:
    """Refuse the team's key from now on; what it already sent stays in the figures."""
    team = RegisteredTeam.objects.get(ref=ref)
    if team.revoked_at is None:
        team.revoked_at = now or timezone.now()
        team.save(update_fields=["revoked_at"])
    return team


def datavalueset_ingest(
    *, body: bytes, headers: Mapping[str, str], dry_run: bool, now: datetime | None = None
) -> IngestResult:
    """Authenticate, validate and store one team-week, or raise IngestError.

    Every attempt leaves an ImportLog row holding only the answer and the counts. Same team and
    period replace the earlier set when the revision is higher; see ``_apply``.
    """
    now = now or timezone.now()
    team: RegisteredTeam | None = None
    period = ""
    try:
        team = _authenticate(body=body, headers=headers, now=now)
        payload = _parse(body)
        period = _validate(payload, team=team)
        result = _apply(payload, team=team, dry_run=dry_run, now=now)
    except IngestError as refusal:
        _log(team=team, period=period, now=now, status=refusal.status, outcome=refusal.outcome)
        raise
    outcome = ImportLog.Outcome.DRY_RUN if dry_run else ImportLog.Outcome.IMPORTED
    _log(team=team, period=period, now=now, status=200, outcome=outcome, result=result)
    return result


def _log(
    *,
    team: RegisteredTeam | None,
    period: str,
    now: datetime,
    status: int,
    outcome: str,
    result: IngestResult | None = None,
) -> None:
    counts = (
        {"imported": result.imported, "updated": result.updated, "ignored": result.ignored}
        if result
        else {}
    )
    ImportLog.objects.create(
        team=team, period=period, received_at=now, http_status=status, outcome=outcome, **counts
    )


def _authenticate(*, body: bytes, headers: Mapping[str, str], now: datetime) -> RegisteredTeam:
    """Check the signature headers; record the nonce so the same request never counts twice."""
    signed = gate.signature_headers(headers)
    if signed is None:
        raise IngestError(401, ImportLog.Outcome.UNAUTHORISED, ["Signature headers are missing."])
    # A NUL cannot be in a stored reference, and PostgreSQL refuses it in a query.
    team = None if "\x00" in signed.team else RegisteredTeam.objects.filter(ref=signed.team).first()
    if team is None:
        raise IngestError(401, ImportLog.Outcome.UNAUTHORISED, ["Unknown team or bad signature."])
    if team.revoked_at is not None:
        raise IngestError(401, ImportLog.Outcome.REVOKED, ["This team's key has been revoked."])
    if not gate.fresh(signed.timestamp, now.timestamp()):
        raise IngestError(401, ImportLog.Outcome.REPLAY, ["The timestamp is too old or too new."])
    key = keys.team_key(ref=team.ref, salt=team.key_salt)
    if not gate.verify(key=key, body=body, signed=signed):
        raise IngestError(401, ImportLog.Outcome.UNAUTHORISED, ["Unknown team or bad signature."])
    # A nonce older than twice the allowed skew can no longer pass the timestamp check.
    Nonce.objects.filter(seen_at__lt=now - timedelta(seconds=2 * gate.MAX_SKEW)).delete()
    try:
        with transaction.atomic():
            Nonce.objects.create(team=team, value=signed.nonce, seen_at=now)
    except IntegrityError:
        raise IngestError(
            401, ImportLog.Outcome.REPLAY, ["This nonce has been used already."]
        ) from None
    return team


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number")


def _parse(body: bytes) -> dict:
    try:
        payload = json.loads(body, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise IngestError(400, ImportLog.Outcome.MALFORMED, ["The body is not JSON."]) from None
    if not isinstance(payload, dict):
        raise IngestError(400, ImportLog.Outcome.MALFORMED, ["The body is not a JSON object."])
    return payload


def _validate(payload: dict, *, team: RegisteredTeam) -> str:
    errors = gate.payload_errors(payload)
    if not errors and payload["orgUnit"] != team.ref:
        errors = ["orgUnit is not the team that signed the request."]
    if not errors:
        try:
            week_start(payload["period"])
        except ValueError:
            errors = ["period is not a week of the ISO calendar."]
    if errors:
        raise IngestError(422, ImportLog.Outcome.SCHEMA, errors)
    return payload["period"]


def _cells(payload: dict) -> dict[Cell, Entry]:
    return {
        (item["dataElement"], item["category"]): (
            None if item["value"] is None else float(item["value"]),
            item["status"] or "",
        )
        for item in payload["dataValues"]
    }


def _removed(stored: dict[Cell, Entry], cells: dict[Cell, Entry]) -> list[dict[str, str]]:
    return [
        {"dataElement": e, "category": c, "reason": "not in this revision: removed"}
        for e, c in sorted(stored.keys() - cells.keys())
    ]


def _apply(payload: dict, *, team: RegisteredTeam, dry_run: bool, now: datetime) -> IngestResult:
    """Compare with the stored set under a row lock and, unless a dry run, replace it.

    A lower revision, or the same revision with other values, is stale (409); the same
    revision with the same values changes nothing and answers with every value ignored.
    """
    cells = _cells(payload)
    revision = payload["revision"]
    with transaction.atomic():
        existing = (
            DataValueSet.objects.select_for_update()
            .filter(team=team, period=payload["period"])
            .first()
        )
        stored: dict[Cell, Entry] = {}
        if existing is not None:
            stored = {
                (e, c): (v, s)
                for e, c, v, s in existing.values.values_list(
                    "element", "category", "value", "status"
                )
            }
            if revision < existing.revision or (revision == existing.revision and stored != cells):
                raise IngestError(
                    409,
                    ImportLog.Outcome.STALE,
                    [f"The hub holds revision {existing.revision} of this week."],
                )
        imported = sum(1 for cell in cells if cell not in stored)
        updated = sum(
            1 for cell, entry in cells.items() if cell in stored and stored[cell] != entry
        )
        ignored = len(cells) - imported - updated
        conflicts = _removed(stored, cells)
        if not dry_run and (existing is None or revision > existing.revision):
            _store(payload, cells, team=team, existing=existing, now=now)
    return IngestResult(
        dry_run=dry_run,
        revision=revision,
        imported=imported,
        updated=updated,
        ignored=ignored,
        conflicts=conflicts,
    )


def _store(
    payload: dict,
    cells: dict[Cell, Entry],
    *,
    team: RegisteredTeam,
    existing: DataValueSet | None,
    now: datetime,
) -> None:
    attributes = payload["attributes"]
    fields = {
        "revision": payload["revision"],
        "region": attributes["region"],
        "service_type": attributes["serviceType"],
        "size_band": attributes["sizeBand"],
        "received_at": now,
    }
    if existing is None:
        existing = DataValueSet.objects.create(
            team=team,
            period=payload["period"],
            week_start=week_start(payload["period"]),
            first_received_at=now,
            **fields,
        )
    else:
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.save(update_fields=list(fields))
        existing.values.all().delete()
    DataValue.objects.bulk_create(
        DataValue(value_set=existing, element=e, category=c, value=v, status=s)
        for (e, c), (v, s) in cells.items()
    )
    weeks_changed(weeks=[existing.week_start])


def weeks_changed(*, weeks: Iterable[date]) -> None:
    """Mark the weeks' published figures out of date, in the transaction that stored their data.

    The next read publishes them again (``commons.publish``). The first set of a new week
    creates its row; two such sets at once settle on the unique week, and both bumps count.
    """
    for monday in sorted(set(weeks)):
        bumped = PublishedWeek.objects.filter(week_start=monday)
        if bumped.update(data_version=F("data_version") + 1):
            continue
        try:
            with transaction.atomic():
                PublishedWeek.objects.create(week_start=monday, data_version=1)
        except IntegrityError:
            bumped.update(data_version=F("data_version") + 1)


def signed_json(
    *, body: bytes, headers: Mapping[str, str], now: datetime | None = None
) -> tuple[RegisteredTeam, dict]:
    """Return the team that signed a request and its JSON object body, with ingest's checks.

    For the hub's other signed endpoints (practices): the same signature, revocation and replay
    checks, then the same parsing; a refusal raises IngestError (401 or 400). The nonce is
    spent, so a replayed request is refused.
    """
    team = _authenticate(body=body, headers=headers, now=now or timezone.now())
    return team, _parse(body)
