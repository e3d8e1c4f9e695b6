"""The public dashboard shows spreads across teams, only over ten teams, never one team."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from commons import services
from commons.models import RegisteredTeam
from tests.commons.helpers import ATTRIBUTES, enrol_and_report

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


@pytest.mark.parametrize("teams", [10, 20])
def test_the_dashboard_query_count_does_not_grow_with_teams(
    db, client, teams, django_assert_num_queries
):
    enrol_and_report(teams)
    with django_assert_num_queries(6):  # version, latest week, two reads, teams, arrivals
        client.get(URL)
    with django_assert_num_queries(1):  # cached until a value set arrives
        client.get(URL)
    assert RegisteredTeam.objects.count() == teams
