"""The main pages on a 10-inch tablet, landscape (1180 x 820) and portrait (820 x 1180), on the
seeded demo: every tappable thing is at least 44 x 44 px, no page scrolls sideways, and axe
finds no WCAG 2.2 AA violation.

The demo is seeded once for the module and each page is measured once per orientation; each
test then asserts one property of one page.
"""

from __future__ import annotations

import os
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from caseload.models import OmahaProblem, OmahaTarget, Visit
from caseload.omaha import load_reference_data
from rota.models import PeriodStatus, RotaPeriod
from teams.models import Team
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, axe_violations, log_in

# The tests only read what the module's fixture measured; the mark makes pytest-django set up
# the test database for that fixture.
pytestmark = pytest.mark.django_db

EXAMPLE_NURSE = "amara@riverside.example"
DEMO_PASSWORD = "patch-demo-2026"  # noqa: S105 - the demo's published password
VIEWPORTS = {"landscape": (1180, 820), "portrait": (820, 1180)}
PAGES = [
    "today",
    "client",
    "visit record",
    "board",
    "handovers",
    "time",
    "clients",
    "team",
    "rota periods",
    "rota grid",
    "published rota",
    "swaps",
    "leave and requests",
    "set-up",
    "insights",
    "my week",
    "pulse",
]

# Every visible link, button, summary, select, checkbox and radio smaller than 44 x 44 px. A
# link is inline, and so excepted (WCAG 2.5.8's inline exception), when the block it flows in
# has text of its own besides links and separators: a link inside a sentence cannot grow
# without spreading the sentence's lines apart.
MEASURE_TARGETS = """() => {
  const tappable = 'a[href], button, summary, select, input[type=submit], input[type=button], '
    + 'input[type=checkbox], input[type=radio], [role=button]';
  const isInline = (el) => getComputedStyle(el).display === 'inline';
  // The text that flows on the block's own lines: its text nodes and those of inline elements
  // that are neither tappable nor visually hidden.
  const flowingText = (node) => [...node.childNodes].map(child => {
    if (child.nodeType === Node.TEXT_NODE) return child.textContent;
    if (child.nodeType !== Node.ELEMENT_NODE || !isInline(child)) return '';
    if (child.matches(tappable) || child.matches('.govuk-visually-hidden')) return '';
    return flowingText(child);
  }).join('');
  const inSentence = (link) => {
    let block = link.parentElement;
    while (isInline(block)) block = block.parentElement;
    return flowingText(block).replace(/[\\s·|,]/g, '').length > 0;
  };
  return [...document.querySelectorAll(tappable)].flatMap(el => {
    const box = el.getBoundingClientRect();
    if (!el.checkVisibility({visibilityProperty: true}) || box.width <= 1 || box.height <= 1) {
      return [];
    }
    if (box.width >= 44 && box.height >= 44) return [];
    if (el.tagName === 'A' && inSentence(el)) return [];
    const name = (el.innerText || el.getAttribute('aria-label') || el.name || '').trim();
    return [`${el.tagName.toLowerCase()} "${name.slice(0, 40)}" ${Math.round(box.width)}x`
      + `${Math.round(box.height)}`];
  });
}"""


def _paths() -> dict[str, str]:
    """Find the demo's example pages: the example nurse's first visit today, the rotas."""
    team = Team.objects.get(slug="riverside")
    slug = {"team_slug": team.slug}
    visit = (
        Visit.objects.for_team(team)
        .filter(assigned_to__email=EXAMPLE_NURSE, date=timezone.localdate())
        .first()
    )
    draft = RotaPeriod.objects.for_team(team).filter(status=PeriodStatus.DRAFT).first()
    published = (
        RotaPeriod.objects.for_team(team)
        .filter(status=PeriodStatus.PUBLISHED)
        .order_by("-start")
        .first()
    )
    return {
        "today": reverse("caseload:today", kwargs=slug),
        "client": reverse("caseload:client", kwargs={**slug, "client_id": visit.client_id}),
        "visit record": reverse("caseload:visit", kwargs={**slug, "visit_id": visit.pk}),
        "board": reverse("caseload:board", kwargs=slug),
        "handovers": reverse("caseload:handovers", kwargs=slug),
        "time": reverse("caseload:time", kwargs=slug),
        "clients": reverse("caseload:clients", kwargs=slug),
        "team": reverse("teams:team", kwargs=slug),
        "rota periods": reverse("rota:index", kwargs=slug),
        "rota grid": reverse("rota:period", kwargs={**slug, "period_id": draft.pk}),
        "published rota": reverse("rota:period", kwargs={**slug, "period_id": published.pk}),
        "swaps": reverse("rota:swaps", kwargs=slug),
        "leave and requests": reverse("rota:requests", kwargs=slug),
        "set-up": reverse("rota:setup", kwargs=slug),
        "insights": reverse("insights:team", kwargs=slug),
        "my week": reverse("insights:my_week", kwargs=slug),
        "pulse": reverse("insights:pulse", kwargs=slug),
    }


def _measure(page) -> dict:
    return {
        "small targets": page.evaluate(MEASURE_TARGETS),
        "overflow": page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth"),
        "axe": axe_violations(page),
    }


@pytest.fixture(scope="module")
def measured(server_url, django_db_blocker) -> dict[tuple[str, str], dict]:
    """Seed the demo, log in as the example nurse and measure every page in both orientations.

    The rows are removed again at the end, as a transactional test's are, and the Omaha
    reference data (which a transactional test's flush also removes) is put back.
    """
    from playwright.sync_api import sync_playwright

    results: dict[tuple[str, str], dict] = {}
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM runs beside Playwright's loop
    with django_db_blocker.unblock():
        load_reference_data(OmahaProblem, OmahaTarget)
        call_command("seed_demo", stdout=StringIO())
        paths = _paths()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for orientation, (width, height) in VIEWPORTS.items():
                    context = browser.new_context(
                        viewport={"width": width, "height": height}, has_touch=True
                    )
                    page = context.new_page()
                    log_in(page, server_url, EXAMPLE_NURSE, DEMO_PASSWORD)
                    for name, path in paths.items():
                        page.goto(f"{server_url}{path}")
                        page.wait_for_load_state("networkidle")
                        results[(name, orientation)] = _measure(page)
                    context.close()
                browser.close()
            yield results
        finally:
            call_command("flush", interactive=False, verbosity=0)
            load_reference_data(OmahaProblem, OmahaTarget)
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


CASES = [
    pytest.param(name, orientation, id=f"{name}-{orientation}")
    for name in PAGES
    for orientation in VIEWPORTS
]


@pytest.mark.parametrize(("name", "orientation"), CASES)
def test_every_tappable_thing_is_at_least_44_px_square(measured, name, orientation):
    assert measured[(name, orientation)]["small targets"] == []


@pytest.mark.parametrize(("name", "orientation"), CASES)
def test_no_page_scrolls_sideways(measured, name, orientation):
    assert measured[(name, orientation)]["overflow"] <= 0


@pytest.mark.parametrize(("name", "orientation"), CASES)
def test_axe_finds_no_wcag_violation(measured, name, orientation):
    assert measured[(name, orientation)]["axe"] == []
