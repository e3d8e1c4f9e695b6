"""The planner's progress reaches the page in the layout `scripts/dev run` starts.

daphne serves the page with the in-memory channel layer; the planner runs in a separate
`manage.py db_worker` process on the same SQLite database, as in the embedded default.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date, time
from pathlib import Path

import pytest

from rota import services
from tests.browser.conftest import log_in
from tests.factories import PASSWORD
from tests.servers import server_env

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
# Every text the progress panel's status shows, recorded as live updates replace it.
WATCH_PANEL = """() => {
  window.planStatuses = [];
  window.notReloaded = true;
  new MutationObserver(() => {
    const panel = document.querySelector('#rota-plan');
    if (panel) window.planStatuses.push(panel.querySelector('dd').textContent.trim());
  }).observe(document.body, {childList: true, subtree: true});
}"""


@pytest.fixture
def period(world):
    """A week needing one Early a day; made before Playwright starts."""
    team, alice = world["team"], world["alice"]
    early = services.shift_type_save(
        team=team, by=alice, name="Early", start=time(7, 0), end=time(15, 0), colour="blue"
    )
    for weekday in range(7):
        services.cover_need_save(
            team=team, by=alice, shift_type=early, weekday=weekday, minimum=1, preferred=1
        )
    return services.period_create(team=team, by=alice, start=date(2026, 3, 2), days=7)


@pytest.fixture
def start_worker(worker_id, tmp_path):
    """Start `manage.py db_worker` on the test database when the test says so."""
    started: list[subprocess.Popen] = []

    def start() -> None:
        log = (tmp_path / "worker.log").open("ab")
        started.append(
            subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"],
                cwd=ROOT,
                env=server_env(worker_id),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )

    yield start
    for worker in started:
        worker.terminate()
        worker.wait(timeout=20)


def test_planner_progress_arrives_from_the_worker_process_without_a_reload(
    period, browser, tablet, server_url, start_worker
):
    page = browser.new_page(**tablet)
    log_in(page, server_url, "alice@example.org", PASSWORD)
    page.goto(f"{server_url}/t/riverside/rota/periods/{period.pk}/")
    page.get_by_label("Seconds to search").fill("2")
    page.get_by_role("button", name="Run the planner").click()
    page.wait_for_load_state()
    panel = page.locator("#rota-plan")
    panel.get_by_text("Waiting to start").wait_for()
    page.locator("body[data-live-state=open]").wait_for()
    page.evaluate(WATCH_PANEL)

    # Only now does a worker exist to take the run: all that follows comes over the socket.
    start_worker()
    panel.get_by_text("Finished").wait_for(timeout=60_000)

    assert page.evaluate("window.notReloaded")
    assert page.evaluate("window.planStatuses")[-1] == "Finished"
    assert panel.get_by_text("Stop the planner").count() == 0
