"""The public dashboard shows spreads across teams, only over ten teams, never one team."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from commons import services
from commons.models import RegisteredTeam
from tests.commons.helpers import ATTRIBUTES, enrol_and_report, payload

URL = "/commons/"


def test_the_dashboard_is_public_and_says_when_nothing_has_arrived(db, client):
    response = client.get(URL)
    assert response.status_code == 200
    assert "No team has sent figures yet." in response.text


def test_nine_teams_show_no_figure(db, client):
    enrol_and_report(9)
    page = client.get(URL).text
    assert "Fewer than 10 teams sent this week" in page
    assert not re.search(r"the median team spent \d+%", page)


def test_ten_teams_show_the_spread(db, client):
    enrol_and_report(10)
    page = client.get(URL).text
    assert re.search(r"Across 10 teams, the median team spent \d+% of its paid hours", page)


def test_a_region_under_ten_teams_is_withheld_beside_one_that_is_shown(db, client):
    enrol_and_report(10, region="E12000007")
    enrol_and_report(3, region="E12000002")
    page = client.get(URL).text
    north_west = page[page.index("North West</th>") :][:200]
    assert "Not shown: fewer than 10 teams (T)" in north_west


def test_no_team_reference_ever_appears(db, client):
    refs = enrol_and_report(12)
    page = client.get(URL).text
    assert not any(ref in page for ref in refs)


def test_a_team_that_did_not_report_is_missing_not_zero(db, client):
    enrol_and_report(10)
    enrolled = datetime(2026, 3, 1, tzinfo=UTC)  # before 2026W10, which it never sends
    services.team_enrol(attributes=dict(ATTRIBUTES), now=enrolled)
    page = client.get(URL).text
    row = re.search(r"<th[^>]*>2026W10</th>(.*?)</tr>", page, re.S)[1]
    expected, reported, missing, _on_time = re.findall(r">(\d+)<", row)
    assert (expected, reported, missing) == ("11", "10", "1")
    # The silent team is not a zero: the spread is over the ten that sent figures.
    assert "Across 10 teams" in page


def _group(page: str, name: str) -> str:
    """The part of the trend by region and service type about one group."""
    section = page[page.index('id="group-trends"') :]
    start = section.index(f'<h4 class="govuk-heading-s">{name}</h4>')
    end = re.compile(r"<h[234]").search(section, start + 1)
    return section[start : end.start() if end else None]


def _week_row(group: str, week: str) -> str:
    return re.search(rf"<th[^>]*>{week}</th>(.*?)</tr>", group, re.S)[1]


def test_a_region_trend_is_shown_from_ten_teams_and_withheld_below(db, client):
    enrol_and_report(10, region="E12000007")
    enrol_and_report(9, region="E12000002")
    page = client.get(URL).text
    london, north_west = _group(page, "London"), _group(page, "North West")
    assert "<svg" in london
    assert re.findall(r">(\d+)%?<", _week_row(london, "2026-W10"))[0] == "10"
    assert "<svg" not in north_west
    assert "Withheld (T): in no week of the year did at least 10 teams" in north_west


def test_a_week_of_a_group_under_ten_teams_is_withheld_beside_weeks_that_are_shown(db, client):
    enrol_and_report(10, periods=["2026W10", "2026W11"], region="E12000007")
    enrol_and_report(9, period="2026W12", region="E12000007")
    london = _group(client.get(URL).text, "London")
    assert re.search(r"\d+%", _week_row(london, "2026-W11"))
    assert "Not shown: fewer than 10 teams (T)" in _week_row(london, "2026-W12")
    # The chart's band stops at the withheld week instead of dropping to zero.
    assert london.count("<polyline") == 1


def test_a_service_type_trend_follows_the_same_rule(db, client):
    enrol_and_report(10, serviceType="district_nursing")
    enrol_and_report(9, serviceType="social_work")
    page = client.get(URL).text
    assert "<svg" in _group(page, "District nursing")
    assert "Withheld (T)" in _group(page, "Social work")


def test_figures_follow_new_data_on_the_next_view(db, client, hub):
    enrol_and_report(10)
    before = client.get(URL).text
    assert "Across 10 teams" in before
    hub.send(payload(hub.ref))
    assert "Across 11 teams" in client.get(URL).text


SIZES = [(10, ["2026W10"]), (20, ["2026W09", "2026W10", "2026W11"])]


@pytest.mark.parametrize(("teams", "weeks"), SIZES)
def test_the_dashboard_query_count_does_not_grow_with_teams_or_weeks(
    db, client, teams, weeks, django_assert_num_queries
):
    enrol_and_report(teams, periods=weeks)
    client.get(URL)  # publishes every week
    with django_assert_num_queries(4):  # stale weeks, recent weeks, frontline rows, expected
        client.get(URL)
    assert RegisteredTeam.objects.count() == teams


@pytest.mark.parametrize(("teams", "weeks"), SIZES)
def test_the_first_view_after_a_week_changes_costs_the_same_whatever_the_volume(
    db, client, teams, weeks, django_assert_num_queries
):
    enrol_and_report(teams, periods=weeks)
    client.get(URL)
    services.weeks_changed(weeks=[date(2026, 3, 2)])  # 2026W10
    # The steady four, plus that week's values, arrivals, and its rows replaced under a lock.
    with django_assert_num_queries(12):
        client.get(URL)
