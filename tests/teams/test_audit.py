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


def test_request_id_of_the_request_is_recorded(alice_client, team):
    response = alice_client.post(f"/t/{team.slug}/roles/add/", {"name": "Stock"})
    event = AuditEvent.objects.get(action="role.create")
    assert event.request_id == response["X-Request-ID"]


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
