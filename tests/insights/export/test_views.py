from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from insights.export import services
from insights.models import CommonsEnrolment, Sending, SendingStatus
from teams.models import AuditEvent
from tests.factories import CoachGrantFactory, UserFactory
from tests.insights.export.conftest import WEEK, earlier, snapshot

pytestmark = pytest.mark.usefixtures("now")


def _url(team) -> str:
    return reverse("insights:commons", kwargs={"team_slug": team.slug})


def test_another_teams_member_gets_404(team, charlie_client):
    assert charlie_client.get(_url(team)).status_code == 404
    assert charlie_client.post(_url(team), {"decision": "leave"}).status_code == 404


def test_the_page_says_the_team_has_not_joined(team, alice_client, hub):
    page = alice_client.get(_url(team)).content.decode()
    assert "Not joined" in page and "the team's decision" in page
    assert 'value="join"' in page


def test_the_page_says_when_the_commons_is_off(team, alice_client, settings):
    settings.COMMONS_URL = ""
    page = alice_client.get(_url(team)).content.decode()
    assert "not set up on this server" in page and 'value="join"' not in page


def test_a_member_joins_from_the_page(team, alice, alice_client, hub):
    hub.answers.append(services.Answer(201, {"orgUnit": "t-abcdef0123", "key": "issued-key"}))
    response = alice_client.post(
        _url(team), {"decision": "join", "region": "E12000001", "service_type": "social_work"}
    )
    assert response.status_code == 302
    assert CommonsEnrolment.objects.get(team=team).joined
    assert "issued-key" not in alice_client.get(_url(team)).content.decode()


def test_joining_without_a_region_says_what_is_missing(team, alice_client, hub):
    response = alice_client.post(_url(team), {"decision": "join", "service_type": "other"})
    assert response.status_code == 400 and "Choose the team" in response.content.decode()
    assert hub.posted == []


def test_an_unknown_decision_is_refused(team, alice_client, hub):
    assert alice_client.post(_url(team), {"decision": "maybe"}).status_code == 400


def test_one_action_leaves(team, alice_client, joined):
    assert alice_client.post(_url(team), {"decision": "leave"}).status_code == 302
    assert not CommonsEnrolment.objects.get(team=team).joined
    assert AuditEvent.objects.for_team(team).filter(action="commons.leave").exists()


def test_a_coach_sees_the_page_but_cannot_decide(team, alice, joined):
    coach = UserFactory()
    CoachGrantFactory(team=team, coach=coach, granted_by=alice)
    browser = Client()
    browser.force_login(coach)
    page = browser.get(_url(team)).content.decode()
    assert 'value="leave"' not in page
    assert browser.post(_url(team), {"decision": "leave"}).status_code == 404
    assert CommonsEnrolment.objects.get(team=team).joined


def test_the_preview_shows_each_withheld_cell_and_why(team, alice_client, joined):
    snapshot(team)
    page = alice_client.get(_url(team), {"week": WEEK}).content.decode()
    assert "VISITS" in page and "A small count (1 to 7)" in page


def test_the_preview_of_a_small_team_says_the_week_is_withheld(team, alice_client, joined):
    snapshot(team, staff=3)
    page = alice_client.get(_url(team), {"week": WEEK}).content.decode()
    assert "fewer than 5 staff or 5 clients" in page


def test_the_status_shows_a_failure_and_why(team, alice_client, joined, hub):
    snapshot(team)
    services.sending_queue(team=team, week=WEEK)
    hub.answers.append(services.Answer(503, {}))
    services.send_due()
    page = alice_client.get(_url(team)).content.decode()
    assert "Failed" in page and "HTTP 503" in page and "next try" in page


def test_the_status_shows_what_was_sent(team, alice_client, joined, hub):
    snapshot(team)
    services.sending_queue(team=team, week=WEEK)
    services.send_due()
    assert Sending.objects.for_team(team).get().status == SendingStatus.SENT
    assert "Sent" in alice_client.get(_url(team)).content.decode()


def test_a_week_outside_the_window_shows_the_latest(team, alice_client, joined):
    response = alice_client.get(_url(team), {"week": earlier(WEEK, 9)})
    assert response.status_code == 200 and response.context["week"] == WEEK


def test_the_key_never_appears_on_the_page(team, alice_client, joined):
    snapshot(team)
    assert "s3cret-key-value" not in alice_client.get(_url(team)).content.decode()


def test_the_page_costs_a_fixed_number_of_queries(
    team, alice_client, joined, hub, django_assert_num_queries
):
    for n in range(4):
        snapshot(team, week=earlier(WEEK, n))
        services.sending_queue(team=team, week=earlier(WEEK, n))
    alice_client.get(_url(team))
    with django_assert_num_queries(8):
        alice_client.get(_url(team))
