"""Two members decide an idea by consent in two browsers, live (docs/ideas.md)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from ideas import services
from ideas.models import Answer, Idea, Status
from tests.browser.conftest import axe_violations, log_in
from tests.browser.test_tablet_sweep import MEASURE_TARGETS
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def idea(world):
    return services.idea_propose(
        team=world["team"],
        author=world["alice"],
        problem="Handovers get lost between the early and the late shift.",
        proposal="A ten-minute huddle at 13:00 every day.",
        benefit="Fewer missed handovers.",
        metric="handovers_on_time",
    )


def _live(page, url):
    page.goto(url)
    page.wait_for_selector("body[data-live-state=open]")


def test_one_opens_a_round_the_other_consents_in_one_tap_and_both_see_the_outcome(
    idea, browser, tablet, server_url
):
    idea_url = f"{server_url}{idea.get_absolute_url()}"
    bob = browser.new_context(**tablet).new_page()
    log_in(bob, server_url, "bob@example.org", PASSWORD)
    _live(bob, f"{server_url}/t/riverside/")
    consent = bob.get_by_role("button", name=re.compile("I consent"))
    assert consent.count() == 0

    alice = browser.new_context(**tablet).new_page()
    log_in(alice, server_url, "alice@example.org", PASSWORD)
    _live(alice, idea_url)
    alice.get_by_role("link", name="Open a consent round").click()
    alice.get_by_role("button", name="Open the round").click()
    alice.wait_for_url(idea_url)
    alice.get_by_label("Consent", exact=True).check()
    alice.get_by_role("button", name="Send my answer").click()
    alice.get_by_text("Your answer was saved").first.wait_for()
    _live(alice, idea_url)

    consent.wait_for(timeout=10_000)  # the round reached bob's team page live
    taps = 0
    consent.click()
    taps += 1
    assert taps <= 2
    alice.locator("#idea-live").get_by_text("Consent: the team tries it").wait_for(timeout=10_000)
    assert Answer.objects.filter(member__email="bob@example.org", kind="consent").exists()
    assert Idea.objects.get(pk=idea.pk).status == Status.TRIAL
    _live(bob, idea_url)
    assert bob.locator("#idea-live").get_by_text("Consent: the team tries it").count() == 1


@pytest.mark.parametrize("width", [820, 1180])
def test_ideas_pages_fit_the_tablet_with_large_targets_and_no_wcag_violation(
    idea, world, browser, server_url, width
):
    consent_round = services.round_open(
        idea=idea, by=world["alice"], closes_at=timezone.now() + timedelta(days=2), trial_weeks=4
    )
    services.answer_give(
        consent_round=consent_round, by=world["bob"], kind="concern", text="Lunch breaks."
    )
    page = browser.new_context(viewport={"width": width, "height": 1000}, has_touch=True).new_page()
    log_in(page, server_url, "alice@example.org", PASSWORD)
    for path in (
        "/t/riverside/ideas/",
        idea.get_absolute_url(),
        "/t/riverside/ideas/decisions/?q=huddle",
        "/t/riverside/ideas/propose/",
        "/t/riverside/",
    ):
        page.goto(f"{server_url}{path}")
        page.wait_for_load_state("networkidle")
        assert page.evaluate(MEASURE_TARGETS) == [], path
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        assert axe_violations(page) == [], path


def test_an_answer_sent_offline_after_the_round_closed_needs_attention(
    idea, world, browser, tablet, server_url
):
    consent_round = services.round_open(
        idea=idea, by=world["alice"], closes_at=timezone.now() + timedelta(days=2), trial_weeks=4
    )
    context = browser.new_context(**tablet)
    bob = context.new_page()
    log_in(bob, server_url, "bob@example.org", PASSWORD)
    bob.goto(f"{server_url}{idea.get_absolute_url()}")
    bob.wait_for_selector("#outbox-status:not([hidden])")
    context.set_offline(True)
    context.route("**/*", lambda route: route.abort("internetdisconnected"))
    bob.get_by_label("Objection", exact=True).check()
    bob.get_by_label("Your concern, or the reason for your objection").fill("Not on Fridays.")
    bob.get_by_role("button", name="Send my answer").click()
    bob.locator("#outbox-status").get_by_text("1 change waiting to be sent").wait_for()
    type(consent_round).objects.filter(pk=consent_round.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    context.unroute("**/*")
    context.set_offline(False)
    link = bob.get_by_role("link", name="See what needs your attention")
    link.wait_for(timeout=20_000)
    answer = Answer.objects.get(member=world["bob"])
    assert answer.late and answer.text == "Not on Fridays."
    bob.goto(f"{server_url}{link.get_attribute('href')}")
    assert bob.get_by_text(re.compile("does not count")).count() >= 1
