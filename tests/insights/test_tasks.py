from __future__ import annotations

import datetime as dt

import pytest

from caseload.models import TimeEntry
from insights import formulas, services
from insights.models import SnapshotRevision, WeeklySnapshot
from insights.services import snapshot_save
from teams.models import Team

NOW = dt.datetime(2026, 3, 18, 12, 0, tzinfo=dt.UTC)  # a Wednesday in 2026W12
LAST_CLOSED = "2026W11"


@pytest.fixture(autouse=True)
def _immediate_tasks(settings, time_machine):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def old_team(team):
    Team.objects.filter(pk=team.pk).update(created_at=NOW - dt.timedelta(days=60))
    team.refresh_from_db()
    return team


def _record(team, member, day, minutes=60):
    TimeEntry.objects.create(
        team=team, member=member, date=day, category=formulas.TRAVEL, minutes=minutes
    )


def test_first_page_read_after_a_week_closes_has_its_snapshot_stored_by_a_task(
    alice_client, old_team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.get(f"/t/{old_team.slug}/insights/")
    assert WeeklySnapshot.objects.for_team(old_team).filter(week=LAST_CLOSED).exists()


def test_a_week_closed_before_the_team_existed_is_not_stored(
    alice_client, team, django_capture_on_commit_callbacks
):
    Team.objects.filter(pk=team.pk).update(created_at=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.get(f"/t/{team.slug}/insights/")
    assert not WeeklySnapshot.objects.exists()


def test_a_stored_last_week_enqueues_nothing(
    alice_client, old_team, django_capture_on_commit_callbacks
):
    snapshot_save(team=old_team, week=LAST_CLOSED)
    with django_capture_on_commit_callbacks() as callbacks:
        alice_client.get(f"/t/{old_team.slug}/insights/")
    assert callbacks == []


def test_the_snapshot_task_is_idempotent(old_team):
    first = services.snapshot_week.call(old_team.pk, LAST_CLOSED)
    again = services.snapshot_week.call(old_team.pk, LAST_CLOSED)
    assert (first, again) == (1, 1)
    assert WeeklySnapshot.objects.count() == 1


def test_a_late_record_for_a_closed_week_revises_its_snapshot_and_keeps_the_old_figures(
    old_team, alice, django_capture_on_commit_callbacks
):
    snapshot_save(team=old_team, week=LAST_CLOSED)
    with django_capture_on_commit_callbacks(execute=True):
        _record(old_team, alice, dt.date(2026, 3, 10))
    snapshot = WeeklySnapshot.objects.get(week=LAST_CLOSED)
    assert snapshot.revision == 2
    assert snapshot.figures["team"]["minutes"]["travel"] == 60
    assert SnapshotRevision.objects.get(snapshot=snapshot).changed


def test_a_late_record_for_a_week_never_stored_stores_nothing(
    old_team, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _record(old_team, alice, dt.date(2026, 3, 10))
    assert not WeeklySnapshot.objects.exists()


def test_a_record_in_the_running_week_enqueues_no_snapshot(
    old_team, alice, django_capture_on_commit_callbacks, monkeypatch
):
    enqueued = []
    monkeypatch.setattr(services, "snapshot_enqueue", lambda **kw: enqueued.append(kw))
    with django_capture_on_commit_callbacks(execute=True):
        _record(old_team, alice, dt.date(2026, 3, 17))
    assert enqueued == []


def test_the_running_week_is_computed_once_until_the_teams_data_changes(
    alice_client, old_team, alice, django_assert_max_num_queries
):
    url = f"/t/{old_team.slug}/insights/"
    snapshot_save(team=old_team, week=LAST_CLOSED)
    alice_client.get(url)
    with django_assert_max_num_queries(8):
        alice_client.get(url)
    _record(old_team, alice, dt.date(2026, 3, 17), minutes=90)
    assert "1.5" in alice_client.get(url).content.decode()
