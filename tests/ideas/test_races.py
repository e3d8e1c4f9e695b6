"""Answers given at the same moment: the round row is locked, so each sees the other.

Row locks on PostgreSQL (``select_for_update``); serialised immediate transactions on SQLite.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from ideas import rules, services
from ideas.models import Answer, Status


def _together(*calls) -> list[str]:
    barrier = threading.Barrier(len(calls))
    outcomes = [""] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            outcomes[i] = "late" if call().late else "counted"
        except Exception as error:  # the test reports whatever happened
            outcomes[i] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_last_answers_at_once_both_count_and_close_the_round_once(team, alice, bob):
    idea = services.idea_propose(team=team, author=alice, problem="P", proposal="Q", benefit="B")
    consent_round = services.round_open(
        idea=idea, by=alice, closes_at=timezone.now() + timedelta(days=1), trial_weeks=4
    )
    outcomes = _together(
        lambda: services.answer_give(consent_round=consent_round, by=alice, kind="consent"),
        lambda: services.answer_give(
            consent_round=consent_round, by=bob, kind="objection", text="Not yet."
        ),
    )
    assert outcomes == ["counted", "counted"]
    consent_round.refresh_from_db()
    assert consent_round.outcome == rules.OBJECTION
    assert consent_round.close_reason == rules.EVERYONE
    assert Answer.objects.filter(round=consent_round, late=False).count() == 2
    idea.refresh_from_db()
    assert idea.status == Status.PROPOSED


@pytest.mark.django_db(transaction=True)
def test_one_member_answering_twice_at_once_keeps_one_answer(team, alice, bob):
    idea = services.idea_propose(team=team, author=alice, problem="P", proposal="Q", benefit="B")
    consent_round = services.round_open(
        idea=idea, by=alice, closes_at=timezone.now() + timedelta(days=1), trial_weeks=4
    )
    outcomes = _together(
        lambda: services.answer_give(consent_round=consent_round, by=bob, kind="consent"),
        lambda: services.answer_give(
            consent_round=consent_round, by=bob, kind="concern", text="Hm."
        ),
    )
    assert outcomes == ["counted", "counted"]
    assert Answer.objects.filter(round=consent_round, member=bob).count() == 1
