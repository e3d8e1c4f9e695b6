"""Two-factor sign-in on a tablet: a coach sets up an app at first sign-in, a member with an
app enters a code; each page passes axe and keeps its targets at 44 px."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import axe_violations, log_in
from tests.factories import PASSWORD, confirmed_totp_device, totp_code

pytestmark = pytest.mark.django_db(transaction=True)

SMALL_TARGETS = """() => [...document.querySelectorAll('main a, main button, main input')]
    .filter((e) => { const r = e.getBoundingClientRect(); return r.height < 44 && r.width > 0; })
    .map((e) => e.outerHTML.slice(0, 80))"""


def test_a_coach_sets_up_an_app_at_first_sign_in(browser, tablet, server_url, world):
    coach = world["team"].coach_grants.get().coach
    page = browser.new_context(**tablet).new_page()
    log_in(page, server_url, coach.email, PASSWORD)
    page.get_by_role("heading", name="Set up two-factor sign-in").wait_for()
    assert page.locator(".patch-qr svg").is_visible()
    assert axe_violations(page) == []
    device = TOTPDevice.objects.get(user=coach)
    page.get_by_label("Code").fill(totp_code(device))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.get_by_role("heading", name="Your recovery codes").wait_for()
    assert page.locator(".patch-recovery-codes li").count() == 10
    assert axe_violations(page) == []
    page.get_by_role("link", name="I have kept my codes").click()
    page.get_by_role("heading", name="Riverside Nursing").wait_for()


def test_a_member_with_an_app_enters_a_code_at_sign_in(browser, tablet, server_url, world):
    device = confirmed_totp_device(world["alice"])
    page = browser.new_context(**tablet).new_page()
    log_in(page, server_url, "alice@example.org", PASSWORD)
    page.get_by_role("heading", name="Enter your sign-in code").wait_for()
    assert axe_violations(page) == []
    assert page.evaluate(SMALL_TARGETS) == []
    page.get_by_label("Code").fill(totp_code(device))
    page.get_by_role("button", name="Continue").click()
    page.goto(f"{server_url}/account/two-factor/")
    assert axe_violations(page) == []
    assert page.evaluate(SMALL_TARGETS) == []
