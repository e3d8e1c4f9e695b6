from __future__ import annotations

import pytest
from django.urls import reverse

from teams import services
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, axe_violations, log_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_member_logs_in_and_sees_her_team(browser, tablet, server_url, world):
    page = browser.new_page(**tablet)
    log_in(page, server_url, "ALICE@example.org", PASSWORD)
    page.get_by_role("link", name="Riverside Nursing").first.click()
    assert page.get_by_role("heading", name="Riverside Nursing").is_visible()
    assert page.get_by_role("list", name="Team members").get_by_text("Bob Brown").is_visible()


def test_teammate_coming_online_appears_live(browser, tablet, server_url, world):
    team_url = f"{server_url}/t/riverside/"
    alice = browser.new_context(**tablet).new_page()
    log_in(alice, server_url, "alice@example.org", PASSWORD)
    alice.goto(team_url)
    alice.wait_for_selector("body[data-live-state=open]")
    bob_row = alice.locator("#team-online li", has_text="Bob Brown")
    bob_row.get_by_text("Offline").wait_for()

    bob = browser.new_context(**tablet).new_page()
    log_in(bob, server_url, "bob@example.org", PASSWORD)
    bob.goto(team_url)
    bob_row.get_by_text("Online now").wait_for(timeout=20_000)

    bob.context.close()
    bob_row.get_by_text("Offline").wait_for(timeout=20_000)


def _wait_for_service_worker(page) -> None:
    """Wait until the page is controlled; a page loaded before activation may never be, and
    on a busy machine clients.claim() can lose that race, so reload once the worker is ready."""
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("() => navigator.serviceWorker.controller !== null"):
        page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20_000)


def test_navigation_offline_shows_the_offline_page(browser, tablet, server_url, world):
    context = browser.new_context(**tablet)
    page = context.new_page()
    log_in(page, server_url, "alice@example.org", PASSWORD)
    page.goto(f"{server_url}/t/riverside/")
    _wait_for_service_worker(page)
    context.set_offline(True)
    page.goto(f"{server_url}/t/riverside/members/")
    assert page.get_by_role("heading", name="You are offline").is_visible()


def test_a_fetch_offline_fails_instead_of_returning_html(browser, tablet, server_url, world):
    context = browser.new_context(**tablet)
    page = context.new_page()
    log_in(page, server_url, "alice@example.org", PASSWORD)
    page.goto(f"{server_url}/t/riverside/")
    _wait_for_service_worker(page)
    context.set_offline(True)
    outcome = page.evaluate(
        "() => fetch('/t/riverside/online/').then(r => 'response ' + r.status, e => 'failed')"
    )
    assert outcome == "failed"


def test_chromium_finds_patch_installable(playwright, server_url, world, tmp_path):
    context = playwright.chromium.launch_persistent_context(
        tmp_path / "profile", executable_path=CHROMIUM, args=CHROMIUM_ARGS
    )
    page = context.new_page()
    log_in(page, server_url, "alice@example.org", PASSWORD)
    _wait_for_service_worker(page)
    cdp = context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    context.close()
    assert errors == []


def test_every_page_built_so_far_has_no_wcag_violations(browser, tablet, server_url, world):
    team = world["team"]
    _, token = services.invitation_create(team=team, email="new@example.org", by=world["alice"])
    role = team.roles.get()
    anonymous = browser.new_context(**tablet).new_page()
    pages = {
        "log in": f"{server_url}{reverse('login')}",
        "password reset": f"{server_url}{reverse('password_reset')}",
        "invitation": f"{server_url}{reverse('invitation', kwargs={'token': token})}",
        "used invitation": f"{server_url}{reverse('invitation', kwargs={'token': 'nope'})}",
        "offline": f"{server_url}/offline/",
    }
    found = {}
    for name, url in pages.items():
        anonymous.goto(url)
        found[name] = axe_violations(anonymous)
    member = browser.new_context(**tablet).new_page()
    log_in(member, server_url, "alice@example.org", PASSWORD)
    slug = {"team_slug": team.slug}
    member_pages = {
        "your teams": reverse("home"),
        "team": reverse("teams:team", kwargs=slug),
        "members": reverse("teams:members", kwargs=slug),
        "roles": reverse("teams:roles", kwargs=slug),
        "hand over": reverse("teams:role_hand_over", kwargs={**slug, "role_id": role.pk}),
        "audit log": reverse("teams:audit", kwargs=slug),
        "record as left": reverse(
            "teams:member_leave",
            kwargs={**slug, "membership_id": world["bob"].memberships.get(team=team).pk},
        ),
        "not found": "/t/no-such-team/",
    }
    for name, path in member_pages.items():
        member.goto(f"{server_url}{path}")
        found[name] = axe_violations(member)
    member.set_viewport_size({"width": 1280, "height": 800})
    member.goto(f"{server_url}{reverse('teams:team', kwargs=slug)}")
    found["team, landscape"] = axe_violations(member)
    assert {name: v for name, v in found.items() if v} == {}
