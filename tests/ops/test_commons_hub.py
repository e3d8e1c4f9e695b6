"""A team's server and a hub of its own, two daphne processes with two databases: the team
joins through its page, its week travels over real HTTP, and the hub refuses a replay and a
tampered copy of the very request it took."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client

from bench.load.stack import ROOT
from insights.export import services
from insights.models import CommonsEnrolment, Sending, SendingStatus
from insights.selectors import last_closed_week
from tests.insights.export.conftest import snapshot
from tests.ops.helpers import ops_env

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # The hub keeps its own SQLite file whatever the team side runs on, so one suite suffices.
    pytest.mark.skipif(
        bool(os.environ.get("REDIS_URL")), reason="runs once, in the embedded suite"
    ),
]

TOKEN = "ops-hub-enrol-token"
CSRF = "commonscommonscommonscommonscomm"  # any 32 characters: cookie and field must match


class _Stay(urllib.request.HTTPRedirectHandler):
    """Answer a redirect as itself, so the test sees the 302 a form post gives."""

    def redirect_request(self, *args, **kwargs):
        return None


def _call(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict | str]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    opener = urllib.request.build_opener(_Stay)
    try:
        with opener.open(request, timeout=60) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode(errors="replace")


def _hub_rows(database) -> list[tuple]:
    with sqlite3.connect(database) as db:
        return db.execute(
            "SELECT s.period, s.revision, v.element, v.category, v.value, v.status "
            "FROM commons_datavalue v JOIN commons_datavalueset s ON v.value_set_id = s.id "
            "ORDER BY v.element, v.category"
        ).fetchall()


def test_a_week_travels_from_a_team_server_to_a_hub_server_of_its_own(
    team, alice, worker_id, servers, tmp_path, settings, monkeypatch
):
    shared = ops_env(worker_id, redis_url=None)
    hub_db = tmp_path / "hub.sqlite3"
    hub_env = {k: v for k, v in shared.items() if k != "DATABASE_URL"}
    hub_env.update(
        PATCH_ROLE="hub",
        SQLITE_PATH=str(hub_db),
        COMMONS_ENROL_TOKEN=TOKEN,
        COMMONS_INGEST_RATE="",
    )
    # The hub's database needs only the commons tables; they are made while the servers start.
    migrate = subprocess.Popen(
        [sys.executable, "manage.py", "migrate", "commons", "--noinput"],
        cwd=ROOT,
        env=hub_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        hub = servers(hub_env)
        commons_url = f"{hub.url}/commons/"
        team_server = servers(
            {**shared, "COMMONS_HUB": "false", "COMMONS_URL": commons_url}
            | {"COMMONS_ENROL_TOKEN": TOKEN}
        )
        migrated, _ = migrate.communicate(timeout=180)
    finally:
        if migrate.poll() is None:
            migrate.kill()
            migrate.wait()
    assert migrate.returncode == 0, migrated

    week = last_closed_week()
    stored = snapshot(team, week=week)
    stored.figures["continuity"] |= {"top_two": 90, "visits": 120}
    stored.save()

    # The team decides to join on its own server, which enrols it with the hub over HTTP.
    browser = Client()
    browser.force_login(alice)
    session = browser.cookies[django_settings.SESSION_COOKIE_NAME].value
    form = urllib.parse.urlencode(
        {
            "decision": "join",
            "region": "E12000003",
            "service_type": "district_nursing",
            "csrfmiddlewaretoken": CSRF,
        }
    ).encode()
    status, _page = _call(
        f"{team_server.url}/t/{team.slug}/insights/commons/",
        form,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"{django_settings.SESSION_COOKIE_NAME}={session}; csrftoken={CSRF}",
        },
    )
    assert status == 302, _page
    enrolment = CommonsEnrolment.objects.get(team=team)
    assert enrolment.joined and enrolment.org_unit.startswith("t-") and enrolment.key
    assert list(Sending.objects.for_team(team).values_list("week", flat=True)) == [week]

    # The team side's sender, as the worker or an operator runs it, over real HTTP.
    settings.COMMONS_URL = commons_url
    sent: list[tuple[str, bytes, dict[str, str]]] = []

    def recorded(url: str, body: bytes, headers: dict[str, str]) -> services.Answer:
        sent.append((url, body, headers))
        return real_post(url, body, headers)

    real_post = services.post
    monkeypatch.setattr(services, "post", recorded)
    out = StringIO()
    call_command("insights_send", stdout=out)
    assert out.getvalue().strip() == "1 sent."
    sending = Sending.objects.for_team(team).get()
    assert sending.status == SendingStatus.SENT
    assert sending.response["importCount"]["imported"] > 0

    # The hub stored the week in its own database, continuity included, and nothing else.
    rows = _hub_rows(hub_db)
    assert {(period, revision) for period, revision, *_ in rows} == {(week, 1)}
    assert len(rows) == sending.response["importCount"]["imported"]
    by_cell = {(element, category): value for _p, _r, element, category, value, _s in rows}
    assert by_cell[("CONTINUITY", "top_two")] == 90
    assert by_cell[("CONTINUITY", "visits")] == 120
    assert by_cell[("VISITS", "done")] == 120

    # The hub's public API answers for the week (one team: every figure withheld, T).
    with urllib.request.urlopen(f"{commons_url}api/v1/observations/", timeout=60) as response:  # noqa: S310
        assert response.status == 200

    # The very request again: a replay, refused; the body altered under its signature: refused.
    ((url, body, headers),) = sent
    status, answer = _call(url, body, {"Content-Type": "application/json", **headers})
    assert (status, answer["errors"]) == (401, ["This nonce has been used already."])
    tampered = body.replace(b'"revision":1,', b'"revision":2,')
    assert tampered != body
    status, answer = _call(url, tampered, {"Content-Type": "application/json", **headers})
    assert (status, answer["errors"]) == (401, ["Unknown team or bad signature."])
    assert _hub_rows(hub_db) == rows
