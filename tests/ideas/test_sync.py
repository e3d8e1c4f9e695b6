"""Answering a round and commenting through the outbox (docs/sync-protocol.md)."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseload.sync import needs_attention, schema
from ideas import services
from ideas.models import Answer, Comment
from tests.caseload.syncing import DEVICE, mutation, post_body, sync


@pytest.fixture
def consent_round(team, alice):
    idea = services.idea_propose(team=team, author=alice, problem="P", proposal="Q", benefit="B")
    return services.round_open(
        idea=idea, by=alice, closes_at=timezone.now() + timedelta(days=1), trial_weeks=4
    )


def test_the_kinds_are_published_with_their_live_event():
    kinds = schema.published()["kinds"]
    assert kinds["idea.answer"]["event"] == "idea-changed"
    assert set(kinds["idea.comment"]["fields"]) == {"idea", "text"}


def test_an_answer_through_the_outbox_is_applied_once(team, alice, alice_client, consent_round):
    item = mutation("idea.answer", consent_round.pk, answer="concern", text="Lunch.")
    assert sync(alice_client, team, item)[0]["status"] == "applied"
    assert sync(alice_client, team, item)[0]["status"] == "duplicate"
    answer = Answer.objects.get()
    assert (answer.member, answer.kind, answer.text) == (alice, "concern", "Lunch.")


def test_an_answer_arriving_after_the_close_is_rejected_with_the_reason_and_kept(
    team, alice, alice_client, consent_round
):
    type(consent_round).objects.filter(pk=consent_round.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    result = sync(alice_client, team, mutation("idea.answer", consent_round.pk, answer="consent"))
    assert result[0]["status"] == "rejected"
    assert "closed" in result[0]["reason"]
    assert Answer.objects.get().late  # kept, shown as late
    assert needs_attention(team=team, author=alice).count() == 1
    page = alice_client.get(reverse("caseload:sync_attention", kwargs={"team_slug": team.slug}))
    assert "closed" in page.content.decode()


def test_a_comment_through_the_outbox_uses_the_device_id(team, alice_client, consent_round):
    target = uuid.uuid4()
    item = mutation("idea.comment", target, idea=str(consent_round.idea_id), text="Good idea")
    assert sync(alice_client, team, item)[0]["status"] == "applied"
    assert Comment.objects.get().pk == target


def test_a_round_of_another_team_is_rejected(team, other_team, charlie, alice_client):
    idea = services.idea_propose(
        team=other_team, author=charlie, problem="P", proposal="Q", benefit="B"
    )
    theirs = services.round_open(
        idea=idea, by=charlie, closes_at=timezone.now() + timedelta(days=1), trial_weeks=4
    )
    result = sync(alice_client, team, mutation("idea.answer", theirs.pk, answer="consent"))
    assert result[0]["status"] == "rejected"
    assert Answer.objects.count() == 0


JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.text(max_size=30),
    st.just("\x00"),
    st.just("x" * 20_000),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    kind=st.sampled_from(["idea.answer", "idea.comment"]),
    fields=st.dictionaries(st.sampled_from(["answer", "text", "idea"]), JUNK, max_size=3),
    target=st.one_of(JUNK, st.just("round")),
)
def test_malformed_fields_get_an_outcome_never_a_server_error(
    kind, fields, target, team, alice_client, consent_round
):
    item = mutation(kind, consent_round.pk if target == "round" else "x", **fields)
    item["target"] = str(consent_round.pk) if target == "round" else target
    body = json.dumps({"device": DEVICE, "mutations": [item]})
    response = post_body(alice_client, team, body)
    assert response.status_code == 200
    assert response.json()["results"][0]["status"] in {"applied", "duplicate", "rejected"}
