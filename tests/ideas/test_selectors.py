from __future__ import annotations

from datetime import timedelta

from ideas import selectors, services
from tests.ideas.conftest import NOW


def test_what_waits_for_a_member_is_one_query(
    team, idea, open_round, alice, bob, django_assert_num_queries
):
    with django_assert_num_queries(1):
        found = selectors.waiting(team=team, user=bob, now=NOW, today=NOW.date())
    assert [i.pk for i in found.rounds] == [idea.pk]
    assert found.rounds[0].awaiting == open_round.pk


def test_an_answered_or_closed_round_no_longer_waits(team, idea, open_round, alice, bob):
    services.answer_give(consent_round=open_round, by=bob, kind="consent", now=NOW)
    assert selectors.waiting(team=team, user=bob, now=NOW, today=NOW.date()).rounds == []
    later = open_round.closes_at + timedelta(seconds=1)  # closed by the rule, not yet recorded
    assert selectors.waiting(team=team, user=alice, now=later, today=later.date()).rounds == []


def test_a_trial_past_its_review_date_waits_for_review(team, idea, open_round, alice, bob):
    for member in (alice, bob):
        services.answer_give(consent_round=open_round, by=member, kind="consent", now=NOW)
    idea.refresh_from_db()
    due = idea.review_due
    assert selectors.waiting(team=team, user=alice, now=NOW, today=due).reviews == [idea]
    before = due - timedelta(days=1)
    assert selectors.waiting(team=team, user=alice, now=NOW, today=before).reviews == []


def test_a_round_past_its_time_reads_as_closed_before_it_is_recorded(idea, open_round, alice):
    later = open_round.closes_at + timedelta(minutes=1)
    page = selectors.idea_page(idea=idea, user=alice, facilitators={alice.pk}, now=later)
    assert not page.current.is_open
    assert page.current.closed.reason == "time"
