from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from teams import audit
from teams.models import AuditError, AuditEvent


def test_record_keeps_actor_team_object_and_request_id(team, alice):
    event = audit.record(actor=alice, team=team, action="team.view", obj=team)
    assert (event.actor, event.team, event.object_type, event.object_id) == (
        alice,
        team,
        "teams.team",
        str(team.pk),
    )


def test_record_each_writes_one_row_per_object_in_one_insert_per_kind(
    team, alice, bob, django_assert_num_queries
):
    memberships = list(team.memberships.order_by("pk"))
    with django_assert_num_queries(1):
        audit.record_each(actor=alice, team=team, action="x.view", objs=[bob], detail={"a": "é"})
    audit.record_each(actor=None, team=team, action="y.view", objs=[team, *memberships])
    rows = AuditEvent.objects.order_by("id").values_list(
        "actor", "team", "action", "object_type", "object_id", "detail"
    )
    assert list(rows) == [
        (alice.pk, team.pk, "x.view", "teams.user", str(bob.pk), {"a": "é"}),
        (None, team.pk, "y.view", "teams.team", str(team.pk), {}),
        *[(None, team.pk, "y.view", "teams.membership", str(m.pk), {}) for m in memberships],
    ]


def test_record_each_of_nothing_writes_nothing(team, alice, django_assert_num_queries):
    with django_assert_num_queries(0):
        audit.record_each(actor=alice, team=team, action="x.view", objs=[])


def test_request_id_of_the_request_is_recorded(alice_client, team):
    response = alice_client.post(f"/t/{team.slug}/roles/add/", {"name": "Stock"})
    event = AuditEvent.objects.get(action="role.create")
    assert event.request_id == response["X-Request-ID"]


def test_clients_request_id_is_ignored_unless_a_proxy_is_trusted(alice_client, team):
    response = alice_client.post(
        f"/t/{team.slug}/roles/add/", {"name": "Stock"}, HTTP_X_REQUEST_ID="forged-id-12345"
    )
    assert response["X-Request-ID"] != "forged-id-12345"
    assert AuditEvent.objects.get(action="role.create").request_id == response["X-Request-ID"]


def test_trusted_proxys_request_id_is_recorded(alice_client, team, settings):
    settings.TRUST_PROXY_REQUEST_ID = True
    alice_client.post(
        f"/t/{team.slug}/roles/add/", {"name": "Stock"}, HTTP_X_REQUEST_ID="proxy-id-12345"
    )
    assert AuditEvent.objects.get(action="role.create").request_id == "proxy-id-12345"


@pytest.mark.parametrize(
    "header", ["short", "x" * 65, "a b c d e f g h", "id\nwith-newline", "é" * 10]
)
def test_trusted_proxys_malformed_request_id_is_replaced(alice_client, team, settings, header):
    settings.TRUST_PROXY_REQUEST_ID = True
    response = alice_client.post(
        f"/t/{team.slug}/roles/add/", {"name": "Stock"}, HTTP_X_REQUEST_ID=header
    )
    assert response.status_code == 302
    assert AuditEvent.objects.get(action="role.create").request_id == response["X-Request-ID"]
    assert response["X-Request-ID"] != header


def test_audit_rows_cannot_be_changed(team, alice):
    event = audit.record(actor=alice, team=team, action="team.view")
    event.action = "something else"
    with pytest.raises(AuditError):
        event.save()


def test_audit_rows_cannot_be_deleted(team, alice):
    event = audit.record(actor=alice, team=team, action="team.view")
    with pytest.raises(AuditError):
        event.delete()
    with pytest.raises(AuditError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditError):
        AuditEvent.objects.update(action="x")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)
def test_database_refuses_raw_updates_of_audit_rows(team, alice):
    audit.record(actor=alice, team=team, action="team.view")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE teams_auditevent SET action = 'forged'")
