"""The sync endpoint: one effect per mutation id, per-item outcomes, nothing lost."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from django.test import Client as Browser
from django.urls import reverse

from caseload import services
from caseload.models import Handover, SyncMutation, TimeEntry, Visit, VisitRecord
from caseload.sync.schema import published
from teams import services as team_services
from teams.models import AuditEvent
from tests.caseload.syncing import DEVICE
from tests.caseload.syncing import mutation as _mutation
from tests.caseload.syncing import post as _post
from tests.caseload.syncing import sync as _sync
from tests.factories import ClientFactory, TeamFactory


def test_the_same_batch_replayed_three_times_applies_once(team, alice_client, visit):
    batch = [
        _mutation("visit.record", visit.pk, 1, actual_minutes=30, travel_minutes=10),
        _mutation("time.save", uuid.uuid4(), date="2026-11-30", category="team", minutes=60),
    ]
    first = _sync(alice_client, team, *batch)
    second = _sync(alice_client, team, *batch)
    third = _sync(alice_client, team, *batch)
    assert [r["status"] for r in first] == ["applied", "applied"]
    assert [r["status"] for r in second] == [r["status"] for r in third] == ["duplicate"] * 2
    assert [r["outcome"] for r in third] == ["applied", "applied"]
    assert VisitRecord.objects.count() == 1
    assert TimeEntry.objects.filter(category="team").count() == 1
    assert second[0]["version"] == first[0]["version"] == 2


def test_a_response_lost_after_commit_is_answered_on_retry(team, alice_client, visit):
    mutation = _mutation("visit.done", visit.pk, 1)
    _post(alice_client, team, [mutation])  # the device never sees this answer
    (retry,) = _sync(alice_client, team, mutation)
    assert (retry["status"], retry["outcome"], retry["version"]) == ("duplicate", "applied", 2)
    assert VisitRecord.objects.count() == 1


def test_the_same_id_with_another_payload_is_rejected_and_kept(team, alice_client):
    entry = uuid.uuid4()
    original = _mutation("time.save", entry, date="2026-11-30", category="team", minutes=60)
    _sync(alice_client, team, original)
    reused = {**original, "payload": {**original["payload"], "minutes": 600}}
    (result,) = _sync(alice_client, team, reused)
    assert result["status"] == "rejected" and "already used" in result["reason"]
    assert TimeEntry.objects.get(pk=entry).minutes == 60
    assert SyncMutation.objects.filter(mutation_id=original["id"]).count() == 2


def test_stale_version_on_another_field_merges(team, alice_client, visit, bob):
    services.visit_reassign(visit=visit, by=bob, base_version=1, to=bob)
    (result,) = _sync(alice_client, team, _mutation("visit.record", visit.pk, 1, actual_minutes=25))
    assert (result["status"], result["version"]) == ("applied", 3)


def test_stale_version_on_the_same_field_is_a_conflict_holding_both(
    team, alice, alice_client, visit, bob
):
    services.visit_set_status(
        visit=visit, by=bob, base_version=1, status="missed", reason="Not at home"
    )
    (result,) = _sync(alice_client, team, _mutation("visit.record", visit.pk, 1, actual_minutes=25))
    assert result["status"] == "conflict"
    kept = SyncMutation.objects.get(mutation_id=result["id"])
    assert kept.saved_values == {"status": "missed"} and kept.payload["actual_minutes"] == 25
    assert not VisitRecord.objects.exists()
    page = alice_client.get(reverse("caseload:sync_attention", kwargs={"team_slug": team.slug}))
    assert "Conflict: visit.record" in page.content.decode()


def test_permission_revoked_while_offline_refuses_the_batch(team, alice, alice_client, visit):
    team_services.member_leave(membership=alice.memberships.get(team=team), by=alice)
    response = _post(alice_client, team, [_mutation("visit.done", visit.pk, 1)])
    assert response.status_code == 404
    assert not VisitRecord.objects.exists()


def test_a_client_moved_to_another_team_meanwhile_is_rejected_and_kept(team, alice_client, visit):
    Visit.objects.filter(pk=visit.pk).update(team=TeamFactory())
    (result,) = _sync(alice_client, team, _mutation("visit.done", visit.pk, 1))
    assert result["status"] == "rejected" and "not in your team" in result["reason"]
    assert SyncMutation.objects.filter(mutation_id=result["id"], status="rejected").exists()


def test_a_mutation_whose_prerequisite_failed_says_so(team, alice_client):
    handover = uuid.uuid4()
    created, acknowledged = _sync(
        alice_client,
        team,
        _mutation("handover.create", handover, text="   "),
        _mutation("handover.ack", handover, 1),
    )
    assert created["status"] == "rejected"
    assert acknowledged["status"] == "rejected"
    assert "depends on an earlier change (handover.create)" in acknowledged["reason"]


def test_each_mutation_is_atomic_but_the_batch_is_not(team, alice_client, visit, intervention):
    bad_rating = {
        "care_problem": str(intervention.care_problem_id),
        "knowledge": 9,
        "behaviour": 3,
        "status": 3,
    }
    results = _sync(
        alice_client,
        team,
        _mutation("time.save", uuid.uuid4(), date="2026-11-30", category="training", minutes=90),
        _mutation(
            "visit.record", visit.pk, 1, actual_minutes=20, note="Dressed", ratings=[bad_rating]
        ),
    )
    assert [r["status"] for r in results] == ["applied", "rejected"]
    assert not VisitRecord.objects.exists()
    assert not visit.client.notes.exists()
    assert TimeEntry.objects.filter(category="training").exists()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"kind": "visit.teleport"}, "Unknown kind"),
        ({"id": "not-a-uuid"}, "id must be a UUID"),
        ({"payload": []}, "payload must be a JSON object"),
        ({"base_version": "one"}, "base_version must be"),
        ({"payload": {"date": "2026-11-30", "category": "team", "minutes": "ten"}}, "whole number"),
        ({"payload": {"date": "yesterday", "category": "team", "minutes": 10}}, "date like"),
        (
            {"payload": {"date": "2026-11-30", "category": "team", "minutes": 5000}},
            "between 1 and 1440",
        ),
        ({"payload": {"date": "2026-11-30", "category": "team"}}, "Minutes is required"),
    ],
)
def test_bad_items_are_rejected_one_by_one_with_a_reason(team, alice_client, change, reason):
    mutation = {
        **_mutation("time.save", uuid.uuid4(), date="2026-11-30", category="team", minutes=30),
        **change,
    }
    (result,) = _sync(alice_client, team, mutation)
    assert result["status"] == "rejected" and reason in result["reason"]
    assert not TimeEntry.objects.exists()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b"[]", 400),
        (json.dumps({"device": "x", "mutations": []}).encode(), 400),
        (json.dumps({"device": DEVICE, "mutations": {}}).encode(), 400),
        (json.dumps({"device": DEVICE, "mutations": [{}] * 101}).encode(), 413),
        (json.dumps({"device": DEVICE, "mutations": [], "pad": "x" * 600_000}).encode(), 413),
    ],
)
def test_malformed_batches_get_a_clear_4xx(team, alice_client, body, status):
    response = alice_client.post(
        reverse("caseload:sync", kwargs={"team_slug": team.slug}),
        data=body,
        content_type="application/json",
    )
    assert response.status_code == status
    assert response.json()["error"]
    assert not SyncMutation.objects.exists()


def test_logged_out_device_gets_403_json_not_a_login_page(team, client, db):
    response = client.post(
        reverse("caseload:sync", kwargs={"team_slug": team.slug}),
        data=json.dumps({"device": DEVICE, "mutations": []}),
        content_type="application/json",
    )
    assert response.status_code == 403 and "Log in again" in response.json()["error"]


def test_another_team_gets_404_and_nothing_is_applied(team, charlie_client, visit):
    assert _post(charlie_client, team, [_mutation("visit.done", visit.pk, 1)]).status_code == 404
    assert not SyncMutation.objects.exists()


def test_only_the_author_sees_and_resolves_her_conflicts(team, alice, bob, alice_client, visit):
    services.visit_set_status(
        visit=visit, by=bob, base_version=1, status="missed", reason="Not home"
    )
    (result,) = _sync(alice_client, team, _mutation("visit.record", visit.pk, 1, actual_minutes=25))
    row = SyncMutation.objects.get(mutation_id=result["id"])
    bob_browser = Browser()
    bob_browser.force_login(bob)
    url = reverse("caseload:sync_resolve", kwargs={"team_slug": team.slug, "mutation_pk": row.pk})
    assert bob_browser.post(url, {"keep": "saved"}).status_code == 404
    alice_client.post(url, {"keep": "saved"})
    row.refresh_from_db()
    assert row.resolution == "saved"
    assert AuditEvent.objects.filter(action="sync.resolve", actor=alice).exists()


def test_applying_mine_after_a_conflict_merges_onto_the_current_version(
    team, alice, bob, alice_client
):
    entry = services.time_entry_save(
        team=team, member=alice, date="2026-11-30", category="team", minutes=60
    )
    services.time_entry_save(
        team=team,
        member=alice,
        date=entry.date,
        category="team",
        minutes=45,
        entry_id=entry.pk,
        base_version=1,
    )
    (result,) = _sync(
        alice_client,
        team,
        _mutation("time.save", entry.pk, 1, date="2026-11-30", category="team", minutes=30),
    )
    assert result["status"] == "conflict"
    row = SyncMutation.objects.get(mutation_id=result["id"])
    alice_client.post(
        reverse("caseload:sync_resolve", kwargs={"team_slug": team.slug, "mutation_pk": row.pk}),
        {"keep": "mine"},
    )
    entry.refresh_from_db()
    assert (entry.minutes, entry.version) == (30, 3)


def test_offline_pages_list_only_her_next_48_hours(team, alice, bob, alice_client, visit):
    other = ClientFactory(team=team)
    from tests.factories import VisitFactory

    VisitFactory(client=other, assigned_to=bob)
    urls = alice_client.get(
        reverse("caseload:offline_pages", kwargs={"team_slug": team.slug})
    ).json()["urls"]
    assert f"/t/{team.slug}/clients/{visit.client_id}/" in urls
    assert f"/t/{team.slug}/visits/{visit.pk}/" in urls
    assert f"/t/{team.slug}/clients/{other.pk}/" not in urls


def test_handover_created_offline_uses_the_devices_id(team, alice_client, client_record, bob):
    handover = uuid.uuid4()
    (result,) = _sync(
        alice_client,
        team,
        _mutation(
            "handover.create", handover, text="Key safe changed", client=client_record.pk, to=bob.pk
        ),
    )
    assert result["status"] == "applied"
    assert Handover.objects.get(pk=handover).to == bob


def test_pages_publish_the_sync_schema_the_outbox_reads(team, alice_client):
    page = alice_client.get(reverse("caseload:today", kwargs={"team_slug": team.slug}))
    embedded = re.search(
        r'<script id="outbox-schema" type="application/json">(.*?)</script>', page.content.decode()
    )
    assert json.loads(embedded.group(1)) == json.loads(json.dumps(published()))
    rating = published()["kinds"]["visit.record"]["fields"]["ratings"]
    assert (rating["min"], rating["max"], rating["concepts"]) == (
        1,
        5,
        ["knowledge", "behaviour", "status"],
    )
