"""Every page a member can open renders its templates fully: no template syntax reaches the screen.

A multi-line ``{# #}`` is not a Django comment, so it is printed as text; the sweep walks the URL
configuration (as the access sweep does) so a new page joins it automatically.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import HandoverFactory
from tests.teams.test_access_sweep import _url, samples, team_routes  # noqa: F401

TEMPLATE_SYNTAX = ("{#", "#}", "{%", "%}", "{{", "}}")
# Data the page embeds for its scripts (the outbox's schema) is JSON, where "}}" is ordinary.
JSON_SCRIPT = re.compile(r'<script[^>]*type="application/json"[^>]*>.*?</script>', re.S)


def _leaked(response) -> list[str]:
    if "text/html" not in response.get("Content-Type", ""):
        return []
    page = JSON_SCRIPT.sub("", response.content.decode())
    return [mark for mark in TEMPLATE_SYNTAX if mark in page]


@pytest.fixture
def pages(samples, team, alice) -> list[str]:  # noqa: F811
    HandoverFactory(team=team, author=alice, client_id=samples["client_id"])
    urls = [_url(name, route, samples) for route, name in team_routes()]
    return [*urls, reverse("home"), reverse("offline")]


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_no_page_shows_template_syntax(pages, alice_client, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    leaks = {}
    for url in pages:
        response = alice_client.get(url, follow=True, headers=headers)
        if found := _leaked(response):
            leaks[url] = found
    assert leaks == {}
