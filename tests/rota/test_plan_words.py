from __future__ import annotations

import pytest
from django.urls import reverse

from rota.models import PlanRun, PlanStatus
from rota.plan_words import issue_sentence, short_text, wishes_text
from tests.rota.factories import RotaPeriodFactory

SHORT = {"kind": "minimum", "shift": "Night", "day": "2026-03-03", "short": 2, "skill": None}
NURSE = {"kind": "skill", "shift": "Night", "day": "2026-03-03", "short": 1, "skill": "RN"}
PREFERRED = {"kind": "preferred", "shift": "Early", "day": "2026-03-04", "short": 1, "skill": None}
WISH_OFF = {"kind": "off_request", "person": "Bob Brown", "shift": "Late", "day": "2026-03-05"}
WISH_ON = {"kind": "on_request", "person": "Bob Brown", "shift": "Early", "day": "2026-03-06"}


@pytest.mark.parametrize(
    ("issue", "sentence"),
    [
        (SHORT, "Night on Tue 3 Mar still needs 2 more people."),
        ({**SHORT, "short": 1}, "Night on Tue 3 Mar still needs 1 more person."),
        (NURSE, "Night on Tue 3 Mar still needs someone with RN."),
        (PREFERRED, "Early on Wed 4 Mar has 1 person fewer than preferred."),
        (WISH_OFF, "Wish not met: Bob Brown asked not to work Late on Thu 5 Mar."),
        (WISH_ON, "Wish not met: Bob Brown asked to work Early on Fri 6 Mar."),
    ],
)
def test_each_issue_is_said_in_the_coordinators_words(issue, sentence):
    assert issue_sentence(issue) == sentence


def test_an_issue_saved_as_a_sentence_is_shown_as_it_is():
    assert issue_sentence("Bob Brown asked not to work Late on Thu 5 Mar") == (
        "Bob Brown asked not to work Late on Thu 5 Mar"
    )


@pytest.mark.parametrize(
    ("gaps", "text"),
    [
        (None, "–"),
        (0, "None: every shift has its minimum cover"),
        (1, "1 shift still needs people"),
        (3, "3 shifts still need people"),
    ],
)
def test_the_short_shifts_are_counted_in_words(gaps, text):
    assert short_text(gaps) == text


def test_only_unmet_wishes_count_as_wishes_not_met():
    assert wishes_text([SHORT, WISH_OFF, WISH_ON, "an old sentence"]) == "2 wishes not met"
    assert wishes_text([SHORT]) == "None"


def test_the_progress_panel_says_what_is_short_and_no_solver_jargon(alice_client, team, alice):
    period = RotaPeriodFactory(team=team)
    run = PlanRun.objects.create(
        team=team,
        period=period,
        requested_by=alice,
        status=PlanStatus.RUNNING,
        best_penalty=215,
        gaps=1,
        issues=[SHORT, WISH_OFF],
    )
    url = reverse("rota:plan_status", kwargs={"team_slug": team.slug, "run_id": run.pk})
    page = alice_client.get(url).content.decode()
    assert "1 shift still needs people" in page
    assert "1 wish not met" in page
    assert "Night on Tue 3 Mar still needs 2 more people." in page
    assert "penalty" not in page.lower()
    assert "215" not in page


def test_an_outsider_gets_404_for_the_progress_panel(charlie_client, team, alice):
    run = PlanRun.objects.create(team=team, period=RotaPeriodFactory(team=team), requested_by=alice)
    url = reverse("rota:plan_status", kwargs={"team_slug": team.slug, "run_id": run.pk})
    assert charlie_client.get(url).status_code == 404
