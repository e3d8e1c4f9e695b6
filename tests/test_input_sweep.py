"""Every form and every address in the project answers garbage with a 4xx or its errors.

The sweeps post to every URL pattern under /t/<team>/, filling every field any team page
offers (hidden ones included) with one malformed value at a time, and fetch every page with
each query parameter the pages read set to garbage. Never a 5xx, and no post changes a row.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from teams.models import AuditEvent
from tests.teams.test_access_sweep import _row_counts, _url, team_routes
from tests.teams.test_access_sweep import samples as samples  # the fixture, shared

# Each value is malformed for every field it lands in: text fields refuse the NUL character,
# number, date and choice fields refuse the rest.
GARBAGE = [
    "not a number\x00",
    "9" * 400,
    "-" + "9" * 30,
    "ü😀\u202e\x00",
    ["\x00", "9" * 40],
]

# Valid as text, impossible as a day: posted everywhere for the no-5xx check only.
EXTREME_DATES = ["9999-12-31", "0001-01-01", "2026-02-30"]

# Query parameters the pages read (discovered ones are added from the pages' links).
QUERY_PARAMS = {"date", "q", "status", "page", "client"}

# One-button actions: a post is the whole input (remove or retire this, make me a calendar
# link), so they are swept for server errors but their change is the point.
BUTTONS = {
    "rota:skill_remove",
    "rota:cover_remove",
    "rota:shift_type_remove",
    "rota:shift_type_retire",
    "rota:shift_type_reinstate",
    "rota:calendar",
    "ideas:withdraw",
}

# Fields a form reads although no team page renders them in the sample world.
EXTRA_FIELDS = {"base_version", "next", "keep", "approve", "action", "date", "user", "shift_type"}


def _field_names(html: str) -> set[str]:
    return set(re.findall(r'<(?:input|select|textarea)\b[^>]*\sname="([^"]+)"', html))


def _pages(samples, alice_client) -> list[str]:
    """Return the HTML of every team page, for the field and parameter names it offers."""
    pages = []
    for route, name in team_routes():
        response = alice_client.get(_url(name, route, samples))
        if "text/html" in response.get("Content-Type", ""):
            pages.append(response.content.decode())
    return pages


@pytest.fixture
def field_names(samples, alice_client) -> set[str]:
    names = set(EXTRA_FIELDS).union(*map(_field_names, _pages(samples, alice_client)))
    return names - {"csrfmiddlewaretoken"}


@pytest.fixture
def browser(alice) -> Client:
    """Alice's browser, answering a server error with its status rather than raising it."""
    browser = Client(raise_request_exception=False)
    browser.force_login(alice)
    return browser


def _server_errors(
    browser: Client, method: str, samples: dict, data: dict, *, buttons: bool | None = None
) -> list[str]:
    """Request every team URL (or only the one-button actions, or all but them) with ``data``."""
    failures = []
    for route, name in team_routes():
        if buttons is not None and (name in BUTTONS) != buttons:
            continue
        response = getattr(browser, method)(_url(name, route, samples), data)
        if response.status_code >= 500:
            failures.append(f"{method.upper()} {name} {next(iter(data.values()))!r}")
    return failures


def _changed_rows(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """Row counts that moved, leaving out the audit log (reads are audited) and sessions."""
    ignored = {AuditEvent._meta.label, "sessions.Session"}
    return {
        label: after[label] - before[label]
        for label in before
        if label not in ignored and after[label] != before[label]
    }


def test_every_form_answers_garbage_without_a_server_error_or_a_change(
    samples, field_names, browser
):
    before = _row_counts()
    failures = []
    for value in GARBAGE:
        data = dict.fromkeys(field_names, value)
        failures += _server_errors(browser, "post", samples, data, buttons=False)
    changed = _changed_rows(before, _row_counts())
    for value in GARBAGE:
        data = dict.fromkeys(field_names, value)
        failures += _server_errors(browser, "post", samples, data, buttons=True)
    assert failures == []
    assert changed == {}


def test_every_form_answers_an_impossible_date_without_a_server_error(
    samples, field_names, browser
):
    failures = []
    for value in EXTREME_DATES:
        failures += _server_errors(browser, "post", samples, dict.fromkeys(field_names, value))
    assert failures == []


def test_every_page_answers_garbage_in_its_address_without_a_server_error(
    samples, alice_client, browser
):
    links = "".join(_pages(samples, alice_client))
    params = QUERY_PARAMS | set(re.findall(r"[?&](?:amp;)?([a-z_]+)=", links))
    failures = []
    for value in [*GARBAGE, *EXTREME_DATES]:
        failures += _server_errors(browser, "get", samples, dict.fromkeys(params, value))
    assert failures == []
