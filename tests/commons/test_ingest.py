"""The ingest endpoint answers each kind of request with the contract's status code."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest

from commons import services
from commons.models import DataValue, DataValueSet, ImportLog
from tests.commons.helpers import INGEST_URL, payload, signed_headers


def test_a_good_payload_is_imported_with_a_summary(hub):
    response = hub.send(payload(hub.ref))
    assert response.status_code == 200
    assert response.json() == {
        "status": "OK",
        "dryRun": False,
        "importCount": {"imported": 4, "updated": 0, "ignored": 0},
        "conflicts": [],
        "revision": 1,
    }
    assert DataValue.objects.filter(value_set__team__ref=hub.ref).count() == 4


def test_a_dry_run_reports_and_stores_nothing(hub):
    response = hub.send(payload(hub.ref), dry_run=True)
    assert response.json()["dryRun"] is True
    assert response.json()["importCount"]["imported"] == 4
    assert not DataValueSet.objects.exists()


def test_malformed_json_is_400(hub):
    assert hub.send(b"{not json").status_code == 400


def test_a_json_array_is_400(hub):
    assert hub.send(b"[]").status_code == 400


def test_a_bad_signature_is_401(hub):
    body = json.dumps(payload(hub.ref)).encode()
    headers = signed_headers(hub.ref, "wrong-key", body)
    response = hub.client.post(INGEST_URL, body, content_type="application/json", **headers)
    assert response.status_code == 401


def test_missing_signature_headers_are_401(hub):
    response = hub.client.post(INGEST_URL, payload(hub.ref), content_type="application/json")
    assert response.status_code == 401


def test_a_revoked_team_is_401(hub):
    services.team_revoke(ref=hub.ref)
    assert hub.send(payload(hub.ref)).status_code == 401


def test_a_replayed_nonce_is_401(hub):
    body = json.dumps(payload(hub.ref)).encode()
    headers = signed_headers(hub.ref, hub.key, body, nonce="ab" * 16)
    first = hub.client.post(INGEST_URL, body, content_type="application/json", **headers)
    again = hub.client.post(INGEST_URL, body, content_type="application/json", **headers)
    assert (first.status_code, again.status_code) == (200, 401)


@pytest.mark.parametrize("skew", [-301, 301])
def test_a_timestamp_outside_the_allowed_skew_is_401(hub, skew, time_machine):
    time_machine.move_to(datetime.now(UTC), tick=False)  # a second's delay must not bring it in
    body = json.dumps(payload(hub.ref)).encode()
    headers = signed_headers(hub.ref, hub.key, body, timestamp=int(time.time()) + skew)
    response = hub.client.post(INGEST_URL, body, content_type="application/json", **headers)
    assert response.status_code == 401


def test_a_lower_revision_is_409(hub):
    hub.send(payload(hub.ref, revision=2))
    assert hub.send(payload(hub.ref, revision=1)).status_code == 409


def test_the_same_revision_with_other_values_is_409(hub):
    hub.send(payload(hub.ref, revision=1))
    assert hub.send(payload(hub.ref, revision=1, direct=210.0)).status_code == 409


def test_the_same_revision_resent_is_ignored(hub):
    hub.send(payload(hub.ref))
    response = hub.send(payload(hub.ref))
    assert response.status_code == 200
    assert response.json()["importCount"] == {"imported": 0, "updated": 0, "ignored": 4}


def test_a_higher_revision_updates_only_changed_values(hub):
    hub.send(payload(hub.ref, revision=1))
    response = hub.send(payload(hub.ref, revision=2, direct=210.0))
    assert response.json()["importCount"] == {"imported": 0, "updated": 1, "ignored": 3}
    stored = DataValue.objects.get(element="HOURS", category="direct")
    assert (stored.value, stored.value_set.revision) == (210.0, 2)


def test_a_schema_violation_is_422_with_its_errors(hub):
    bad = payload(hub.ref) | {"comment": "hello"}
    response = hub.send(bad)
    assert response.status_code == 422
    assert response.json()["errors"]


def test_a_payload_for_another_team_is_422(hub):
    other, _key = services.team_enrol(attributes=payload(hub.ref)["attributes"])
    assert hub.send(payload(other.ref)).status_code == 422


def test_a_value_beside_a_withheld_status_is_422(hub):
    bad = payload(hub.ref)
    bad["dataValues"][0]["status"] = "D"
    assert hub.send(bad).status_code == 422


def test_a_small_published_count_is_422(hub):
    bad = payload(hub.ref)
    bad["dataValues"][2]["value"] = 5
    assert hub.send(bad).status_code == 422


def test_a_week_that_the_calendar_lacks_is_422(hub):
    assert hub.send(payload(hub.ref, period="2025W53")).status_code == 422


def test_a_repeated_cell_is_422(hub):
    twice = payload(hub.ref)
    twice["dataValues"].append(dict(twice["dataValues"][0]))
    assert hub.send(twice).status_code == 422


def test_a_cell_left_out_of_a_new_revision_is_removed_with_a_warning(hub):
    hub.send(payload(hub.ref, revision=1))
    shorter = payload(hub.ref, revision=2)
    del shorter["dataValues"][3]
    body = hub.send(shorter).json()
    assert body["status"] == "WARNING"
    assert body["conflicts"] == [
        {"dataElement": "VISITS", "category": "missed", "reason": "not in this revision: removed"}
    ]
    assert not DataValue.objects.filter(element="VISITS", category="missed").exists()


def test_a_body_over_the_limit_is_413(hub, settings):
    settings.COMMONS_MAX_BODY_BYTES = 100
    assert hub.send(payload(hub.ref)).status_code == 413


def test_every_attempt_is_logged_with_its_answer(hub):
    hub.send(payload(hub.ref))
    hub.send(b"{")
    assert list(ImportLog.objects.order_by("pk").values_list("http_status", flat=True)) == [
        200,
        400,
    ]


def test_ingest_is_throttled_per_address(hub, settings):
    settings.COMMONS_INGEST_RATE = "2/min"
    answers = [hub.send(payload(hub.ref)).status_code for _ in range(3)]
    assert answers == [200, 200, 429]
