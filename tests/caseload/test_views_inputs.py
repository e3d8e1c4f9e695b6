"""Malformed values in forms and addresses get a clear answer and change nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from caseload.forms import VisitEditForm
from caseload.models import VisitStatus
from teams.inputs import parse_day
from tests.factories import HandoverFactory


def _url(name: str, team, **kwargs) -> str:
    return reverse(f"caseload:{name}", kwargs={"team_slug": team.slug, **kwargs})


@pytest.mark.parametrize("value", ["2026-02-30", "9999-12-31", "0001-01-01", "2026-13-01", "x"])
def test_a_date_that_does_not_exist_or_is_out_of_range_is_not_a_day(value):
    assert parse_day(value) is None


def test_a_date_in_range_is_a_day():
    assert parse_day("2026-02-28") == date(2026, 2, 28)


@pytest.mark.parametrize(
    ("page", "value"),
    [
        ("today", "2026-02-30"),
        ("board", "9999-12-31"),
        ("board", "0001-01-01"),
        ("time", "0001-01-01"),
    ],
)
def test_a_page_given_a_bad_date_shows_today_and_says_why(team, alice_client, page, value):
    response = alice_client.get(_url(page, team), {"date": value})
    assert response.status_code == 200
    assert response.context["day"] == timezone.localdate()
    assert value in response.content.decode()


def test_the_visit_edit_form_refuses_year_9999():
    form = VisitEditForm(
        {
            "base_version": 1,
            "date": "9999-12-31",
            "planned_minutes": 30,
            "window_start": "",
            "window_end": "",
        }
    )
    assert "date" in form.errors


def test_done_with_an_unreadable_version_says_so_and_records_nothing(team, alice_client, visit):
    response = alice_client.post(
        _url("visit_done", team, visit_id=visit.pk), {"base_version": "abc"}, follow=True
    )
    assert "could not be read" in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED


def test_a_next_that_is_not_a_path_returns_to_the_default_page(team, alice_client, visit):
    response = alice_client.post(
        _url("visit_done", team, visit_id=visit.pk),
        {"base_version": visit.version, "next": "9999-12-31"},
    )
    assert response["Location"] == _url("today", team)


def test_editing_a_client_with_an_unreadable_version_shows_the_form_with_its_error(
    team, alice_client, client_record
):
    response = alice_client.post(
        _url("client_edit", team, client_id=client_record.pk),
        {
            "base_version": "9" * 40,
            "name": "Changed",
            "date_of_birth": "1950-01-01",
            "address": "x",
            "postcode": "LS1 4AP",
        },
    )
    assert response.status_code == 200
    client_record.refresh_from_db()
    assert client_record.name != "Changed"


def test_acknowledging_with_an_unreadable_version_changes_nothing(team, alice, alice_client):
    handover = HandoverFactory(team=team, to=alice)
    alice_client.post(
        _url("handover_acknowledge", team, handover_id=handover.pk), {"base_version": "x"}
    )
    handover.refresh_from_db()
    assert handover.version == 1
