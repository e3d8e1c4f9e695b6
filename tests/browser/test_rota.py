from __future__ import annotations

import re
from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from rota import services
from tests.browser.conftest import axe_violations, log_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

START = date(2026, 3, 2)


@pytest.fixture
def rota_world(world):
    """A draft rota for Riverside with a Late for Alice; made before Playwright starts."""
    team, alice = world["team"], world["alice"]
    early = services.shift_type_save(
        team=team, by=alice, name="Early", start=time(7, 0), end=time(15, 0), colour="blue"
    )
    late = services.shift_type_save(
        team=team, by=alice, name="Late", start=time(14, 0), end=time(22, 0), colour="green"
    )
    needs = [
        services.cover_need_save(
            team=team, by=alice, shift_type=early, weekday=weekday, minimum=1, preferred=1
        )
        for weekday in range(7)
    ]
    period = services.period_create(team=team, by=alice, start=START, days=14)
    services.assignment_set(period=period, user=alice, day=START, shift_type=late, by=alice)
    return {**world, "period": period, "early": early, "need": needs[0]}


def test_editing_the_grid_shows_a_rule_violation_and_the_page_passes_axe(
    rota_world, browser, tablet, server_url
):
    page = browser.new_page(**tablet)
    log_in(page, server_url, "alice@example.org", PASSWORD)
    page.goto(f"{server_url}/t/riverside/rota/periods/{rota_world['period'].pk}/")
    grid = page.get_by_role("region", name="Shifts from 2 March to 15 March 2026")
    assert grid.is_visible()
    assert page.locator("#rota-violations").get_by_text("No rule is broken.").is_visible()

    day_two = (START + timedelta(days=1)).strftime("%A %-d %B")
    page.get_by_label(f"Alice Adams, {day_two}").select_option(label="Early")
    page.locator("#rota-violations").get_by_text("Minimum rest between shifts").wait_for(
        timeout=10_000
    )
    assert page.get_by_label(f"Alice Adams, {day_two}").input_value() == str(rota_world["early"].pk)
    assert axe_violations(page) == []


def test_the_other_rota_pages_pass_axe(rota_world, browser, tablet, server_url):
    page = browser.new_page(**tablet)
    log_in(page, server_url, "alice@example.org", PASSWORD)
    early, need = rota_world["early"], rota_world["need"]
    for path in (
        "",
        "setup/",
        f"setup/shift-types/{early.pk}/",
        f"setup/shift-types/{early.pk}/remove/",
        f"setup/cover/{need.pk}/",
        "requests/",
        "swaps/",
        "calendar/",
        f"periods/{rota_world['period'].pk}/reopen/",
    ):
        page.goto(f"{server_url}/t/riverside/rota/{path}")
        assert axe_violations(page) == [], path


def test_a_colleagues_set_up_change_appears_live_and_keeps_what_is_being_typed(
    rota_world, browser, tablet, server_url
):
    setup_url = f"{server_url}/t/riverside/rota/setup/"
    bob = browser.new_context(**tablet).new_page()
    log_in(bob, server_url, "bob@example.org", PASSWORD)
    bob.goto(setup_url)
    bob.wait_for_selector("body[data-live-state=open]")
    bob.get_by_label("Skill", exact=True).fill("Prescri")

    alice = browser.new_context(**tablet).new_page()
    log_in(alice, server_url, "alice@example.org", PASSWORD)
    alice.goto(setup_url)
    alice.get_by_label("Skill", exact=True).fill("Wound care")
    alice.get_by_role("button", name="Add skill").click()
    alice.locator("#setup-skills dt", has_text="Wound care").wait_for()

    bob.locator("#setup-skills dt", has_text="Wound care").wait_for(timeout=10_000)
    assert bob.get_by_label("Skill", exact=True).input_value() == "Prescri"


def test_a_colleagues_edit_on_a_draft_appears_live_and_a_stale_edit_is_refused(
    rota_world, browser, tablet, server_url
):
    period_url = f"{server_url}/t/riverside/rota/periods/{rota_world['period'].pk}/"
    day_two = (START + timedelta(days=1)).strftime("%A %-d %B")
    day_three = (START + timedelta(days=2)).strftime("%A %-d %B")
    early = str(rota_world["early"].pk)

    bob = browser.new_context(**tablet).new_page()
    log_in(bob, server_url, "bob@example.org", PASSWORD)
    bob.goto(period_url)
    bob.wait_for_selector("body[data-live-state=open]")
    bob.get_by_label(f"Alice Adams, {day_three}").focus()  # Bob is about to change this cell

    alice = browser.new_context(**tablet).new_page()
    log_in(alice, server_url, "alice@example.org", PASSWORD)
    alice.goto(period_url)
    alice.get_by_label(f"Alice Adams, {day_two}").select_option(label="Early")
    alice.locator("#rota-violations").get_by_text("Minimum rest between shifts").wait_for()
    alice.get_by_label(f"Alice Adams, {day_three}").select_option(label="Early")
    alice.get_by_label(f"Bob Brown, {day_two}").select_option(label="Early")

    # Bob's own row and the rules panel follow at once; Alice's row, where Bob's focus is, waits.
    bob.locator("#rota-violations").get_by_text("Minimum rest between shifts").wait_for(
        timeout=10_000
    )
    bob.wait_for_function(
        "([label, value]) => document.querySelector(`select[aria-label='${label}']`).value"
        " === value",
        arg=[f"Bob Brown, {day_two}", early],
        timeout=10_000,
    )
    assert bob.get_by_label(f"Alice Adams, {day_three}").input_value() == ""
    bob.get_by_label(f"Alice Adams, {day_three}").select_option(label="Late")
    bob.locator("#rota-violations").get_by_text("someone changed this shift to Early").wait_for(
        timeout=10_000
    )
    assert bob.get_by_label(f"Alice Adams, {day_three}").input_value() == early
    assert bob.get_by_label(f"Alice Adams, {day_two}").input_value() == early


@pytest.fixture
def next_week(world) -> date:
    """Alice works an Early a week from today; made before Playwright starts."""
    team, alice = world["team"], world["alice"]
    early = services.shift_type_save(
        team=team, by=alice, name="Early", start=time(7, 0), end=time(15, 0), colour="blue"
    )
    day = timezone.localdate() + timedelta(days=7)
    period = services.period_create(team=team, by=alice, start=day, days=7)
    services.assignment_set(period=period, user=alice, day=day, shift_type=early, by=alice)
    return day


def test_offering_a_shift_takes_two_taps_from_the_rota_and_can_be_withdrawn(
    next_week, browser, tablet, server_url
):
    page = browser.new_page(**tablet)
    log_in(page, server_url, "alice@example.org", PASSWORD)
    page.goto(f"{server_url}/t/riverside/rota/")

    taps = 0
    page.get_by_role("link", name="Swaps and open shifts").click()
    taps += 1
    page.get_by_role("button", name=f"Offer Early on {next_week:%-d %B}", exact=True).click()
    taps += 1
    page.get_by_text("Your shift is on offer.").wait_for()
    assert taps <= 3
    assert (
        page.get_by_role("button", name=f"Offer Early on {next_week:%-d %B}", exact=True).count()
        == 0
    )
    assert axe_violations(page) == []

    page.get_by_role("button", name=f"Withdraw offer Early on {next_week:%-d %B}").first.click()
    page.get_by_text("You withdrew your offer.").wait_for()
    assert page.get_by_role(
        "button", name=f"Offer Early on {next_week:%-d %B}", exact=True
    ).is_visible()


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.fixture
def four_weeks(rota_world):
    """An empty four-week draft, wider than any tablet; made before Playwright starts."""
    team, alice = rota_world["team"], rota_world["alice"]
    return services.period_create(team=team, by=alice, start=START + timedelta(days=28))


@pytest.mark.parametrize("width", [820, 1180])
def test_the_page_never_scrolls_sideways_only_the_grid_does(four_weeks, browser, server_url, width):
    period = four_weeks
    page = browser.new_page(viewport={"width": width, "height": 1280}, has_touch=True)
    log_in(page, server_url, "alice@example.org", PASSWORD)
    url = f"{server_url}/t/riverside/rota/periods/{period.pk}/"
    page.goto(url)
    assert page.locator(".rota-scroll").first.evaluate("e => e.scrollWidth > e.clientWidth")
    assert _page_width(page) <= width, "draft grid"
    page.get_by_role("button", name="Publish rota").click()
    page.get_by_text("The rota is published.").wait_for()
    assert _page_width(page) <= width, "published rota"


def test_copying_the_calendar_link_says_copied(world, browser, tablet, server_url):
    context = browser.new_context(**tablet, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    log_in(page, server_url, "alice@example.org", PASSWORD)
    page.goto(f"{server_url}/t/riverside/rota/calendar/")
    page.get_by_role("button", name="Make my calendar link").click()
    copy = page.get_by_role("button", name="Copy link")
    copy.wait_for()  # the page after the link is made, its script run: not the one before
    page.wait_for_load_state("load")
    link = page.locator("#rota-feed-link").inner_text()
    copy.click()
    # Headless chromium on a loaded machine sometimes refuses the clipboard; the page must
    # then say so (and leave the link selected) rather than stay silent.
    status = page.locator("#rota-copy-status")
    status.filter(has_text=re.compile("Copied|Could not copy")).wait_for()
    if "Copied" in status.inner_text():
        assert page.evaluate("navigator.clipboard.readText()") == link
    add = page.get_by_role("link", name="Add to my calendar")
    assert add.get_attribute("href") == link.replace("http://", "webcal://", 1)
    assert axe_violations(page) == []
