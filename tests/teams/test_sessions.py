from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def tablet(alice, time_machine) -> Client:
    time_machine.move_to(START, tick=False)
    client = Client()
    client.post(reverse("login"), {"username": alice.email, "password": PASSWORD})
    return client


def _team_page(client: Client, **headers):
    return client.get(reverse("teams:team", kwargs={"team_slug": "riverside"}), headers=headers)


def test_session_ends_after_the_idle_timeout(tablet, time_machine, settings):
    time_machine.move_to(START + timedelta(seconds=settings.SESSION_IDLE_SECONDS))
    response = _team_page(tablet)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_activity_keeps_the_session_alive(tablet, time_machine, settings):
    for step in range(1, 5):
        time_machine.move_to(START + step * timedelta(seconds=settings.SESSION_IDLE_SECONDS - 60))
        assert _team_page(tablet).status_code == 200


def test_a_page_refreshing_itself_is_not_activity(tablet, time_machine, settings):
    idle = timedelta(seconds=settings.SESSION_IDLE_SECONDS)
    time_machine.move_to(START + idle / 2)
    assert _team_page(tablet, X_Patch_Background="1").status_code == 200
    time_machine.move_to(START + idle)
    assert _team_page(tablet).status_code == 302


def test_the_service_worker_keeping_an_offline_copy_is_not_activity(tablet, time_machine, settings):
    idle = timedelta(seconds=settings.SESSION_IDLE_SECONDS)
    time_machine.move_to(START + idle / 2)
    assert _team_page(tablet, X_Patch_Offline_Copy="1").status_code == 200
    time_machine.move_to(START + idle)
    assert _team_page(tablet).status_code == 302


def test_session_ends_after_a_working_day_however_active(tablet, time_machine, settings):
    step = timedelta(seconds=settings.SESSION_IDLE_SECONDS - 60)
    at = START
    while at + step < START + timedelta(seconds=settings.SESSION_LIFETIME_SECONDS):
        at += step
        time_machine.move_to(at)
        assert _team_page(tablet).status_code == 200
    time_machine.move_to(START + timedelta(seconds=settings.SESSION_LIFETIME_SECONDS))
    assert _team_page(tablet).status_code == 302


def test_login_page_says_why_the_session_ended(tablet, time_machine, settings):
    time_machine.move_to(START + timedelta(seconds=settings.SESSION_IDLE_SECONDS))
    response = _team_page(tablet, X_Patch_Background="1")
    page = tablet.get(response["Location"]).content.decode()
    assert "You were logged out" in page


def test_sync_after_a_timeout_answers_403_so_the_outbox_keeps_its_changes(
    tablet, time_machine, settings
):
    time_machine.move_to(START + timedelta(seconds=settings.SESSION_IDLE_SECONDS))
    response = tablet.post(
        reverse("caseload:sync", kwargs={"team_slug": "riverside"}),
        data=b'{"device": "d", "mutations": []}',
        content_type="application/json",
    )
    assert response.status_code == 403


def test_session_cookie_is_dropped_when_the_browser_closes(alice):
    client = Client()
    client.post(reverse("login"), {"username": alice.email, "password": PASSWORD})
    cookie = client.cookies["sessionid"]
    assert not cookie["expires"] and not cookie["max-age"]


def test_session_status_answers_the_seconds_left(tablet, time_machine, settings):
    time_machine.move_to(START + timedelta(minutes=10))
    answer = tablet.get(reverse("session_status"), headers={"X-Patch-Background": "1"}).json()
    assert answer == {
        "idle": settings.SESSION_IDLE_SECONDS - 600,
        "lifetime": settings.SESSION_LIFETIME_SECONDS - 600,
    }


def test_asking_session_status_as_the_person_counts_as_activity(tablet, time_machine, settings):
    time_machine.move_to(START + timedelta(minutes=10))
    assert tablet.get(reverse("session_status")).json()["idle"] == settings.SESSION_IDLE_SECONDS


def test_the_device_refreshing_its_offline_pages_is_not_activity(tablet, time_machine, settings):
    time_machine.move_to(START + timedelta(minutes=10))
    tablet.get(reverse("caseload:offline_pages", kwargs={"team_slug": "riverside"}))
    answer = tablet.get(reverse("session_status"), headers={"X-Patch-Background": "1"}).json()
    assert answer["idle"] == settings.SESSION_IDLE_SECONDS - 600


def test_pages_carry_the_session_clock_and_the_warning(tablet, settings):
    page = _team_page(tablet).content.decode()
    assert f'data-session-idle="{settings.SESSION_IDLE_SECONDS}"' in page
    assert 'id="session-warning"' in page and "Stay logged in" in page


def test_session_status_of_nobody_is_zero(client, db):
    assert client.get(reverse("session_status")).json() == {"idle": 0, "lifetime": 0}
