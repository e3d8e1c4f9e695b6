"""Offline: read kept pages, record through the outbox, sync on reconnect, wipe at logout.

Browser side of issue 4 (static/js/outbox.js, static/js/sw.js, docs/sync-protocol.md).
"""

from __future__ import annotations

import contextlib
import datetime
import uuid

import pytest
from django.utils import timezone
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from caseload.models import TimeEntry, Visit, VisitRecord, VisitStatus
from tests.browser.conftest import axe_violations, log_in
from tests.factories import PASSWORD, ClientFactory, InterventionFactory, VisitFactory

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = """async () => {
  const cache = await caches.open('patch-pages');
  return (await cache.keys()).map((r) => new URL(r.url).pathname + new URL(r.url).search);
}"""


@pytest.fixture
def offline_day(world):
    """Two of Alice's visits today; created before Playwright starts."""
    team, alice = world["team"], world["alice"]
    edna = ClientFactory(team=team, name="Edna Walker", primary_nurse=alice)
    dressing = InterventionFactory(care_problem__client=edna, description="Dress the heel ulcer")
    done = VisitFactory(client=edna, assigned_to=alice, planned_minutes=25)
    done.interventions.set([dressing])
    fred = ClientFactory(team=team, name="Fred Hill", primary_nurse=alice)
    insulin = InterventionFactory(care_problem__client=fred, description="Give insulin")
    recorded = VisitFactory(
        client=fred,
        assigned_to=alice,
        planned_minutes=15,
        window_start=datetime.time(11, 0),
        window_end=datetime.time(12, 0),
    )
    recorded.interventions.set([insulin])
    return {"edna": edna, "fred": fred, "done": done, "recorded": recorded, "insulin": insulin}


def _wait_until_kept(page, paths: list[str]) -> None:
    """The worker has cached the member's pages list (it does so after the first load)."""
    # Under a full parallel CI run the worker has, three times, not taken control within a
    # minute (cause not found; no failed request in the server log, and app.js now retries a
    # failed install). A member would open another page; so does the test, once, and says so.
    controlled = "() => navigator.serviceWorker && navigator.serviceWorker.controller"
    try:
        page.wait_for_function(controlled, timeout=30_000)
    except PlaywrightTimeoutError:
        print(f"no service worker in control after 30 s ({_state(page)}); reloading once")
        page.reload()
        page.wait_for_function(controlled, timeout=60_000)
    page.wait_for_function(
        """async (paths) => {
          const cache = await caches.open('patch-pages');
          const have = (await cache.keys()).map((r) => new URL(r.url).pathname);
          return paths.every((p) => have.includes(p));
        }""",
        arg=paths,
        timeout=20_000,
    )


def _state(page) -> str:
    """What the page shows and what the worker keeps, for a failure's report."""
    try:
        return str(
            page.evaluate(
                """async () => {
                  const reg = await navigator.serviceWorker.getRegistration();
                  const names = await caches.keys();
                  const cache = await caches.open('patch-pages');
                  return {url: location.href, ready: document.readyState, title: document.title,
                          h1: [...document.querySelectorAll('h1')].map((h) => h.textContent.trim()),
                          controlled: !!navigator.serviceWorker.controller,
                          worker: reg ? [!!reg.installing, !!reg.waiting,
                                         reg.active && reg.active.state] : 'none',
                          caches: names,
                          kept: (await cache.keys()).map((r) => new URL(r.url).pathname)};
                }"""
            )
        )
    except Exception as exc:  # noqa: BLE001 - a report, whatever the page's state
        return f"(page state unreadable: {exc})"


@contextlib.contextmanager
def _reported(page):
    """On a failure, add to it what the page showed and what the worker kept (a flake under
    full CI runs, cause not yet found, showed no kept page offline)."""
    try:
        yield
    except Exception as exc:
        exc.add_note(f"page state when the offline step failed: {_state(page)}")
        raise


def _go_offline(context) -> None:
    # set_offline flips navigator.onLine and cuts the page's requests; with Debian's
    # chromium it also cuts the service worker's own fetch() (checked: "Failed to
    # fetch" inside the worker). Aborting at the context level as well keeps the test
    # honest should a browser version let worker requests through.
    context.set_offline(True)
    context.route("**/*", lambda route: route.abort("internetdisconnected"))


def _go_online(context) -> None:
    context.unroute("**/*")
    context.set_offline(False)


def test_record_offline_then_sync_and_teammate_sees_it(
    offline_day, browser, tablet, server_url, world
):
    slug = "/t/riverside"
    today = f"{slug}/today/"
    edna_page = f"{slug}/clients/{offline_day['edna'].pk}/"
    fred_visit = f"{slug}/visits/{offline_day['recorded'].pk}/"

    bob = browser.new_context(**tablet).new_page()
    log_in(bob, server_url, "bob@example.org", PASSWORD)
    bob.goto(f"{server_url}{slug}/board/")
    bob.wait_for_selector("body[data-live-state=open]")
    edna_on_board = bob.locator("#team-board li", has_text="Edna Walker")
    assert edna_on_board.get_by_text("Done").count() == 0

    context = browser.new_context(**tablet)
    alice = context.new_page()
    log_in(alice, server_url, "alice@example.org", PASSWORD)
    alice.goto(f"{server_url}{today}")
    _wait_until_kept(alice, [today, edna_page, fred_visit])
    kept = alice.evaluate(PAGES)
    assert not any("/time/" in p or "/board/" in p for p in kept)  # only the listed pages
    alice.goto(f"{server_url}{slug}/time/")  # open while online; the time entry is added offline

    with _reported(alice):
        _go_offline(context)
        # Time entry, from the page that was open when the signal went.
        alice.get_by_label("Indirect client work").check()
        alice.get_by_label("Minutes", exact=True).fill("20")
        alice.get_by_label("What (optional)").fill("Phoned the GP")
        alice.get_by_role("button", name="Add time").click()
        status = alice.locator("#outbox-status")
        status.get_by_text("1 change waiting to be sent").wait_for()

        # Today and a client page open from the kept copies, with an "as of" banner.
        alice.goto(f"{server_url}{today}")
        status.get_by_text("Offline — as of").wait_for()
        alice.goto(f"{server_url}{edna_page}")
        assert alice.get_by_role("heading", name="Edna Walker", level=1).is_visible()
        status.get_by_text("Offline — as of").wait_for()

        alice.goto(f"{server_url}{today}")
        alice.locator("#today-visits li", has_text="Edna Walker").get_by_role(
            "button", name="Done as planned"
        ).click()
        status.get_by_text("2 changes waiting to be sent").wait_for()

        alice.goto(f"{server_url}{fred_visit}")
        alice.get_by_label("Minutes with the client").fill("18")
        alice.locator(".patch-record-more summary").click()  # travel is optional, folded away
        alice.get_by_label("Travel minutes").fill("7")
        alice.get_by_role("button", name="Save visit record").click()
        status.get_by_text("3 changes waiting to be sent").wait_for()

        # Still offline after a reload: nothing was sent, all of it is still listed.
        alice.reload()
        status.get_by_text("3 changes waiting to be sent").wait_for()
        status.get_by_text("Changes waiting (3)").click()
        assert status.get_by_text("Time entry").is_visible()
        assert status.get_by_text("Visit done as planned — Edna Walker").is_visible()
        assert status.get_by_text("Visit record — Fred Hill").is_visible()
        assert status.get_by_text("Offline", exact=True).is_visible()
        assert axe_violations(alice) == []
        assert Visit.objects.get(pk=offline_day["done"].pk).status == VisitStatus.PLANNED
        assert not TimeEntry.objects.filter(member=world["alice"], category="indirect").exists()

    _go_online(context)
    alice.wait_for_selector("body[data-outbox-pending='0']", timeout=20_000)
    status.get_by_text("All changes saved").wait_for()
    assert status.get_by_text("Last sync").is_visible()

    assert Visit.objects.get(pk=offline_day["done"].pk).status == VisitStatus.DONE
    record = VisitRecord.objects.get(visit=offline_day["recorded"])
    assert (record.actual_minutes, record.travel_minutes) == (18, 7)
    assert list(record.interventions_done.all()) == [offline_day["insulin"]]
    entry = TimeEntry.objects.get(member=world["alice"], category="indirect")
    assert (entry.minutes, entry.description, entry.date) == (
        20,
        "Phoned the GP",
        timezone.localdate(),
    )
    edna_on_board.get_by_text("Done").wait_for(timeout=10_000)

    # Logging out (nothing pending) wipes the kept pages and the outbox database.
    alice.get_by_role("button", name="Log out").click()
    alice.wait_for_selector("body[data-outbox-cleared]", timeout=10_000)
    alice.wait_for_function(
        """async () => !(await caches.keys()).includes('patch-pages')""", timeout=10_000
    )
    cached = alice.evaluate(
        """async () => {
          const urls = [];
          for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            urls.push(...(await cache.keys()).map((r) => new URL(r.url).pathname));
          }
          return urls;
        }"""
    )
    assert not [u for u in cached if u.startswith("/t/")]
    # Deleting the outbox database waits for open connections (the worker's) to close, so
    # it can finish after the caches are gone: wait for it as for them (failed once under CI).
    alice.wait_for_function(
        """async () => !(await indexedDB.databases()).some((d) => d.name === 'patch-outbox')""",
        timeout=10_000,
    )


def test_logout_with_unsent_changes_needs_a_second_tap(
    offline_day, browser, tablet, server_url, world
):
    context = browser.new_context(**tablet)
    alice = context.new_page()
    log_in(alice, server_url, "alice@example.org", PASSWORD)
    alice.goto(f"{server_url}/t/riverside/today/")
    alice.wait_for_selector("#outbox-status:not([hidden])")
    _go_offline(context)
    edna = alice.locator("#today-visits li", has_text="Edna Walker")
    edna.get_by_role("button", name="Done as planned").click()
    alice.locator("#outbox-status").get_by_text("1 change waiting to be sent").wait_for()
    # One state, one wording: the waiting visit shows no button, and the header agrees.
    edna.get_by_text("Waiting to be sent").wait_for()
    assert edna.get_by_role("button", name="Done as planned").count() == 0
    alice.locator("#live-status", has_text="Offline").wait_for()
    assert alice.locator("#outbox-status").get_by_text("Offline", exact=True).is_visible()

    alice.get_by_role("button", name="Log out").click()
    warning = alice.locator("#outbox-logout-warning")
    warning.get_by_text("1 change has not reached the server").wait_for()
    assert axe_violations(alice) == []
    warning.get_by_role("button", name="Stay logged in").click()
    assert warning.count() == 0
    assert alice.evaluate("() => document.body.dataset.outboxPending") == "1"

    _go_online(context)
    alice.wait_for_selector("body[data-outbox-pending='0']", timeout=20_000)
    assert Visit.objects.get(pk=offline_day["done"].pk).status == VisitStatus.DONE


def test_session_ending_offline_keeps_the_outbox_until_the_same_member_logs_in(
    offline_day, browser, tablet, server_url, world
):
    from django.contrib.sessions.models import Session

    context = browser.new_context(**tablet)
    alice = context.new_page()
    log_in(alice, server_url, "alice@example.org", PASSWORD)
    alice.goto(f"{server_url}/t/riverside/today/")
    alice.wait_for_selector("#outbox-status:not([hidden])")
    _go_offline(context)
    alice.locator("#today-visits li", has_text="Edna Walker").get_by_role(
        "button", name="Done as planned"
    ).click()
    status = alice.locator("#outbox-status")
    status.get_by_text("1 change waiting to be sent").wait_for()

    Session.objects.all().delete()  # the session ends while the tablet has no signal
    _go_online(context)
    status.get_by_text("Log in again to send 1 change").wait_for(timeout=20_000)
    assert alice.evaluate("() => document.body.dataset.outboxPending") == "1"
    assert Visit.objects.get(pk=offline_day["done"].pk).status == VisitStatus.PLANNED

    log_in(alice, server_url, "alice@example.org", PASSWORD)
    alice.goto(f"{server_url}/t/riverside/today/")
    alice.wait_for_selector("body[data-outbox-pending='0']", timeout=20_000)
    assert Visit.objects.get(pk=offline_day["done"].pk).status == VisitStatus.DONE


def test_a_change_overtaken_offline_is_listed_as_needing_attention(
    offline_day, browser, tablet, server_url, world
):
    context = browser.new_context(**tablet)
    alice = context.new_page()
    log_in(alice, server_url, "alice@example.org", PASSWORD)
    alice.goto(f"{server_url}/t/riverside/today/")
    alice.wait_for_selector("#outbox-status:not([hidden])")
    _go_offline(context)
    alice.locator("#today-visits li", has_text="Edna Walker").get_by_role(
        "button", name="Done as planned"
    ).click()
    alice.locator("#outbox-status").get_by_text("1 change waiting to be sent").wait_for()

    # Meanwhile Bob, online, says the visit did not happen (his form also goes
    # through his outbox).
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
    visit = Visit.objects.get(pk=offline_day["done"].pk)
    assert visit.status == VisitStatus.CANCELLED

    _go_online(context)
    link = alice.get_by_role("link", name="See what needs your attention")
    link.wait_for(timeout=20_000)
    assert link.get_attribute("href") == "/t/riverside/sync/attention/"
    alice.wait_for_selector("body[data-outbox-pending='0']")
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.CANCELLED


POISON_AND_GOOD = """async ([poison, count]) => {
  const body = document.body.dataset;
  const item = (id, minutes) => ({
    id, member: body.member, team: body.team, kind: 'time.save', target: PatchOutbox.uuid(),
    base_version: null, created_at: new Date().toISOString(), attempts: 0, last_error: '',
    payload: {date: '2026-11-30', category: 'team', minutes, description: ''},
    label: 'Time entry', message: 'Time added.', next: '', sync_url: body.syncUrl});
  await PatchOutbox.addMutation(item(poison, 5));
  for (let n = 1; n <= count; n += 1) {
    await PatchOutbox.addMutation(item(PatchOutbox.uuid(), n));
  }
}"""


def test_an_item_the_server_fails_on_is_held_and_the_rest_sync(browser, tablet, server_url, world):
    context = browser.new_context(**tablet)
    page = context.new_page()
    log_in(page, server_url, "alice@example.org", PASSWORD)
    poison = str(uuid.uuid4())

    def fail_on_poison(route):
        # The server no longer fails on any known payload: fail as it would on one.
        if poison in (route.request.post_data or ""):
            route.fulfill(status=500, content_type="text/html", body="<h1>Server Error</h1>")
        else:
            route.continue_()

    context.route("**/t/riverside/sync/", fail_on_poison)
    page.goto(f"{server_url}/t/riverside/time/")
    page.wait_for_selector("#outbox-status:not([hidden])")
    page.evaluate(POISON_AND_GOOD, [poison, 10])
    page.reload()  # the outbox sends what is waiting when a page opens
    page.wait_for_selector("body[data-outbox-pending='1']", timeout=20_000)
    assert sorted(
        TimeEntry.objects.filter(member=world["alice"]).values_list("minutes", flat=True)
    ) == list(range(1, 11))

    for _ in range(2):  # each later attempt fails on the poison alone, until it is held
        page.reload()
        page.wait_for_function("() => document.body.dataset.outboxPending === '1'")
    page.wait_for_selector("body[data-outbox-held='1']", timeout=20_000)
    status = page.locator("#outbox-status")
    status.get_by_text("1 change needs attention").wait_for()
    held = status.get_by_role("group", name="Needs attention on this tablet")
    assert held.get_by_text("the server answered with error 500").is_visible()
    assert axe_violations(page) == []

    context.unroute("**/t/riverside/sync/")
    held.get_by_role("button", name="Try sending these again").click()
    page.wait_for_selector("body[data-outbox-pending='0']", timeout=20_000)
    assert TimeEntry.objects.filter(member=world["alice"], minutes=5).exists()


def test_a_service_worker_install_that_fails_is_tried_again_without_a_page_load(
    browser, tablet, server_url, world
):
    context = browser.new_context(**tablet)
    blocked = {"on": True, "aborted": 0}

    def shell_icon(route):
        # Only the worker's precache request fails, as on a weak signal mid-install.
        if blocked["on"] and route.request.service_worker is not None:
            blocked["aborted"] += 1
            route.abort("connectionreset")
        else:
            route.continue_()

    context.route("**/static/icons/icon-192.png", shell_icon)
    page = context.new_page()
    warnings: list[str] = []
    page.on("console", lambda msg: warnings.append(msg.text))
    log_in(page, server_url, "alice@example.org", PASSWORD)
    warnings.clear()  # from here on, only the last page: no navigation until the end
    for _ in range(100):
        if any("service worker not installed" in w for w in warnings):
            break
        page.wait_for_timeout(100)
    assert any("service worker not installed" in w for w in warnings)
    assert blocked["aborted"] >= 1
    assert page.evaluate("() => navigator.serviceWorker.controller") is None
    blocked["on"] = False
    page.wait_for_function("() => navigator.serviceWorker.controller", timeout=45_000)
    context.close()
