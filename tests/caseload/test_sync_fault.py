"""Kill the server in the middle of a batch; the device replays; each mutation applies once."""

from __future__ import annotations

import json
import signal
import threading
import time
import urllib.error
import urllib.request
import uuid

import pytest
from django.conf import settings
from django.test import Client as Browser

from caseload.models import SyncMutation, TimeEntry
from tests.servers import free_port, server_env, start_daphne

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

N = 100


def _post(url: str, cookies: str, csrf: str, body: bytes) -> dict:
    request = urllib.request.Request(  # noqa: S310 - loopback only
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Cookie": cookies,
            "X-CSRFToken": csrf,
            "Referer": url,
        },
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        return json.loads(response.read())


def test_server_killed_mid_batch_then_replayed_applies_each_mutation_once(
    team, alice, worker_id, tmp_path
):
    browser = Browser()
    browser.force_login(alice)
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value
    csrf = "a" * 32
    cookies = f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}"
    mutations = [
        {
            "id": str(uuid.uuid4()),
            "kind": "time.save",
            "target": str(uuid.uuid4()),
            "base_version": None,
            "payload": {"date": "2026-11-30", "category": "team", "minutes": n + 1},
        }
        for n in range(N)
    ]
    body = json.dumps({"device": str(uuid.uuid4()), "mutations": mutations}).encode()
    env = server_env(worker_id)
    log = tmp_path / "daphne.log"
    port = free_port()
    url = f"http://127.0.0.1:{port}/t/{team.slug}/sync/"

    server = start_daphne(env=env, port=port, log=log)
    outcome: dict = {}

    def send() -> None:
        try:
            outcome["first"] = _post(url, cookies, csrf, body)
        except (urllib.error.URLError, ConnectionError, OSError) as error:
            outcome["error"] = error

    sender = threading.Thread(target=send)
    sender.start()
    deadline = time.monotonic() + 60
    while SyncMutation.objects.count() < N // 3 and time.monotonic() < deadline:
        time.sleep(0.005)
    applied_before_kill = SyncMutation.objects.count()
    server.send_signal(signal.SIGKILL)
    server.wait(timeout=10)
    sender.join(timeout=30)
    assert "error" in outcome, "the batch finished before the kill: make it longer"
    assert 0 < applied_before_kill < N, (outcome, log.read_text()[-3000:])

    server = start_daphne(env=env, port=port, log=log)
    try:
        results = _post(url, cookies, csrf, body)["results"]
    finally:
        server.terminate()
        server.wait(timeout=10)

    statuses = [r["status"] for r in results]
    assert set(statuses) <= {"applied", "duplicate"}
    assert statuses.count("duplicate") >= applied_before_kill
    assert TimeEntry.objects.count() == N
    assert SyncMutation.objects.filter(original=True).count() == N
    assert sorted(TimeEntry.objects.values_list("minutes", flat=True)) == list(range(1, N + 1))
