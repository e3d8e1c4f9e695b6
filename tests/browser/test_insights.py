"""Insights on a tablet: figures that follow the work live, the client's question in one tap,
and a pulse that stays hidden until five have answered."""

from __future__ import annotations

import pytest

from insights import pvi
from insights.models import ClientAnswer
from insights.services import pulse_answer
from tests.browser.conftest import axe_violations, log_in
from tests.factories import PASSWORD, MembershipFactory, VisitFactory
from tests.rota.factories import ContractFactory

pytestmark = pytest.mark.django_db(transaction=True)

LANDSCAPE = {"viewport": {"width": 1180, "height": 820}, "has_touch": True}


def _page(browser, server_url, email):
    page = browser.new_context(**LANDSCAPE).new_page()
    log_in(page, server_url, email, PASSWORD)
    return page


def test_the_team_page_updates_live_when_a_colleague_records_time(world, browser, server_url):
    ContractFactory(team=world["team"], user=world["alice"])
    page = _page(browser, server_url, "alice@example.org")
    page.goto(f"{server_url}/t/riverside/insights/")
    page.wait_for_selector("body[data-live-state=open]")
    bob = _page(browser, server_url, "bob@example.org")
    bob.goto(f"{server_url}/t/riverside/time/")
    bob.get_by_label("Travel").check()
    bob.get_by_label("Minutes", exact=True).fill("90")
    bob.get_by_role("button", name="Add time").click()
    page.get_by_role("row", name="Travel").get_by_text("1.5").wait_for(timeout=20_000)
    assert axe_violations(page) == []


def test_the_client_answers_on_the_nurses_tablet_in_one_tap(world, browser, server_url):
    visit = VisitFactory(client__team=world["team"], assigned_to=world["alice"])
    page = _page(browser, server_url, "alice@example.org")
    page.goto(f"{server_url}/t/riverside/insights/visits/{visit.pk}/ask/")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Very good").click()  # the client's only tap
    page.get_by_text("Please hand the tablet back").wait_for()
    assert ClientAnswer.objects.get().rating == pvi.ClientRating.VERY_GOOD


def test_the_pulse_shows_results_only_from_the_fifth_answer(world, browser, server_url):
    team = world["team"]
    for _ in range(3):
        pulse_answer(team=team, member=MembershipFactory(team=team).user, answers=_all(4))
    page = _page(browser, server_url, "alice@example.org")
    page.goto(f"{server_url}/t/riverside/insights/pulse/")
    for _key, text in pvi.PULSE_ITEMS:
        page.get_by_role("group", name=str(text)).get_by_label("Agree", exact=True).check()
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_text("Not enough answers yet").wait_for()  # four have answered
    assert axe_violations(page) == []
    pulse_answer(team=team, member=world["bob"], answers=_all(5))
    page.reload()
    page.get_by_text("5 members answered").wait_for()


def _all(value: int) -> dict[str, int]:
    return dict.fromkeys(pvi.PULSE_KEYS, value)
