"""Welsh on the tablet: one tap to switch, the offline status line, "Needs attention", the day
sheet, and axe on both languages."""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader

from caseload.models import Visit, VisitStatus
from tests.browser.conftest import axe_violations, log_in
from tests.browser.test_offline import _go_offline, _go_online, offline_day  # noqa: F401
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_welsh_offline_record_status_line_attention_and_day_sheet(
    offline_day,  # noqa: F811
    browser,
    tablet,
    server_url,
    world,
):
    context = browser.new_context(**tablet)
    alice = context.new_page()
    log_in(alice, server_url, "alice@example.org", PASSWORD)
    alice.goto(f"{server_url}/t/riverside/today/")
    assert alice.locator("html").get_attribute("lang") == "en-gb"
    assert axe_violations(alice) == []

    alice.get_by_role("button", name="Cymraeg").click()
    alice.wait_for_load_state()
    assert alice.url.endswith("/t/riverside/today/")
    assert alice.locator("html").get_attribute("lang") == "cy"
    alice.get_by_role("heading", name="Eich ymweliadau").wait_for()
    alice.wait_for_selector("#outbox-status:not([hidden])")
    alice.locator("#outbox-status").get_by_text("Ar-lein").wait_for()
    assert axe_violations(alice) == []
    world["alice"].refresh_from_db()
    assert world["alice"].language == "cy"

    _go_offline(context)
    alice.locator("#today-visits li", has_text="Edna Walker").get_by_role(
        "button", name="Wedi'i wneud fel y cynlluniwyd"
    ).click()
    status = alice.locator("#outbox-status")
    status.get_by_text("1 newid yn aros i'w anfon").wait_for()
    status.get_by_text("All-lein", exact=True).wait_for()

    # Meanwhile Bob, online and in English, says the visit did not happen.
    bob = browser.new_context(**tablet).new_page()
    log_in(bob, server_url, "bob@example.org", PASSWORD)
    bob.goto(f"{server_url}/t/riverside/visits/{offline_day['done'].pk}/")
    bob.get_by_text("The visit did not happen").click()
    bob.locator("form[data-outbox-kind='visit.status']").get_by_label("Status").select_option(
        "cancelled"
    )
    bob.get_by_label("Reason").fill("Admitted to hospital")
    bob.get_by_role("button", name="Save", exact=True).click()
    bob.get_by_text("The visit is marked cancelled.").wait_for(timeout=20_000)

    _go_online(context)
    link = alice.get_by_role("link", name="Gweld beth sydd angen eich sylw")
    link.wait_for(timeout=20_000)
    alice.wait_for_selector("body[data-outbox-pending='0']")
    assert Visit.objects.get(pk=offline_day["done"].pk).status == VisitStatus.CANCELLED
    link.click()
    alice.get_by_role("heading", name="Angen sylw").wait_for()
    alice.get_by_role("button", name="Cadw'r fersiwn a gadwyd").first.wait_for()
    assert alice.locator("html").get_attribute("lang") == "cy"
    assert axe_violations(alice) == []

    sheet = alice.request.get(f"{server_url}/t/riverside/today/day-sheet.pdf")
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(sheet.body())).pages)
    assert "Taflen ddydd" in text
    assert "Cyfrinachol: gwybodaeth iechyd bersonol" in text
