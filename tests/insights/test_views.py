from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from caseload.models import TimeEntry
from insights import formulas
from insights.services import snapshot_save
from tests.factories import CoachGrantFactory, UserFactory
from tests.rota.factories import ContractFactory


def _url(team, path=""):
    return f"/t/{team.slug}/insights/{path}"


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def _travel(team, member, minutes, day=None):
    TimeEntry.objects.create(
        team=team,
        member=member,
        date=day or timezone.localdate(),
        category=formulas.TRAVEL,
        minutes=minutes,
    )


def test_team_page_shows_the_weeks_breakdown(alice_client, team, alice):
    _travel(team, alice, 90)
    response = alice_client.get(_url(team))
    assert response.status_code == 200
    assert "1.5" in response.content.decode()


def test_team_page_says_no_data_for_an_empty_week_not_zero(alice_client, team):
    assert "no data" in alice_client.get(_url(team)).content.decode()


def test_team_page_is_404_to_another_team(client, charlie, team):
    client.force_login(charlie)
    assert client.get(_url(team)).status_code == 404


def test_team_page_names_each_member_to_the_team(alice_client, team, alice, bob):
    _travel(team, bob, 30)
    assert "Bob Brown" in alice_client.get(_url(team)).content.decode()


def test_coach_sees_the_team_figures_but_no_member(client, team, bob):
    coach = UserFactory(name="Cora Coach")
    CoachGrantFactory(team=team, coach=coach)
    _travel(team, bob, 30)
    client.force_login(coach)
    response = client.get(_url(team))
    assert response.status_code == 200
    assert "Bob Brown" not in response.content.decode()


def test_coach_has_no_my_week(client, team):
    coach = UserFactory()
    CoachGrantFactory(team=team, coach=coach)
    client.force_login(coach)
    assert client.get(_url(team, "me/")).status_code == 404


def test_trend_shows_stored_weeks_and_the_week_so_far(alice_client, team):
    closed = formulas.iso_week(timezone.localdate() - dt.timedelta(days=14))
    snapshot_save(team=team, week=closed)
    content = alice_client.get(_url(team)).content.decode()
    assert closed in content
    assert "(so far)" in content


@pytest.mark.parametrize(
    "week",
    ["2026W54", "soon", "9999W01", "0001W01", "2026W4" + "8" * 40, "%00", "1e9"],
)
def test_a_bad_week_is_a_clear_400_not_a_crash(alice_client, team, week):
    response = alice_client.get(_url(team), {"week": week})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()


def test_my_week_shows_what_is_unrecorded_and_where_to_add_it(alice_client, team, alice):
    ContractFactory(team=team, user=alice, hours_per_week="37.5")
    response = alice_client.get(_url(team, "me/"))
    assert "Add time that is missing" in response.content.decode()


@pytest.mark.parametrize("stored", [1, 12])
def test_team_page_query_count_does_not_grow_with_weeks(
    alice_client, team, alice, stored, django_assert_num_queries
):
    today = timezone.localdate()
    for weeks in range(1, stored + 1):
        snapshot_save(team=team, week=formulas.iso_week(today - dt.timedelta(weeks=weeks)))
    with django_assert_num_queries(26):
        alice_client.get(_url(team))


def test_team_page_refreshes_as_a_fragment_for_htmx(alice_client, team):
    response = alice_client.get(_url(team), headers={"HX-Request": "true"})
    assert "<html" not in response.content.decode()


def test_coach_sees_each_coached_teams_weeks(client, team, other_team):
    coach = UserFactory()
    for each in (team, other_team):
        CoachGrantFactory(team=each, coach=coach)
        snapshot_save(team=each, week="2026W01")
    client.force_login(coach)
    content = client.get("/insights/coaching/").content.decode()
    assert content.count("2026W01") == 2


def test_coaching_page_is_404_to_someone_who_coaches_no_team(alice_client):
    assert alice_client.get("/insights/coaching/").status_code == 404


def test_coaching_page_leaves_out_a_revoked_grant(client, team):
    coach = UserFactory()
    CoachGrantFactory(team=team, coach=coach, revoked_at=timezone.now())
    client.force_login(coach)
    assert client.get("/insights/coaching/").status_code == 404


def test_team_page_draws_the_weeks_on_a_chart_with_a_title(alice_client, team, alice):
    _travel(team, alice, 60)
    ContractFactory(team=team, user=alice)
    content = alice_client.get(_url(team)).content.decode()
    assert "<svg" in content
    assert "Time on the frontline, week by week</title>" in content


def test_team_page_has_no_chart_without_any_paid_time(alice_client, team):
    assert "<svg" not in alice_client.get(_url(team)).content.decode()


@pytest.mark.parametrize("stored", [1, 12])
def test_team_page_unchanged_since_last_read_is_served_from_the_cache(
    alice_client, team, alice, stored, django_assert_num_queries
):
    today = timezone.localdate()
    for weeks in range(1, stored + 1):
        snapshot_save(team=team, week=formulas.iso_week(today - dt.timedelta(weeks=weeks)))
    alice_client.get(_url(team))
    with django_assert_num_queries(5):
        alice_client.get(_url(team))


def test_team_page_shows_a_week_stored_since_it_was_last_read(alice_client, team):
    alice_client.get(_url(team))
    closed = formulas.iso_week(timezone.localdate() - dt.timedelta(days=14))
    snapshot_save(team=team, week=closed)
    assert closed in alice_client.get(_url(team)).content.decode()
