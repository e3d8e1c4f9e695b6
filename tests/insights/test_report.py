from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from caseload.models import TimeEntry
from insights import formulas
from insights.services import snapshot_save
from teams.models import Membership
from tests.factories import CoachGrantFactory, UserFactory
from tests.rota.factories import ContractFactory

NOW = dt.datetime(2026, 3, 18, 12, 0, tzinfo=dt.UTC)  # a Wednesday in 2026W12
FEBRUARY = ["2026W06", "2026W07", "2026W08", "2026W09"]  # the weeks whose Monday is in it


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(NOW, tick=False)


def _url(team, month):
    return f"/t/{team.slug}/insights/report/{month}.pdf"


def _text(response) -> str:
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


@pytest.fixture
def february(team, alice):
    """Alice on a 37.5-hour contract (no rota), 10 hours with clients in 2026W06, stored."""
    Membership.objects.filter(user=alice).update(joined_at=NOW - dt.timedelta(days=365))
    ContractFactory(team=team, user=alice, hours_per_week="37.5")
    TimeEntry.objects.create(
        team=team, member=alice, date=dt.date(2026, 2, 3), category=formulas.DIRECT, minutes=600
    )
    for week in FEBRUARY:
        snapshot_save(team=team, week=week)


@pytest.mark.slow
def test_report_has_the_months_weeks_and_figures(alice_client, team, february):
    response = alice_client.get(_url(team, "2026-02"))
    text = _text(response)
    assert response["Content-Type"] == "application/pdf"
    assert all(week in text for week in FEBRUARY)
    assert "27%" in text  # 600 of 2,250 paid minutes in 2026W06
    assert "7%" in text  # 600 of 9,000 over the month
    assert "Public Value Index" in text


@pytest.mark.slow
def test_report_for_a_month_without_figures_says_so(alice_client, team):
    text = _text(alice_client.get(_url(team, "2025-12")))
    assert "Not stored yet, so not in this report" in text


@pytest.mark.slow
def test_report_of_the_running_month_computes_the_week_so_far(alice_client, team, alice):
    ContractFactory(team=team, user=alice, hours_per_week="37.5")
    text = _text(alice_client.get(_url(team, "2026-03")))
    assert "2026W12" in text and "(so far)" in text


@pytest.mark.slow
def test_report_names_no_member(alice_client, team, february):
    assert "Alice" not in _text(alice_client.get(_url(team, "2026-02")))


def test_report_is_404_to_another_team(charlie_client, team, february):
    assert charlie_client.get(_url(team, "2026-02")).status_code == 404


@pytest.mark.slow
def test_a_coach_may_read_the_report(client, team, february):
    coach = UserFactory()
    CoachGrantFactory(team=team, coach=coach)
    client.force_login(coach)
    assert client.get(_url(team, "2026-02")).status_code == 200


@pytest.mark.parametrize(
    "month", ["2026-13", "2026-00", "2026-4", "1999-12", "2026-04", "9999-01", "soon", "2026-02x"]
)
def test_a_bad_or_future_month_is_404_not_a_crash(alice_client, team, month):
    assert alice_client.get(_url(team, month)).status_code == 404


@pytest.mark.slow
def test_report_queries_are_pinned(alice_client, team, february, django_assert_num_queries):
    with django_assert_num_queries(4):
        alice_client.get(_url(team, "2026-02"))


def test_month_picker_sends_the_choice_on_to_the_pdf(alice_client, team):
    response = alice_client.get(f"/t/{team.slug}/insights/report/", {"month": "2026-02"})
    assert response.status_code == 302
    assert response["Location"] == _url(team, "2026-02")


@pytest.mark.parametrize("month", ["", "2026-13", "x" * 500, "2026-02\x00", "2027-01"])
def test_month_picker_refuses_a_bad_month_with_400_and_the_months_to_choose(
    alice_client, team, month
):
    response = alice_client.get(f"/t/{team.slug}/insights/report/", {"month": month})
    assert response.status_code == 400
    assert _url(team, "2026-03") in response.content.decode()


def test_month_picker_without_a_month_lists_the_last_twelve(alice_client, team):
    page = alice_client.get(f"/t/{team.slug}/insights/report/").content.decode()
    assert _url(team, "2025-04") in page and _url(team, "2025-03") not in page


def test_team_page_offers_the_last_twelve_months(alice_client, team):
    page = alice_client.get(f"/t/{team.slug}/insights/").content.decode()
    assert 'value="2026-03"' in page and 'value="2025-04"' in page
    assert 'value="2025-03"' not in page
