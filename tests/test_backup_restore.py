"""The restore drill: back up, lose and change data, restore; the app serves, every client and
visit is back, and tablets replaying their outboxes lose nothing and apply nothing twice."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import Client as Browser
from django.urls import reverse

from caseload.models import Client, Visit, VisitRecord
from tests.caseload.syncing import mutation, sync
from tests.factories import ClientFactory, VisitFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def tablet(alice) -> Browser:
    browser = Browser()
    browser.force_login(alice)  # before the backup, as a tablet signed in that morning
    return browser


def test_restore_drill(tmp_path, team, alice, tablet):
    clients = ClientFactory.create_batch(3, team=team, primary_nurse=alice)
    visits = [VisitFactory(client=client, assigned_to=alice) for client in clients]
    before = mutation("visit.record", visits[0].pk, 1, actual_minutes=30, travel_minutes=5)
    assert [r["status"] for r in sync(tablet, team, before)] == ["applied"]
    expected = {
        "clients": set(Client.objects.values_list("pk", "name")),
        "visits": set(Visit.objects.values_list("pk", "version")),
    }
    backup = tmp_path / "patch.backup"
    call_command("backup", str(backup))

    after = mutation("visit.record", visits[1].pk, 1, actual_minutes=20, travel_minutes=5)
    assert [r["status"] for r in sync(tablet, team, after)] == ["applied"]
    Visit.objects.filter(pk=visits[2].pk).delete()
    Client.objects.filter(pk=clients[0].pk).update(name="Changed after the backup")

    call_command("restore", str(backup), interactive=False)

    today = reverse("caseload:today", kwargs={"team_slug": team.slug})
    assert tablet.get(today).status_code == 200
    assert set(Client.objects.values_list("pk", "name")) == expected["clients"]
    assert set(Visit.objects.values_list("pk", "version")) == expected["visits"]
    replay = sync(tablet, team, before, after)
    assert [r["status"] for r in replay] == ["duplicate", "applied"]
    assert [r["status"] for r in sync(tablet, team, before, after)] == ["duplicate"] * 2
    assert sorted(VisitRecord.objects.values_list("visit_id", flat=True)) == sorted(
        [visits[0].pk, visits[1].pk]
    )


def test_backup_check_refuses_a_file_that_is_not_a_backup(tmp_path, db):
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(CommandError):
        call_command("backup", str(junk), check=True)
    with pytest.raises(CommandError):
        call_command("restore", str(junk), interactive=False)


def test_backup_check_accepts_a_fresh_backup(tmp_path, team):
    backup = tmp_path / "patch.backup"
    call_command("backup", str(backup))
    call_command("backup", str(backup), check=True)
