"""Publishing a practice (refused with the words before anything leaves) and adopting one."""

from __future__ import annotations

import pytest

from commons.practices.models import Adoption, Practice
from ideas.bricks import services
from teams.models import AuditEvent
from tests.factories import ClientFactory
from tests.ideas.bricks.conftest import join

TEXT = {
    "title": "A shorter morning huddle",
    "problem": "The morning huddle took 40 minutes and visits started late.",
    "practice": "We cut the huddle to 15 minutes with a written list of risks.",
    "trial_weeks": 8,
    "metric": "frontline_share",
    "before": 0.48,
    "after": 0.55,
    "weeks_before": 6,
    "weeks_after": 6,
}


def publish(team, by, **changes) -> str:
    return services.practice_publish(team=team, by=by, source="idea-1", **(TEXT | changes))


def test_a_practice_is_published_and_the_attempt_recorded_before_it_goes(hub, team, alice):
    join(team)
    public_id = publish(team, alice)
    assert Practice.objects.get().public_id == public_id
    actions = list(
        AuditEvent.objects.filter(team=team).order_by("pk").values_list("action", flat=True)
    )
    assert actions[-3:] == ["practice.check", "practice.publish", "practice.published"]


def test_publishing_the_same_idea_again_revises_it(hub, team, alice):
    join(team)
    first = publish(team, alice)
    assert publish(team, alice, title="A 15-minute huddle") == first
    assert Practice.objects.get().revision == 2


def test_a_member_or_client_name_is_refused_with_the_words_before_anything_leaves(
    hub, team, alice, bob
):
    join(team)
    ClientFactory(team=team, name="Margaret Okonkwo", preferred_name="Peggy")
    with pytest.raises(services.PersonalData) as refused:
        publish(
            team, alice,
            problem="Bob and Mrs Okonkwo waited for the huddle.",
            practice="Peggy now gets her visit first, said brown.",
        )  # fmt: skip
    found = {field: [f.words for f in findings] for field, findings in refused.value.found.items()}
    assert found == {"problem": ["Bob", "Okonkwo"], "practice": ["Peggy", "brown"]}
    assert hub.calls == []
    assert not Practice.objects.exists()
    assert not AuditEvent.objects.filter(action="practice.publish").exists()


def test_an_nhs_number_is_refused_before_anything_leaves(hub, team, alice):
    join(team)
    with pytest.raises(services.PersonalData) as refused:
        publish(team, alice, practice="Checked 943 476 5919 first.")
    assert [f.words for f in refused.value.found["practice"]] == ["943 476 5919"]
    assert hub.calls == []


def test_a_team_that_has_not_joined_cannot_publish_or_adopt(hub, team, alice):
    with pytest.raises(services.BrickError):
        publish(team, alice)
    with pytest.raises(services.BrickError):
        services.practice_adopt(team=team, by=alice, public_id="p-000000000000")
    assert hub.calls == []


def test_an_unreachable_hub_is_said_in_plain_words_and_recorded(hub, team, alice):
    join(team)
    hub.down = True
    with pytest.raises(services.BrickError, match="could not be reached"):
        publish(team, alice)
    assert AuditEvent.objects.filter(action="practice.publish_failed").exists()


def test_adopting_counts_at_the_hub_and_proposes_on_the_board_with_provenance(
    hub, board, team, alice, other_team, charlie
):
    join(team)
    join(other_team)
    public_id = publish(team, alice)
    idea = services.practice_adopt(team=other_team, by=charlie, public_id=public_id)
    assert Adoption.objects.filter(practice__public_id=public_id).count() == 1
    assert board.proposed == [
        {
            "team": other_team,
            "author": charlie,
            "problem": TEXT["problem"],
            "proposal": TEXT["practice"],
            "benefit": idea.benefit,
            "metric": "frontline",
            "provenance": f"http://hub.test/commons/practices/{public_id}/",
        }
    ]
    assert "0.48" in idea.benefit and "0.55" in idea.benefit
    assert AuditEvent.objects.filter(team=other_team, action="practice.adopt").exists()


def test_a_team_cannot_adopt_its_own_practice(hub, board, team, alice):
    join(team)
    public_id = publish(team, alice)
    with pytest.raises(services.BrickError, match="own practice"):
        services.practice_adopt(team=team, by=alice, public_id=public_id)
    assert board.proposed == []


def test_adopting_a_practice_the_hub_does_not_have_proposes_nothing(hub, board, team, alice):
    join(team)
    with pytest.raises(services.BrickError, match="no practice"):
        services.practice_adopt(team=team, by=alice, public_id="p-000000000000")
    assert board.proposed == []


def test_an_adopting_team_reports_its_effect(hub, board, team, alice, other_team, charlie):
    join(team)
    join(other_team)
    public_id = publish(team, alice)
    services.practice_adopt(team=other_team, by=charlie, public_id=public_id)
    services.effect_report(
        team=other_team, by=charlie, public_id=public_id, before=0.4, after=0.5,
        weeks_before=4, weeks_after=4,
    )  # fmt: skip
    assert Adoption.objects.get().effect.after == 0.5
