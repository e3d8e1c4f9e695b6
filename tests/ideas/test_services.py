from __future__ import annotations

from datetime import date, timedelta

import pytest

from ideas import rules, services
from ideas.models import Answer, ConsentRound, Idea, Status
from teams import services as team_services
from teams.models import AuditEvent
from tests.factories import MembershipFactory, UserFactory
from tests.ideas.conftest import NOW

LATER = NOW + timedelta(hours=1)


def _answer(consent_round, user, kind="consent", text="", now=LATER):
    return services.answer_give(consent_round=consent_round, by=user, kind=kind, text=text, now=now)


def _fresh(obj):
    obj.refresh_from_db()
    return obj


def test_propose_puts_a_proposed_idea_on_the_board_audited_and_live(
    team, alice, live_events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        idea = services.idea_propose(
            team=team, author=alice, problem="P", proposal="Do X\nthen Y", benefit="B"
        )
    assert idea.status == Status.PROPOSED
    assert idea.title == "Do X"
    assert AuditEvent.objects.filter(action="idea.propose", object_id=str(idea.pk)).exists()
    assert live_events == [{"type": "team.event", "event": "idea-changed", "idea": str(idea.pk)}]


def test_propose_keeps_where_an_adopted_practice_came_from(team, alice):
    idea = services.idea_propose(
        team=team,
        author=alice,
        problem="P",
        proposal="Q",
        benefit="B",
        provenance="Commons practice #12",
    )
    assert idea.provenance == "Commons practice #12"


def test_propose_refuses_a_metric_insights_does_not_have(team, alice):
    with pytest.raises(services.IdeaError):
        services.idea_propose(
            team=team, author=alice, problem="P", proposal="Q", benefit="B", metric="happiness"
        )


def test_an_outsider_cannot_propose(team, charlie):
    with pytest.raises(services.IdeaError):
        services.idea_propose(team=team, author=charlie, problem="P", proposal="Q", benefit="B")


def test_a_round_freezes_the_proposal_it_asks_about(idea, open_round):
    assert open_round.proposal == idea.proposal
    assert open_round.proposal_version == 1
    assert _fresh(idea).status == Status.ROUND


def test_only_the_facilitator_opens_a_round_once_the_team_has_one(team, idea, alice, bob):
    role = team_services.role_create(team=team, name="Facilitator", by=alice)
    team_services.role_hand_over(role=role, to_user=bob, by=alice)
    with pytest.raises(services.IdeaError, match="facilitator"):
        services.round_open(
            idea=idea, by=alice, closes_at=NOW + timedelta(days=1), trial_weeks=4, now=NOW
        )
    services.round_open(
        idea=idea, by=bob, closes_at=NOW + timedelta(days=1), trial_weeks=4, now=NOW
    )


def test_a_round_must_close_in_the_future(idea, alice):
    with pytest.raises(services.IdeaError):
        services.round_open(idea=idea, by=alice, closes_at=NOW, trial_weeks=4, now=NOW)


def test_answers_are_visible_by_name_and_changeable_until_the_close(open_round, alice, bob):
    _answer(open_round, alice, "concern", "Thirteen is lunch time.")
    _answer(open_round, alice, "consent")
    answers = list(Answer.objects.filter(round=open_round))
    assert [(a.member, a.kind) for a in answers] == [(alice, "consent")]


def test_a_concern_needs_its_text_and_an_objection_its_reason(open_round, alice):
    with pytest.raises(services.IdeaError):
        _answer(open_round, alice, "concern", "")
    with pytest.raises(services.IdeaError):
        _answer(open_round, alice, "objection", "  ")


def test_the_last_answer_closes_the_round_with_consent_and_starts_the_trial(
    idea, open_round, alice, bob
):
    _answer(open_round, alice, "consent")
    assert _fresh(open_round).closed_at is None
    _answer(open_round, bob, "concern", "Watch the lunch break.")
    consent_round = _fresh(open_round)
    assert (consent_round.closed_at, consent_round.close_reason) == (LATER, rules.EVERYONE)
    assert consent_round.outcome == rules.CONSENT  # a concern does not block
    idea = _fresh(idea)
    assert idea.status == Status.TRIAL
    assert idea.trial_started_on == date(2030, 3, 4)
    assert idea.review_due == date(2030, 3, 4) + timedelta(weeks=6)


def test_an_objection_blocks_and_returns_the_idea_for_amendment(idea, open_round, alice, bob):
    _answer(open_round, alice, "consent")
    _answer(open_round, bob, "objection", "Clashes with the GP round.")
    assert _fresh(open_round).outcome == rules.OBJECTION
    assert _fresh(idea).status == Status.PROPOSED


def test_an_objection_must_be_integrated_before_a_new_round(idea, open_round, alice, bob):
    _answer(open_round, alice, "consent")
    _answer(open_round, bob, "objection", "Clashes with the GP round.")
    with pytest.raises(services.IdeaError, match="amend"):
        services.round_open(
            idea=idea, by=alice, closes_at=LATER + timedelta(days=1), trial_weeks=6, now=LATER
        )
    services.idea_amend(
        idea=idea,
        by=alice,
        title="",
        problem=idea.problem,
        proposal="A ten-minute huddle at 14:00.",
        benefit=idea.benefit,
        now=LATER,
    )
    second = services.round_open(
        idea=idea, by=alice, closes_at=LATER + timedelta(days=1), trial_weeks=6, now=LATER
    )
    assert (second.number, second.proposal_version) == (2, 2)
    first = _fresh(open_round)
    assert first.proposal == "A ten-minute huddle at 13:00 every day."  # history kept
    assert list(ConsentRound.objects.filter(idea=idea).values_list("number", flat=True)) == [1, 2]


def test_a_round_cannot_be_amended_while_open(idea, open_round, alice):
    with pytest.raises(services.IdeaError):
        services.idea_amend(
            idea=idea, by=alice, title="", problem="P", proposal="Q", benefit="B", now=LATER
        )


def test_a_round_closes_at_its_time_recorded_by_the_next_write(idea, open_round, alice):
    _answer(open_round, alice, "consent")
    after = open_round.closes_at + timedelta(minutes=1)
    assert services.rounds_settle_due(team=idea.team, now=after) == 1
    consent_round = _fresh(open_round)
    assert (consent_round.closed_at, consent_round.close_reason) == (
        open_round.closes_at,
        rules.TIME,
    )
    assert consent_round.outcome == rules.CONSENT  # not answering is not objecting
    assert _fresh(idea).status == Status.TRIAL


def test_the_close_task_is_harmless_before_the_time(open_round):
    assert services.round_close_task.call(round_id=str(open_round.pk)) is False
    assert _fresh(open_round).closed_at is None


def test_an_answer_after_the_close_is_kept_as_a_late_answer(open_round, alice, bob):
    after = open_round.closes_at + timedelta(minutes=5)
    answer = _answer(open_round, bob, "objection", "Too late?", now=after)
    assert answer.late
    consent_round = _fresh(open_round)
    assert consent_round.closed_at == open_round.closes_at
    assert consent_round.outcome == rules.CONSENT  # the late objection does not count
    assert "closed" in services.late_reason(consent_round)
    assert AuditEvent.objects.filter(action="idea.answer_late").exists()


def test_a_member_who_leaves_mid_round_no_longer_counts(team, idea, open_round, alice, bob):
    carol = MembershipFactory(team=team, user=UserFactory(name="Carol Cole")).user
    _answer(open_round, bob, "objection", "No.")
    _answer(open_round, alice, "consent")
    team_services.member_leave(membership=bob.memberships.get(team=team), by=bob)
    assert _fresh(open_round).closed_at is None  # carol has not answered
    _answer(open_round, carol, "consent")
    consent_round = _fresh(open_round)
    assert consent_round.close_reason == rules.EVERYONE
    assert consent_round.outcome == rules.CONSENT  # bob's objection left with him


def test_a_leaver_who_was_the_last_unanswered_lets_the_round_close(
    team, idea, open_round, alice, bob
):
    _answer(open_round, alice, "consent")
    team_services.member_leave(membership=bob.memberships.get(team=team), by=bob)
    assert services.rounds_settle_due(team=team, now=LATER) == 1
    assert _fresh(open_round).close_reason == rules.EVERYONE


def test_a_former_member_cannot_answer(team, open_round, bob):
    team_services.member_leave(membership=bob.memberships.get(team=team), by=bob)
    with pytest.raises(services.IdeaError):
        _answer(open_round, bob, "consent")


def test_review_keep_adopts_change_reopens_drop_ends(team, idea, open_round, alice, bob):
    _answer(open_round, alice, "consent")
    _answer(open_round, bob, "consent")
    services.review_record(idea=idea, by=alice, decision="change", note="Shorter.")
    assert _fresh(idea).status == Status.PROPOSED
    services.idea_amend(
        idea=idea, by=alice, title="", problem="P", proposal="Five minutes.", benefit="B"
    )
    second = services.round_open(
        idea=idea, by=alice, closes_at=NOW + timedelta(days=30), trial_weeks=4, now=NOW
    )
    _answer(second, alice, "consent")
    _answer(second, bob, "consent")
    services.review_record(idea=idea, by=alice, decision="keep")
    assert _fresh(idea).status == Status.ADOPTED
    services.review_record(idea=idea, by=alice, decision="drop")
    assert _fresh(idea).status == Status.DROPPED


def test_a_proposed_idea_cannot_be_reviewed(idea, alice):
    with pytest.raises(services.IdeaError):
        services.review_record(idea=idea, by=alice, decision="keep")


def test_the_outcome_statement_can_change_the_trial_length(idea, open_round, alice, bob):
    _answer(open_round, alice, "consent")
    _answer(open_round, bob, "consent")
    services.outcome_record(idea=idea, by=alice, statement="Huddle daily at 13:00.", trial_weeks=2)
    idea = _fresh(idea)
    assert idea.outcome == "Huddle daily at 13:00."
    assert idea.review_due == idea.trial_started_on + timedelta(weeks=2)


def test_an_outcome_needs_a_closed_round(idea, alice):
    with pytest.raises(services.IdeaError):
        services.outcome_record(idea=idea, by=alice, statement="x")


def test_withdrawing_closes_the_open_round_and_a_later_answer_is_late(idea, open_round, alice, bob):
    services.idea_withdraw(idea=idea, by=alice, now=LATER)
    assert _fresh(idea).status == Status.WITHDRAWN
    assert _answer(open_round, bob, "consent", now=LATER).late


def test_only_the_author_or_facilitator_withdraws(team, idea, alice, bob):
    role = team_services.role_create(team=team, name="facilitator", by=alice)
    team_services.role_hand_over(role=role, to_user=alice, by=alice)
    with pytest.raises(services.IdeaError):
        services.idea_withdraw(idea=idea, by=bob)


def test_the_same_comment_id_twice_adds_one_comment(idea, bob):
    import uuid

    comment_id = uuid.uuid4()
    services.comment_add(idea=idea, by=bob, text="Yes!", comment_id=comment_id)
    services.comment_add(idea=idea, by=bob, text="Yes!", comment_id=comment_id)
    assert idea.comments.count() == 1


def test_ideas_of_another_team_are_not_in_the_board(idea, other_team):
    from ideas import selectors

    assert list(selectors.board(team=other_team)) == []
    assert Idea.objects.for_team(other_team).count() == 0
