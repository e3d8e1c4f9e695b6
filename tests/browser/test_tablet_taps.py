"""A nurse's day on a landscape tablet, counted in taps.

Every tap the test makes goes through one ``Taps`` helper; typing into a field counts the tap
that focuses it. Each page visited is checked with axe (WCAG 2.2 AA and heading order).
"""

from __future__ import annotations

from datetime import time

import pytest

from caseload.models import Handover, TimeEntry, Visit, VisitStatus
from tests.browser.conftest import AXE, axe_violations, log_in
from tests.factories import (
    PASSWORD,
    ClientFactory,
    InterventionFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

LANDSCAPE = {"viewport": {"width": 1180, "height": 820}, "has_touch": True}
TODAY = "/t/riverside/today/"


class Taps:
    """Make and count every tap on one page."""

    def __init__(self, page) -> None:
        self.page = page
        self.count = 0

    def tap(self, locator) -> None:
        self.count += 1
        locator.click()

    def type(self, locator, text: str) -> None:
        """Tap a field to focus it, then type."""
        self.tap(locator)
        locator.fill(text)

    def choose(self, select, label: str) -> None:
        """Open a select and tap one option: two taps."""
        self.count += 2
        select.select_option(label=label)


class Checked:
    """Collect axe's findings for each page visited."""

    def __init__(self) -> None:
        self.found: dict[str, list] = {}

    def __call__(self, page, name: str) -> None:
        page.wait_for_load_state()
        found = axe_violations(page) + _heading_order(page)
        if found:
            self.found[name] = found


def _heading_order(page) -> list[dict]:
    page.evaluate(AXE.read_text())
    return page.evaluate(
        """async () => (await axe.run(document, {runOnly: {type: 'rule',
            values: ['heading-order']}})).violations.map(v => ({id: v.id}))"""
    )


@pytest.fixture
def day(world):
    """Alice's two visits today (Edna, then Frank), before Playwright starts."""
    team, alice = world["team"], world["alice"]
    edna = ClientFactory(team=team, name="Edna Walker", primary_nurse=alice)
    dressing = InterventionFactory(care_problem__client=edna, description="Dress the heel ulcer")
    InterventionFactory(care_problem=dressing.care_problem, description="Check the skin")
    first = VisitFactory(client=edna, assigned_to=alice, planned_minutes=25)
    first.interventions.set([dressing])
    frank = ClientFactory(team=team, name="Frank Hall")
    later = VisitFactory(
        client=frank, assigned_to=alice, window_start=time(14), window_end=time(15)
    )
    return {"edna": edna, "first": first, "later": later, "frank": frank}


@pytest.fixture
def checked():
    check = Checked()
    yield check
    assert check.found == {}


def _alice(browser, server_url):
    page = browser.new_context(**LANDSCAPE).new_page()
    log_in(page, server_url, "alice@example.org", PASSWORD)
    return page


def test_todays_visits_show_after_logging_in_with_no_tap(day, browser, server_url, world, checked):
    page = _alice(browser, server_url)
    taps = Taps(page)
    assert page.url.endswith(TODAY)
    assert page.locator(f"#visit-{day['first'].pk}").is_visible()
    checked(page, "today")
    assert taps.count == 0


def test_done_as_planned_is_one_tap_and_the_next_visit_stays_in_view(
    day, browser, server_url, world, checked
):
    page = _alice(browser, server_url)
    page.wait_for_selector("body[data-live-state=open]")
    taps = Taps(page)
    card = page.locator(f"#visit-{day['first'].pk}")
    taps.tap(card.get_by_role("button", name="Done as planned"))
    page.wait_for_url(f"**#visit-{day['later'].pk}")
    page.get_by_text("recorded as planned").wait_for()
    box = page.locator(f"#visit-{day['later'].pk}").bounding_box()
    assert 0 <= box["y"] < LANDSCAPE["viewport"]["height"]
    assert Visit.objects.get(pk=day["first"].pk).status == VisitStatus.DONE
    checked(page, "today after done")
    assert taps.count == 1


def test_the_common_record_fits_one_landscape_screen_with_save_in_view(
    day, browser, server_url, world, checked
):
    page = _alice(browser, server_url)
    page.goto(f"{server_url}/t/riverside/visits/{day['first'].pk}/")
    save = page.get_by_role("button", name="Save visit record").bounding_box()
    assert save["y"] + save["height"] <= LANDSCAPE["viewport"]["height"]
    checked(page, "record visit")


def test_a_visit_with_other_minutes_an_intervention_and_a_note_takes_five_taps(
    day, browser, server_url, world, checked
):
    page = _alice(browser, server_url)
    taps = Taps(page)
    taps.tap(page.locator(f"#visit-{day['first'].pk}").get_by_role("link", name="Record details"))
    page.get_by_role("heading", name="Visit to Edna Walker").wait_for()
    taps.type(page.get_by_label("Minutes with the client"), "40")
    taps.tap(page.get_by_label("Check the skin"))
    taps.type(page.get_by_label("Note (optional)"), "Heel healing well")
    taps.tap(page.get_by_role("button", name="Save visit record"))
    page.get_by_text("Visit to Edna Walker recorded").wait_for()
    record = Visit.objects.get(pk=day["first"].pk).record
    assert record.actual_minutes == 40
    assert {i.description for i in record.interventions_done.all()} == {
        "Dress the heel ulcer",
        "Check the skin",
    }
    checked(page, "today after recording")
    assert taps.count <= 5


def test_time_that_was_not_a_visit_takes_three_taps_on_the_time_page(
    day, browser, server_url, world, checked
):
    page = _alice(browser, server_url)
    page.goto(f"{server_url}/t/riverside/time/")
    checked(page, "time")
    taps = Taps(page)
    taps.tap(page.get_by_label("Training"))
    taps.type(page.get_by_label("Minutes", exact=True), "45")
    taps.tap(page.get_by_role("button", name="Add time"))
    page.get_by_text("Time added").wait_for()
    entry = TimeEntry.objects.get(member=world["alice"], visit_record__isnull=True)
    assert (entry.category, entry.minutes) == ("training", 45)
    assert taps.count <= 3


def test_a_handover_takes_four_taps_and_reaches_a_colleagues_today_and_menu_live(
    day, browser, server_url, world, checked
):
    bob = browser.new_context(**LANDSCAPE).new_page()
    log_in(bob, server_url, "bob@example.org", PASSWORD)
    bob.wait_for_selector("body[data-live-state=open]")
    assert bob.locator("#handover-count .patch-count").count() == 0

    page = _alice(browser, server_url)
    page.goto(f"{server_url}/t/riverside/handovers/")
    checked(page, "handovers")
    taps = Taps(page)
    taps.type(page.get_by_label("Handover"), "Frank's son will let you in")
    taps.choose(page.get_by_label("About"), "Frank Hall, born 17 May 1940, LS1 4AP")
    taps.tap(page.get_by_role("button", name="Send handover"))
    page.get_by_text("Your handover was sent").wait_for()
    assert Handover.objects.get().client == day["frank"]
    assert taps.count <= 4

    bob.locator("#handover-count .patch-count", has_text="1").wait_for(timeout=10_000)
    bob.get_by_text("Frank's son will let you in").wait_for(timeout=10_000)
    checked(bob, "colleague's today with a handover")
