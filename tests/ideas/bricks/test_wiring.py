"""The board and the commons together: adopt once, share an adopted idea, report its effect."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from commons.practices.models import Adoption
from ideas import services as board_services
from ideas.bricks import services
from ideas.models import Idea, Status
from insights.models import WeeklySnapshot
from teams.models import AuditEvent, Membership
from tests.ideas.bricks.conftest import join
from tests.ideas.bricks.test_services import TEXT


def _weeks(team, started_on) -> None:
    """Frontline time 25% and 30% in the two weeks before the trial, 37.5% in the week after."""
    monday = started_on - timedelta(days=started_on.weekday())
    for weeks, direct in ((-2, 600), (-1, 720), (1, 900)):
        start = monday + timedelta(weeks=weeks)
        year, week, _ = start.isocalendar()
        WeeklySnapshot.objects.get_or_create(
            team=team,
            week=f"{year}W{week:02d}",
            start=start,
            defaults={
                "figures": {
                    "team": {
                        "minutes": {"direct": direct, "unrecorded": 2400 - direct},
                        "paid": 2400,
                        "over_recorded": 0,
                    },
                    "members": {"1": {}, "2": {}},
                }
            },
        )


def _on_trial(idea: Idea, *members) -> Idea:
    consent_round = board_services.round_open(
        idea=idea, by=members[0], closes_at=timezone.now() + timedelta(days=1), trial_weeks=4
    )
    for member in members:
        board_services.answer_give(consent_round=consent_round, by=member, kind="consent")
    idea.refresh_from_db()
    assert idea.status == Status.TRIAL
    _weeks(idea.team, idea.trial_started_on)
    return idea


@pytest.fixture
def own_idea(team, alice, bob) -> Idea:
    """The team's own idea, on trial with its metric measured on both sides."""
    idea = board_services.idea_propose(
        team=team, author=alice, problem="P", proposal="Q", benefit="B", metric="frontline"
    )
    return _on_trial(idea, alice, bob)


@pytest.fixture
def adopted(hub, team, alice, bob, other_team, charlie) -> tuple[str, Idea]:
    """A practice other_team shared, adopted by team and now on trial there."""
    join(team)
    join(other_team)
    public_id = services.practice_publish(team=other_team, by=charlie, source="idea-9", **TEXT)
    idea = services.practice_adopt(team=team, by=alice, public_id=public_id)
    return public_id, _on_trial(idea, alice, bob)


def _review(team, idea: Idea) -> str:
    return reverse("ideas:review", kwargs={"team_slug": team.slug, "idea_id": idea.pk})


def _share(team) -> str:
    return reverse("bricks:share", kwargs={"team_slug": team.slug})


# Adopting


def test_adopting_puts_a_real_idea_on_the_board_showing_where_it_came_from(
    adopted, team, alice_client
):
    public_id, idea = adopted
    assert (idea.team, idea.title, idea.metric) == (team, TEXT["title"], "frontline")
    page = alice_client.get(idea.get_absolute_url()).content.decode()
    assert f"http://hub.test/commons/practices/{public_id}/" in page


def test_adopting_the_same_practice_twice_answers_the_idea_it_already_became(
    hub, board, team, alice, other_team, charlie
):
    join(team)
    join(other_team)
    public_id = services.practice_publish(team=other_team, by=charlie, source="idea-9", **TEXT)
    first = services.practice_adopt(team=team, by=alice, public_id=public_id)
    calls = len(hub.calls)
    again = services.practice_adopt(team=team, by=alice, public_id=public_id)
    assert again.pk == first.pk
    assert len(board.proposed) == 1
    assert len(hub.calls) == calls  # nothing asked of the hub the second time
    assert Adoption.objects.filter(practice__public_id=public_id).count() == 1


# Sharing from the idea page


def test_the_share_button_shows_only_on_an_adopted_idea_of_a_team_in_the_commons(
    hub, own_idea, team, alice, alice_client
):
    button = "Share this practice with other teams"
    assert button not in alice_client.get(own_idea.get_absolute_url()).content.decode()  # trial
    board_services.review_record(idea=own_idea, by=alice, decision="keep")
    assert button not in alice_client.get(own_idea.get_absolute_url()).content.decode()  # not in
    join(team)
    page = alice_client.get(own_idea.get_absolute_url()).content.decode()
    assert button in page
    assert f"{_share(team)}?source={own_idea.pk.hex}" in page


def test_the_share_form_is_filled_from_the_idea_and_its_effect(
    hub, own_idea, team, alice, alice_client
):
    board_services.review_record(idea=own_idea, by=alice, decision="keep")
    join(team)
    form = alice_client.get(_share(team), {"source": own_idea.pk.hex}).context["form"]
    assert form.initial == {
        "source": own_idea.pk.hex,
        "title": "Q",
        "problem": "P",
        "practice": "Q",
        "metric": "frontline_share",
        "trial_weeks": 4,
        "before": 0.275,
        "after": 0.375,
        "weeks_before": 2,
        "weeks_after": 1,
    }


def test_publishing_keeps_the_hubs_id_on_the_idea_and_the_page_links_to_it(
    hub, own_idea, team, alice, alice_client
):
    board_services.review_record(idea=own_idea, by=alice, decision="keep")
    join(team)
    initial = alice_client.get(_share(team), {"source": own_idea.pk.hex}).context["form"].initial
    data = dict(initial) | {
        "problem": "Visits started late.",
        "practice": "A shorter huddle with a written list.",
        "action": "send",
    }
    assert alice_client.post(_share(team), data).status_code == 302
    own_idea.refresh_from_db()
    assert own_idea.practice.startswith("p-")
    page = alice_client.get(own_idea.get_absolute_url()).content.decode()
    assert "Shared with the commons" in page
    assert "Share this practice with other teams" not in page
    assert (
        reverse("bricks:practice", kwargs={"team_slug": team.slug, "public_id": own_idea.practice})
        in page
    )


@pytest.mark.parametrize("source", ["", "x" * 500, "../../", "0" * 32, "\x00", "zz" * 16])
def test_any_source_on_the_share_page_answers_a_page(hub, team, alice, alice_client, source):
    join(team)
    assert alice_client.get(_share(team), {"source": source}).status_code == 200


# Reporting the effect


def test_keeping_an_adopted_idea_reports_its_effect_to_the_hub(adopted, team, alice_client):
    public_id, idea = adopted
    response = alice_client.post(_review(team, idea), {"decision": "keep"}, follow=True)
    assert "The effect was reported to the commons." in response.content.decode()
    effect = Adoption.objects.get(practice__public_id=public_id).effect
    assert (effect.before, effect.after) == (0.275, 0.375)


def test_a_hub_that_cannot_take_the_effect_never_fails_the_review(adopted, hub, team, alice_client):
    public_id, idea = adopted
    hub.down = True
    response = alice_client.post(_review(team, idea), {"decision": "keep"}, follow=True)
    assert response.status_code == 200
    assert "could not be reported to the commons" in response.content.decode()
    idea.refresh_from_db()
    assert idea.status == Status.ADOPTED
    assert AuditEvent.objects.filter(team=team, action="practice.effect_failed").exists()


def test_dropping_or_an_own_idea_reports_nothing(adopted, own_idea, hub, team, alice_client):
    _, idea = adopted
    calls = len(hub.calls)
    alice_client.post(_review(team, idea), {"decision": "drop"})
    alice_client.post(_review(team, own_idea), {"decision": "keep"})
    assert len(hub.calls) == calls


def test_someone_outside_the_team_cannot_adopt_and_the_hub_counts_nothing(
    hub, team, other_team, charlie
):
    join(team)
    join(other_team)
    public_id = services.practice_publish(team=other_team, by=charlie, source="idea-9", **TEXT)
    assert not Membership.objects.filter(team=team, user=charlie).exists()
    with pytest.raises(services.BrickError, match="member"):
        services.practice_adopt(team=team, by=charlie, public_id=public_id)
    assert not Adoption.objects.exists()
