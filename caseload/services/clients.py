"""Writes about clients, and the audit of every read of a client record."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from caseload.models import CLIENT_FIELDS, Client, ClientStatus
from caseload.services.common import (
    CaseloadError,
    bump,
    check_version,
)
from caseload.services.visits import visits_cancel_planned
from caseload.validators import normalise_nhs_number, normalise_postcode
from teams import audit, clock, live
from teams.models import Team, User
from teams.selectors import is_member


def _clean_client_fields(team: Team, fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(CLIENT_FIELDS)
    if unknown:
        raise CaseloadError(f"Unknown client fields: {', '.join(sorted(unknown))}")
    if "nhs_number" in fields:
        fields["nhs_number"] = normalise_nhs_number(fields["nhs_number"])
    if "postcode" in fields:
        fields["postcode"] = normalise_postcode(fields["postcode"])
    nurse = fields.get("primary_nurse")
    if nurse is not None and not is_member(team=team, user=nurse):
        raise ValidationError({"primary_nurse": "Choose a member of your team."})
    return fields


@transaction.atomic
def client_create(*, team: Team, by: User, **fields: Any) -> Client:
    client = Client(team=team, **_clean_client_fields(team, fields))
    client.full_clean()
    client.save()
    audit.record(actor=by, team=team, action="client.create", obj=client)
    live.publish(team, "client-changed", client=client.pk)
    return client


@transaction.atomic
def client_update(*, client: Client, by: User, base_version: int, **fields: Any) -> Client:
    """Change a client's details; a stale ``base_version`` is a conflict, never an overwrite."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    fields = _clean_client_fields(client.team, fields)
    check_version(client, base_version, fields)
    for name, value in fields.items():
        setattr(client, name, value)
    bump(client, fields)
    audit.record(
        actor=by,
        team=client.team,
        action="client.update",
        obj=client,
        detail={"fields": sorted(fields)},
    )
    live.publish(client.team, "client-changed", client=client.pk)
    return client


@transaction.atomic
def client_set_status(
    *, client: Client, by: User, base_version: int, status: str, reason: str = ""
) -> Client:
    client = Client.objects.select_for_update().get(pk=client.pk)
    check_version(client, base_version, {"status": status}, touches=["status", "discharge_reason"])
    if status == ClientStatus.DISCHARGED and not reason.strip():
        raise ValidationError({"discharge_reason": "Say why the client is being discharged."})
    client.status = status
    client.discharge_reason = reason.strip() if status == ClientStatus.DISCHARGED else ""
    bump(client, ["status", "discharge_reason"])
    if status == ClientStatus.DISCHARGED:
        visits_cancel_planned(client=client, reason="Client discharged", from_day=clock.today())
    audit.record(actor=by, team=client.team, action=f"client.{status}", obj=client)
    live.publish(client.team, "client-changed", client=client.pk)
    live.publish(client.team, "visit-changed")
    return client


def clients_viewed(
    *, team: Team, clients: Iterable[Client], by: User, what: str, offline_copy: bool = False
) -> None:
    """Audit a page's read of these clients' records: health data access is logged.

    ``what`` names the page; ``offline_copy`` marks a copy the tablet fetched in the background
    to keep for offline use, which nobody looked at yet.
    """
    detail = {"what": what, **({"offline_copy": True} if offline_copy else {})}
    audit.record_each(actor=by, team=team, action="client.view", objs=clients, detail=detail)
