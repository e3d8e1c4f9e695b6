"""The hub alone (PATCH_ROLE=hub): its pages, API and open data answer as in the embedded
server; team pages do not exist there, and no request reads a team app's table."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.commons.helpers import (
    ATTRIBUTES,
    INGEST_URL,
    enrol_and_report,
    payload,
    signed_headers,
)

TOKEN = "hub-alone-token"
PAGES = [
    "/commons/",
    "/commons/data.csv",
    "/commons/data/",
    "/commons/schema/v1.json",
    "/commons/api/openapi.json",
    "/commons/api/v1/observations/",
    "/commons/api/v1/codes/",
    "/healthz",
    "/jsi18n/cy.js",
]
TEAM_URLS = [
    "/login/",
    "/t/riverside/",
    "/t/riverside/insights/",
    "/t/riverside/insights/commons/",
    "/insights/codes.json",
    "/sw.js",
    "/manifest.json",
    "/account/two-factor/",
]


@pytest.fixture
def hub_alone(settings):
    """Apply the settings PATCH_ROLE=hub applies (the same lists, from config/settings.py)."""
    settings.ROOT_URLCONF = settings.HUB_URLCONF
    settings.MIDDLEWARE = settings.HUB_MIDDLEWARE
    engine = settings.TEMPLATES[0]
    options = {**engine["OPTIONS"], "context_processors": settings.HUB_CONTEXT_PROCESSORS}
    settings.TEMPLATES = [{**engine, "OPTIONS": options}]
    settings.COMMONS_HUB = True
    settings.COMMONS_ENROL_TOKEN = TOKEN
    settings.COMMONS_INGEST_RATE = ""


@pytest.mark.parametrize("url", PAGES)
def test_the_hubs_pages_answer_alone(db, hub_alone, client, url):
    enrol_and_report(10)
    response = client.get(url)
    assert response.status_code == 200, url


@pytest.mark.parametrize("url", TEAM_URLS)
def test_team_pages_do_not_exist_on_the_hub_alone(db, hub_alone, client, url):
    assert client.get(url).status_code == 404


def test_the_hubs_root_leads_to_the_dashboard(db, hub_alone, client):
    response = client.get("/")
    assert (response.status_code, response["Location"]) == (302, "/commons/")


def test_a_hub_page_links_home_and_switches_language_without_a_login(db, hub_alone, client):
    page = client.get("/commons/").content.decode()
    assert 'action="/language/"' in page and 'href="/"' in page
    assert 'rel="manifest"' not in page  # the team app's manifest is not the hub's
    response = client.post("/language/", {"language": "cy", "back": "/commons/"})
    assert (response.status_code, response["Location"]) == (302, "/commons/")
    assert response.cookies["django_language"].value == "cy"


def test_no_hub_request_reads_a_team_apps_table(db, hub_alone, client):
    client.cookies["sessionid"] = "a-session-from-another-server"
    with CaptureQueriesContext(connection) as queries:
        for url in PAGES:
            client.get(url)
        client.post(INGEST_URL, b"{}", content_type="application/json")
    tables = {q["sql"] for q in queries.captured_queries}
    assert any("commons_importlog" in sql for sql in tables)  # the refused ingest is logged
    assert all("commons_" in sql for sql in tables if "FROM" in sql or "INTO" in sql), tables


def _enrol(client, token: str = TOKEN):
    return client.post(
        "/commons/api/v1/teams/",
        json.dumps(ATTRIBUTES),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_the_hub_alone_enrols_and_ingests_with_the_contracts_codes(db, hub_alone, client):
    assert _enrol(client, token="wrong").status_code == 401
    enrolled = _enrol(client)
    assert enrolled.status_code == 201
    ref, key = enrolled.json()["orgUnit"], enrolled.json()["key"]

    body = json.dumps(payload(ref)).encode()
    headers = signed_headers(ref, key, body)

    def send(data: bytes, **extra: str):
        return client.post(INGEST_URL, data, content_type="application/json", **extra)

    assert send(body, **headers).status_code == 200
    assert send(body, **headers).status_code == 401  # the same nonce again: a replay
    assert send(b"{not json", **signed_headers(ref, key, b"{not json")).status_code == 400
    stale = json.dumps(payload(ref, revision=1, direct=250.0)).encode()
    assert send(stale, **signed_headers(ref, key, stale)).status_code == 409
    broken = json.dumps({**payload(ref, revision=2), "period": "2026W99"}).encode()
    assert send(broken, **signed_headers(ref, key, broken)).status_code == 422


def test_the_embedded_server_still_mounts_the_hub_beside_the_team_pages(db, client, settings):
    assert settings.ROOT_URLCONF == "config.urls"
    assert client.get("/commons/").status_code == 200
    assert client.get("/login/").status_code == 200


@pytest.mark.slow
def test_an_unknown_role_is_a_clear_error():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env={**os.environ, "PATCH_ROLE": "team"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "PATCH_ROLE must be embedded or hub" in result.stderr
