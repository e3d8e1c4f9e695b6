"""Every input that once made the sync endpoint answer 500 now gets a per-item or batch answer."""

from __future__ import annotations

import json
import uuid

import pytest

from caseload.models import Handover, Note, SyncMutation, TimeEntry
from caseload.sync import apply
from tests.caseload.syncing import DEVICE, mutation, post, post_body, sync


def _time(**payload) -> dict:
    return mutation(
        "time.save",
        uuid.uuid4(),
        **{"date": "2026-11-30", "category": "team", "minutes": 30} | payload,
    )


def _body(mutations: str = "", extra: str = "") -> str:
    return f'{{"device": "{DEVICE}", "mutations": [{mutations}]{extra}}}'


@pytest.mark.parametrize(
    "body",
    [
        _body('{"payload": {"minutes": NaN}}'),
        _body(extra=', "x": Infinity'),
        _body(extra=', "x": -Infinity'),
        _body("[" * 50_000 + "]" * 50_000),
        _body("[" * 20 + "]" * 20),
        _body(extra=', "x": ' + "9" * 5000),
    ],
    ids=["nan", "infinity", "minus-infinity", "recursion", "nested", "long-number"],
)
def test_non_json_numbers_and_deep_nesting_are_a_batch_400(team, alice_client, body):
    response = post_body(alice_client, team, body)
    assert response.status_code == 400
    assert response.json()["error"]
    assert not SyncMutation.objects.exists()


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_a_batch_that_is_not_sent_as_json_is_a_415(team, alice_client, content_type):
    body = json.dumps({"device": DEVICE, "mutations": [_time()]})
    response = post_body(alice_client, team, body, content_type=content_type)
    assert response.status_code == 415
    assert not TimeEntry.objects.exists()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"base_version": 2**63}, "base_version must be a whole number"),
        ({"base_version": 2**31}, "base_version must be a whole number"),
        ({"kind": {"a": 1}}, "Unknown kind"),
        ({"kind": ["time.save"]}, "Unknown kind"),
        ({"created_at": "2026-13-45T99:00:00Z"}, "created_at must be"),
        ({"created_at": 12}, "created_at must be"),
        ({"target": {"id": 1}}, "target must be a UUID"),
        ({"payload": {"date": "2026-02-30", "category": "team", "minutes": 30}}, "date like"),
        ({"payload": {"date": ["x"], "category": "team", "minutes": 30}}, "must be text"),
        ({"payload": {"date": "2026-11-30", "category": "te\x00am", "minutes": 30}}, "character"),
        ({"payload": {"date": "2026-11-30", "category": "\ud800", "minutes": 30}}, "character"),
        ({"payload": {"date": "2026-11-30", "category": "x" * 20_000, "minutes": 30}}, "too long"),
        ({"payload": {"date": "2026-11-30", "category": "team", "minutes": True}}, "whole number"),
    ],
)
def test_envelope_and_payload_faults_are_rejected_per_item(team, alice_client, change, reason):
    bad, good = _time() | change, _time()
    results = sync(alice_client, team, bad, good)
    assert results[0]["status"] == "rejected" and reason in results[0]["reason"]
    assert results[1]["status"] == "applied"
    assert TimeEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({"client": "abc"}, "whole number"),
        ({"client": 1.5}, "whole number"),
        ({"to": 2**70}, "whole number"),
        ({"to": "1"}, "whole number"),
        ({"to": {"pk": 1}}, "whole number"),
    ],
)
def test_non_integer_client_or_colleague_is_rejected(team, alice_client, payload, reason):
    (result,) = sync(
        alice_client, team, mutation("handover.create", uuid.uuid4(), text="Call", **payload)
    )
    assert result["status"] == "rejected" and reason in result["reason"]
    assert not Handover.objects.exists()


def test_a_note_for_a_client_id_that_is_not_a_number_is_rejected(team, alice_client):
    (result,) = sync(alice_client, team, mutation("note.add", uuid.uuid4(), client="x", text="Hi"))
    assert result["status"] == "rejected"
    assert not Note.objects.exists()


def test_an_unexpected_error_in_one_item_is_stored_as_rejected(team, alice_client, monkeypatch):
    def explode(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setitem(apply.HANDLERS, "note.add", explode)
    note, entry = mutation("note.add", uuid.uuid4(), client=1, text="Hi"), _time()
    results = sync(alice_client, team, note, entry)
    assert [r["status"] for r in results] == ["rejected", "applied"]
    assert "could not apply" in results[0]["reason"]
    assert SyncMutation.objects.get(mutation_id=note["id"]).status == "rejected"


@pytest.mark.parametrize(("minutes", "outcome"), [(30, "applied"), (0, "rejected")])
def test_a_concurrent_replay_answers_duplicate_and_stores_one_outcome(
    team, alice_client, monkeypatch, minutes, outcome
):
    item = _time(minutes=minutes)
    (first,) = sync(alice_client, team, item)
    # The racing request looked before the first committed, then tries to store its outcome.
    looked = []
    real = apply._original

    def not_yet(mutation_id):
        looked.append(mutation_id)
        return None if len(looked) == 1 else real(mutation_id)

    monkeypatch.setattr(apply, "_original", not_yet)
    (second,) = sync(alice_client, team, item)
    assert first["status"] == outcome
    assert (second["status"], second["outcome"]) == ("duplicate", outcome)
    assert SyncMutation.objects.filter(mutation_id=item["id"]).count() == 1
    assert TimeEntry.objects.count() == (outcome == "applied")


def test_a_batch_answers_one_result_per_item_even_when_all_are_broken(team, alice_client):
    junk = [None, 1, "x", [], {"id": 5}, {"id": str(uuid.uuid4()), "kind": None}]
    response = post(alice_client, team, junk)
    assert response.status_code == 200
    assert [r["status"] for r in response.json()["results"]] == ["rejected"] * len(junk)
