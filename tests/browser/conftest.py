"""Browser tests: Debian's chromium, driven by Playwright, against a real daphne server.

The server runs in a subprocess on the test database, so tests use committed data
(``transactional_db``). Nothing here downloads a browser.
"""

from __future__ import annotations

import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connections

from teams import services
from tests.factories import CoachGrantFactory, MembershipFactory, TeamFactory, UserFactory
from tests.servers import NoSharedDatabase, free_port, server_env, start_daphne

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def pytest_collection_modifyitems(items):
    # One xdist group (with --dist loadgroup, as scripts/dev runs): one chromium and one
    # daphne at a time beside the other tests, so two browsers never share the two cores.
    here = str(Path(__file__).parent)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.xdist_group("browser"))
            # One retry, reported as a rerun ("R"), as Playwright's own runner does in CI: a
            # real browser, a real server and service-worker timing on a shared two-core
            # machine fail now and then for reasons outside the code under test.
            item.add_marker(pytest.mark.flaky(reruns=1))


_SERVER_LOG: dict[str, Path] = {}  # this worker's daphne log, for failure reports


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Add the end of daphne's log to a failed browser test's report (a retried attempt's
    too, shown with --rerun-show-tracebacks): the log's folder is gone once the run ends."""
    report = yield
    log = _SERVER_LOG.get("path")
    if report.failed and call.when == "call" and log is not None and log.exists():
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
        report.longrepr = f"{report.longrepr}\n\n--- daphne log, last 30 lines ---\n{tail}"
    return report


@pytest.fixture(autouse=True)
def _fast_password_hashing():
    """Keep real hashing: the server process must verify the passwords tests set."""


@pytest.fixture(scope="session")
def server_url(django_db_setup, worker_id, tmp_path_factory) -> str:
    """Start daphne once per test worker on the test database."""
    if not Path(CHROMIUM).exists():
        pytest.skip(
            "Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)"
        )
    try:
        env = server_env(worker_id)
    except NoSharedDatabase as reason:
        pytest.skip(f"browser tests need a server process on the test database: {reason}")
    port = free_port()
    log = tmp_path_factory.mktemp("daphne") / "daphne.log"
    _SERVER_LOG["path"] = log
    process = start_daphne(env=env, port=port, log=log)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def world(transactional_db):
    team = TeamFactory(name="Riverside Nursing", slug="riverside")
    other = TeamFactory(name="Hillside Care", slug="hillside")
    alice = MembershipFactory(
        team=team, user=UserFactory(name="Alice Adams", email="alice@example.org")
    ).user
    bob = MembershipFactory(
        team=team, user=UserFactory(name="Bob Brown", email="bob@example.org")
    ).user
    MembershipFactory(team=other, user=alice)
    services.role_hand_over(
        role=services.role_create(team=team, name="Planner", by=alice), to_user=bob, by=alice
    )
    CoachGrantFactory(team=team, coach=UserFactory(name="Cora Coach"), granted_by=alice)
    return {"team": team, "alice": alice, "bob": bob}


@pytest.fixture
def playwright(monkeypatch, server_url, world):
    """Start Playwright for one test, after its data exists: its event loop must not outlive
    the test, and services cannot publish from a thread that runs an event loop."""
    # Sync Playwright runs an event loop in this thread; the ORM calls tests make are still
    # ordinary blocking calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p
        _server_idle(server_url)
        # Connections the test opened while Playwright's loop ran belong to that context:
        # close them here, or one stays open and the test database cannot be dropped.
        connections.close_all()


def _server_idle(server_url: str) -> None:
    """Wait until the server has finished what the closed browser last asked of it.

    Requests still running (a service worker's background copies, a socket's goodbye) would
    write while the test database is flushed, and the flush can deadlock with them. The
    server runs synchronous work one request at a time, so a request sent now is answered
    only after them.
    """
    time.sleep(0.5)  # a socket closed with the browser still reaches the server first
    urllib.request.urlopen(f"{server_url}/healthz", timeout=30).read()  # noqa: S310 - loopback


@pytest.fixture
def browser(playwright):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def tablet(browser):
    """A 10-inch tablet in portrait."""
    return {"viewport": {"width": 800, "height": 1280}, "has_touch": True}


def log_in(page, server_url: str, email: str, password: str) -> None:
    page.goto(f"{server_url}/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def axe_violations(page) -> list[dict]:
    """Run axe-core for WCAG 2.2 A and AA and return the violations."""
    page.evaluate(AXE.read_text())
    return page.evaluate(
        """async () => (await axe.run(document, {runOnly: {type: 'tag', values:
            ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})).violations
            .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target)}))"""
    )
