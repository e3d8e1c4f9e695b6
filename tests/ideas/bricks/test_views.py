"""The team's practices pages: browse, search and adopt; outsiders get 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ideas.bricks import services
from tests.ideas.bricks.conftest import join
from tests.ideas.bricks.test_services import TEXT


@pytest.fixture
def shared(hub, other_team, charlie) -> str:
    """A practice another team shared."""
    join(other_team)
    return services.practice_publish(team=other_team, by=charlie, source="idea-9", **TEXT)


def _list(team) -> str:
    return reverse("bricks:practices", kwargs={"team_slug": team.slug})


def _detail(team, public_id: str) -> str:
    return reverse("bricks:practice", kwargs={"team_slug": team.slug, "public_id": public_id})


def test_outsiders_get_404(shared, team, alice, charlie_client):
    assert charlie_client.get(_list(team)).status_code == 404
    assert charlie_client.get(_detail(team, shared)).status_code == 404
    assert charlie_client.post(_detail(team, shared)).status_code == 404


def test_a_member_browses_and_searches_the_hubs_practices(shared, team, alice_client):
    page = alice_client.get(_list(team))
    assert page.status_code == 200
    assert "A shorter morning huddle" in page.content.decode()
    assert _detail(team, shared) in page.content.decode()
    empty = alice_client.get(_list(team), {"q": "no such words"}).content.decode()
    assert "No practice matches your search." in empty


def test_a_member_adopts_a_practice_onto_the_board(shared, board, team, alice, alice_client):
    join(team)
    page = alice_client.get(_detail(team, shared)).content.decode()
    assert "Propose it on our board" in page and "48%" in page
    response = alice_client.post(_detail(team, shared))
    assert response.status_code == 302
    assert [idea["provenance"] for idea in board.proposed] == [
        f"http://hub.test/commons/practices/{shared}/"
    ]
    assert "Adopted by 1 team." in alice_client.get(_detail(team, shared)).content.decode()


def test_a_team_that_has_not_joined_is_told_instead_of_offered_the_button(
    shared, team, alice_client
):
    page = alice_client.get(_detail(team, shared)).content.decode()
    assert "Propose it on our board" not in page
    assert "needs to join the commons" in page
    response = alice_client.post(_detail(team, shared))
    assert response.status_code == 400
    assert "needs to join the commons" in response.content.decode()


def test_an_unknown_or_malformed_practice_is_404(hub, team, alice_client):
    assert alice_client.get(_detail(team, "p-000000000000")).status_code == 404
    assert alice_client.get(_detail(team, "nonsense")).status_code == 404


def test_a_hub_that_cannot_answer_is_said_on_the_page(hub, team, alice_client):
    hub.down = True
    page = alice_client.get(_list(team))
    assert page.status_code == 200
    assert "could not be reached" in page.content.decode()
    detail = alice_client.get(_detail(team, "p-000000000000"))
    assert detail.status_code == 200
    assert "could not be reached" in detail.content.decode()


def test_the_commons_switched_off_is_said_on_the_page(settings, team, alice_client):
    settings.COMMONS_URL = ""
    assert "not set up on this server" in alice_client.get(_list(team)).content.decode()


def _share(team) -> str:
    return reverse("bricks:share", kwargs={"team_slug": team.slug})


FORM = {
    "source": "idea7",
    "title": TEXT["title"],
    "problem": TEXT["problem"],
    "practice": TEXT["practice"],
    "metric": "frontline_share",
    "before": "0.48",
    "after": "0.55",
    "weeks_before": "6",
    "weeks_after": "6",
    "trial_weeks": "8",
}


def test_sharing_says_which_words_look_like_personal_data_and_sends_nothing(
    hub, team, alice, bob, alice_client
):
    join(team)
    data = FORM | {"problem": "Bob Brown rang 07700 900123 at 8:15.", "action": "check"}
    response = alice_client.post(_share(team), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "“Bob Brown” looks like a name" in page
    assert "“07700 900123” looks like a phone number" in page
    data["action"] = "send"
    assert alice_client.post(_share(team), data).status_code == 400
    assert hub.calls == []


def test_sharing_shows_exactly_what_leaves_then_sends_it(hub, team, alice_client):
    join(team)
    preview = alice_client.post(_share(team), FORM | {"action": "check"})
    assert preview.status_code == 200
    assert 'id="preview"' in preview.content.decode()
    assert hub.calls == []
    sent = alice_client.post(_share(team), FORM | {"action": "send"})
    assert sent.status_code == 302
    assert [method for method, _ in hub.calls] == ["POST"]


def test_sharing_is_for_members_only(hub, team, charlie_client):
    assert charlie_client.get(_share(team)).status_code == 404
    assert charlie_client.post(_share(team), FORM | {"action": "send"}).status_code == 404
