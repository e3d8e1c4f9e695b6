from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from caseload.models import Rating, SyncMutation, Visit, VisitStatus
from tests.browser.conftest import axe_violations, log_in
from tests.factories import (
    PASSWORD,
    ClientFactory,
    HandoverFactory,
    InterventionFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def caseload(world):
    """Alice's visit to Edna today, with a care plan; created before Playwright starts."""
    team, alice = world["team"], world["alice"]
    client = ClientFactory(
        team=team, name="Edna Walker", alerts="Key safe 4721", primary_nurse=alice
    )
    intervention = InterventionFactory(
        care_problem__client=client, description="Dress the heel ulcer"
    )
    visit = VisitFactory(client=client, assigned_to=alice, planned_minutes=25)
    visit.interventions.set([intervention])
    HandoverFactory(team=team, author=world["bob"], client=client, text="Daughter visiting at 10")
    return {"client": client, "visit": visit}


def _today(page, server_url):
    page.goto(f"{server_url}/t/riverside/today/")
    page.wait_for_selector("body[data-live-state=open]")


def test_marking_a_visit_done_as_planned_takes_one_tap_and_shows_live(
    caseload, browser, tablet, server_url, world
):
    bob = browser.new_context(**tablet).new_page()
    log_in(bob, server_url, "bob@example.org", PASSWORD)
    bob.goto(f"{server_url}/t/riverside/board/")
    bob.wait_for_selector("body[data-live-state=open]")
    edna_on_board = bob.locator("#team-board li", has_text="Edna Walker")
    assert edna_on_board.get_by_text("Done").count() == 0

    alice = browser.new_context(**tablet).new_page()
    log_in(alice, server_url, "alice@example.org", PASSWORD)
    _today(alice, server_url)
    taps = 0
    card = alice.locator("#today-visits li", has_text="Edna Walker")
    card.get_by_role("button", name="Done as planned").click()
    taps += 1
    alice.get_by_text("recorded as planned").wait_for()
    assert taps <= 3
    assert Visit.objects.get(pk=caseload["visit"].pk).status == VisitStatus.DONE
    edna_on_board.get_by_text("Done").wait_for(timeout=10_000)


def test_reassigning_on_the_board_appears_on_the_colleagues_today(
    caseload, browser, tablet, server_url, world
):
    bob = browser.new_context(**tablet).new_page()
    log_in(bob, server_url, "bob@example.org", PASSWORD)
    _today(bob, server_url)
    edna_visit = bob.locator(".patch-visit", has_text="Edna Walker")
    assert edna_visit.count() == 0

    alice = browser.new_context(**tablet).new_page()
    log_in(alice, server_url, "alice@example.org", PASSWORD)
    alice.goto(f"{server_url}/t/riverside/board/")
    alice.get_by_label("Give the visit to Edna Walker to").select_option(label="Bob Brown")
    alice.get_by_role("button", name="Give the visit to Edna Walker").click()
    edna_visit.wait_for(timeout=10_000)
    assert edna_visit.get_by_text("Key safe 4721").is_visible()


def _rate_twice(client, by) -> None:
    """Rate the client's problem twice with equal Knowledge and Status: the chart's hard case."""
    for days_ago, score in ((14, 2), (3, 3)):
        Rating.objects.create(
            team=client.team,
            client=client,
            care_problem=client.problems.get(),
            knowledge=score,
            behaviour=1,
            status=score,
            rated_by=by,
            rated_at=timezone.now() - timedelta(days=days_ago),
        )


def test_caseload_pages_have_no_wcag_violations(caseload, browser, tablet, server_url, world):
    _rate_twice(caseload["client"], world["alice"])
    slug = {"team_slug": "riverside"}
    client_id = {"client_id": caseload["client"].pk}
    pages = {
        "today": reverse("caseload:today", kwargs=slug),
        "board": reverse("caseload:board", kwargs=slug),
        "clients": reverse("caseload:clients", kwargs=slug),
        "add client": reverse("caseload:client_add", kwargs=slug),
        "client": reverse("caseload:client", kwargs={**slug, **client_id}),
        "edit client": reverse("caseload:client_edit", kwargs={**slug, **client_id}),
        "add problem": reverse("caseload:problem_add", kwargs={**slug, **client_id}),
        "add intervention": reverse("caseload:intervention_add", kwargs={**slug, **client_id}),
        "rate": reverse("caseload:rating_add", kwargs={**slug, **client_id}),
        "plan visit": reverse("caseload:visit_add", kwargs={**slug, **client_id}),
        "record visit": reverse(
            "caseload:visit", kwargs={**slug, "visit_id": caseload["visit"].pk}
        ),
        "time": reverse("caseload:time", kwargs=slug),
        "handovers": reverse("caseload:handovers", kwargs=slug),
    }
    page = browser.new_context(**tablet).new_page()
    log_in(page, server_url, "alice@example.org", PASSWORD)
    found = {}
    for name, path in pages.items():
        page.goto(f"{server_url}{path}")
        found[name] = axe_violations(page)
    page.goto(f"{server_url}{pages['client']}")
    page.get_by_text("Ratings as a table").click()
    found["client with the ratings table open"] = axe_violations(page)
    page.goto(f"{server_url}{pages['record visit']}")
    page.get_by_label("Minutes with the client").fill("5000")
    page.get_by_role("button", name="Save visit record").click()
    found["record visit with an error"] = axe_violations(page)
    assert {name: v for name, v in found.items() if v} == {}


def test_rating_progress_goes_through_the_outbox_and_back_to_the_client(
    caseload, browser, tablet, server_url, world
):
    client = caseload["client"]
    page = browser.new_context(**tablet).new_page()
    log_in(page, server_url, "alice@example.org", PASSWORD)
    page.goto(f"{server_url}/t/riverside/clients/{client.pk}/ratings/add/")
    page.get_by_label("Problem").select_option(index=1)
    page.get_by_label("Knowledge").select_option("2")
    page.get_by_label("Behaviour").select_option("3")
    page.get_by_label("Status").select_option("4")
    page.get_by_role("button", name="Save rating").click()
    page.wait_for_url(f"**/clients/{client.pk}/")
    rating = Rating.objects.get(client=client)
    assert (rating.knowledge, rating.behaviour, rating.status) == (2, 3, 4)
    assert SyncMutation.objects.filter(kind="rating.add", status="applied").exists()
