"""Client writes: one field list for form and service; discharge cancels visits as new versions."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from caseload import services
from caseload.forms import ClientForm
from caseload.models import CLIENT_FIELDS, SyncOutcome, VisitStatus
from caseload.sync.apply import sync_mutation_apply

DEVICE = uuid.UUID("0b8f6c2e-3c1d-4c7e-9d3e-8d2f0a7e5b11")


@pytest.fixture
def future_visit(visit):
    visit.date = timezone.localdate() + timedelta(days=2)
    visit.save()
    return visit


def _discharge(client_record, alice) -> None:
    services.client_set_status(
        client=client_record,
        by=alice,
        base_version=client_record.version,
        status="discharged",
        reason="Moved to care home",
    )


def test_discharge_cancels_planned_visits_as_a_new_version(client_record, alice, future_visit):
    _discharge(client_record, alice)
    future_visit.refresh_from_db()
    assert (future_visit.status, future_visit.status_reason) == (
        VisitStatus.CANCELLED,
        "Client discharged",
    )
    assert future_visit.version == 2
    assert future_visit.field_versions == {"status": 2, "status_reason": 2}


def test_discharge_leaves_past_and_finished_visits_alone(client_record, alice, visit):
    visit.date = timezone.localdate() - timedelta(days=1)
    visit.save()
    _discharge(client_record, alice)
    visit.refresh_from_db()
    assert (visit.status, visit.version) == (VisitStatus.PLANNED, 1)


@pytest.mark.parametrize(
    ("kind", "payload"),
    [
        ("visit.record", {"actual_minutes": 30}),
        ("visit.done", {}),
        ("visit.status", {"status": "missed", "reason": "Not home"}),
    ],
)
def test_a_device_holding_a_visit_cancelled_by_discharge_gets_a_conflict(
    team, client_record, alice, future_visit, kind, payload
):
    _discharge(client_record, alice)
    result = sync_mutation_apply(
        team=team,
        author=alice,
        device=DEVICE,
        raw={
            "id": str(uuid.uuid4()),
            "kind": kind,
            "target": str(future_visit.pk),
            "base_version": 1,
            "payload": payload,
        },
    )
    assert result["status"] == SyncOutcome.CONFLICT
    future_visit.refresh_from_db()
    assert future_visit.status == VisitStatus.CANCELLED


def test_discharge_tells_the_team_after_commit(
    client_record, alice, future_visit, live_events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _discharge(client_record, alice)
    assert {e["event"] for e in live_events} == {"client-changed", "visit-changed"}


def test_the_client_form_offers_exactly_the_fields_the_service_accepts(team):
    assert list(ClientForm(team=team).fields) == list(CLIENT_FIELDS)


def test_a_field_outside_the_client_fields_is_refused(client_record, alice):
    with pytest.raises(services.CaseloadError, match="Unknown client fields: status"):
        services.client_update(client=client_record, by=alice, base_version=1, status="discharged")
