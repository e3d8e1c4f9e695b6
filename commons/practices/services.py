"""Writes of the hub's practices: publishing one, adopting one, reporting its effect.

Each takes the raw signed request (the signature covers the exact bytes) and either returns
what it stored or raises :class:`Refusal` with the HTTP status and plain-word reasons.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from commons import gate, keys, services
from commons.models import RegisteredTeam
from commons.periods import period_of
from commons.practices import selectors
from commons.practices.models import Adoption, Effect, Practice


@dataclass
class Refusal(Exception):
    status: int
    errors: list[str] = field(default_factory=list)


def _signed(
    name: str, *, body: bytes, headers: Mapping[str, str], now: datetime
) -> tuple[RegisteredTeam, dict]:
    """Authenticate and parse with ingest's checks, then hold the body to its schema (422)."""
    try:
        team, payload = services.signed_json(body=body, headers=headers, now=now)
    except services.IngestError as refusal:
        raise Refusal(refusal.status, refusal.errors) from None
    errors = gate.practice_errors(name, payload)
    if errors:
        raise Refusal(422, errors)
    return team, payload


def _practice(public_id: str) -> Practice:
    practice = (
        Practice.objects.filter(public_id=public_id).first()
        if selectors.is_practice_id(public_id)
        else None
    )
    if practice is None:
        raise Refusal(404, ["No practice has this id."])
    return practice


def practice_publish(
    *, body: bytes, headers: Mapping[str, str], now: datetime | None = None
) -> tuple[Practice, bool]:
    """Store a signed practice; return it and whether it is new.

    The personal-data check runs again here, whatever the team checked: a body with anything
    that looks like personal data is refused (422) with the words, and nothing is stored. The
    same team and ``source`` revise the practice they published before (locked while they do).
    """
    now = now or timezone.now()
    team, payload = _signed("publish", body=body, headers=headers, now=now)
    found = gate.practice_personal_data(payload)
    if found:
        raise Refusal(422, found)
    fields = {
        "title": payload["title"].strip(),
        "problem": payload["problem"].strip(),
        "practice": payload["practice"].strip(),
        "metric": payload["metric"],
        "before": payload["before"],
        "after": payload["after"],
        "weeks_before": payload["weeksBefore"],
        "weeks_after": payload["weeksAfter"],
        "trial_weeks": payload["trialWeeks"],
        "published_week": period_of(now.date()),
    }
    with transaction.atomic():
        existing = (
            Practice.objects.select_for_update()
            .filter(publisher=team, source=payload["source"])
            .first()
        )
        if existing is None:
            practice = Practice.objects.create(
                public_id=f"p-{secrets.token_hex(6)}",
                publisher=team,
                source=payload["source"],
                **fields,
            )
            return practice, True
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.revision += 1
        existing.save(update_fields=[*fields, "revision"])
    return existing, False


def practice_adopt(
    *, public_id: str, body: bytes, headers: Mapping[str, str], now: datetime | None = None
) -> tuple[Practice, bool]:
    """Count the signing team's adoption once; return the practice and whether it counted now.

    Idempotent: a team that adopts again (a retry) is not counted twice. The publisher cannot
    adopt its own practice (409).
    """
    now = now or timezone.now()
    team, _payload = _signed("adopt", body=body, headers=headers, now=now)
    practice = _practice(public_id)
    if practice.publisher_id == team.pk:
        raise Refusal(409, ["A team cannot adopt the practice it published."])
    adopter = keys.adopter_key(practice=practice.public_id, team_ref=team.ref)
    try:
        with transaction.atomic():
            Adoption.objects.create(practice=practice, adopter=adopter, week=period_of(now.date()))
    except IntegrityError:  # adopted before, or by a request racing this one
        return practice, False
    return practice, True


def effect_report(
    *, public_id: str, body: bytes, headers: Mapping[str, str], now: datetime | None = None
) -> Effect:
    """Keep an adopting team's before and after for the practice's metric (its latest report).

    Only a team that adopted the practice may report (409 otherwise).
    """
    now = now or timezone.now()
    team, payload = _signed("effect", body=body, headers=headers, now=now)
    practice = _practice(public_id)
    adopter = keys.adopter_key(practice=practice.public_id, team_ref=team.ref)
    adoption = Adoption.objects.filter(practice=practice, adopter=adopter).first()
    if adoption is None:
        raise Refusal(409, ["Only a team that adopted this practice can report its effect."])
    effect, _created = Effect.objects.update_or_create(
        adoption=adoption,
        defaults={
            "before": payload["before"],
            "after": payload["after"],
            "weeks_before": payload["weeksBefore"],
            "weeks_after": payload["weeksAfter"],
            "week": period_of(now.date()),
        },
    )
    return effect
