"""Every page that shows a client's identifying fields audits the read and is never cached.

The sweep fetches every page under /t/<team>/ in a world where each page has a client to show:
wherever the client's name appears (outside a select's choices), the read must be in the
audit log and the answer must carry ``Cache-Control: no-store``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from caseload import selectors, services
from caseload.models import Client
from teams.models import AuditEvent
from tests.factories import ClientFactory, HandoverFactory
from tests.teams.test_access_sweep import _url, team_routes
from tests.teams.test_access_sweep import samples as samples  # the fixture, shared

NAME = "Zelda Quixote"
SHOWING = [
    "caseload:today",
    "caseload:board",
    "caseload:clients",
    "caseload:client",
    "caseload:client_edit",
    "caseload:visit",
    "caseload:visit_edit",
    "caseload:handovers",
]


@pytest.fixture
def world(samples, team, alice):
    client = Client.objects.get(pk=samples["client_id"])
    Client.objects.filter(pk=client.pk).update(name=NAME)
    HandoverFactory(team=team, author=alice, client=client)
    return samples


def _shows_the_client(response) -> bool:
    body = response.content.decode(errors="replace")
    return NAME in re.sub(r"<select\b.*?</select>", "", body, flags=re.DOTALL)


def _pages_showing_the_client(world, alice_client):
    for route, name in team_routes():
        before = AuditEvent.objects.filter(action="client.view").count()
        response = alice_client.get(_url(name, route, world))
        html = "html" in response.get("Content-Type", "")
        if response.status_code == 200 and html and _shows_the_client(response):
            yield name, response, before


def test_every_page_showing_a_client_audits_the_read(world, alice_client):
    shown = {
        name: AuditEvent.objects.filter(action="client.view").count() > before
        for name, _, before in _pages_showing_the_client(world, alice_client)
    }
    assert set(SHOWING) <= set(shown), "the sweep no longer reaches every page with a client"
    assert [name for name, audited in shown.items() if not audited] == []


def test_every_page_showing_a_client_is_never_cached(world, alice_client):
    cached = [
        name
        for name, response, _ in _pages_showing_the_client(world, alice_client)
        if "no-store" not in response.get("Cache-Control", "")
    ]
    assert cached == []


def test_pdfs_of_client_data_are_never_cached(world, team, alice_client):
    response = alice_client.get(
        reverse(
            "caseload:client_pdf", kwargs={"team_slug": team.slug, "client_id": world["client_id"]}
        )
    )
    assert "no-store" in response["Cache-Control"]


def test_a_list_records_each_client_shown_in_one_insert(team, alice_client):
    ClientFactory.create_batch(3, team=team)
    with CaptureQueriesContext(connection) as queries:
        alice_client.get(reverse("caseload:clients", kwargs={"team_slug": team.slug}))
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "teams_auditevent"')]
    assert len(inserts) == 1
    assert AuditEvent.objects.filter(action="client.view", detail__what="client list").count() == 3


def test_a_page_without_client_data_may_be_cached(team, alice_client):
    response = alice_client.get(reverse("teams:roles", kwargs={"team_slug": team.slug}))
    assert "no-store" not in response.get("Cache-Control", "")


def test_background_copies_fold_into_one_line_per_person_and_day(team, alice, bob):
    client = ClientFactory(team=team)
    for what in ("page", "visit", "page"):
        services.clients_viewed(team=team, clients=[client], by=alice, what=what, offline_copy=True)
    for _ in range(2):
        services.clients_viewed(team=team, clients=[client], by=bob, what="page")
    lines = {
        (line.actor_name, line.words, line.times)
        for line in selectors.client_access_log(client=client)
    }
    assert lines == {
        (alice.name, "kept the record on their tablet for offline use", 3),
        (bob.name, "opened the record", 2),
    }


def test_who_looked_shows_plain_words_not_code_names(team, alice_client, alice):
    client = ClientFactory(team=team)
    services.clients_viewed(team=team, clients=[client], by=alice, what="summary pdf")
    body = alice_client.get(client.get_absolute_url()).content.decode()
    assert "Downloaded the summary PDF" in body
    assert "client.view" not in body


def test_the_conflict_page_audits_the_read_and_is_never_cached(team, alice_client, bob):
    client = ClientFactory(team=team)
    services.client_update(client=client, by=bob, base_version=1, phone="0113 496 0000")
    response = alice_client.post(
        reverse("caseload:client_edit", kwargs={"team_slug": team.slug, "client_id": client.pk}),
        {
            "base_version": 1,
            "name": "Changed",
            "date_of_birth": "1950-01-01",
            "address": "x",
            "postcode": "LS1 4AP",
        },
    )
    assert response.status_code == 409
    assert AuditEvent.objects.filter(action="client.view", detail__what="conflict").count() == 1
    assert "no-store" in response["Cache-Control"]


def test_the_needs_attention_page_is_never_cached(alice_client, team):
    response = alice_client.get(f"/t/{team.slug}/sync/attention/")
    assert "no-store" in response["Cache-Control"]


@st.composite
def _histories(draw):
    """Events over a few weeks: readers, kinds of read, background copies, some on one day."""
    start = datetime(2026, 3, 1, 8, tzinfo=UTC)
    return draw(
        st.lists(
            st.tuples(
                st.integers(0, 2),
                st.sampled_from(["page", "visit", "today", None]),
                st.booleans(),
                st.integers(0, 40 * 24 * 60).map(lambda m: start + timedelta(minutes=m)),
            ),
            max_size=120,
            unique_by=lambda event: event[3],  # the newest lines are then one answer
        )
    )


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(history=_histories(), limit=st.integers(1, 25), days_later=st.integers(0, 45))
def test_the_access_log_equals_grouping_every_event(
    team, alice, bob, monkeypatch, time_machine, history, limit, days_later
):
    """Read 7 events at a time (so a longer history is grouped by the database for its last
    days), whether the events fall in those days, before them or across the boundary, the log
    matches folding the whole history."""
    monkeypatch.setattr(selectors, "ACCESS_LOG_PAGE", 7)
    time_machine.move_to(datetime(2026, 3, 1, 12, tzinfo=UTC) + timedelta(days=days_later))
    client = ClientFactory(team=team)
    people = [alice, bob, None]
    AuditEvent.objects.bulk_create(
        AuditEvent(
            team=team,
            actor=people[who],
            action="client.view" if what else "client.update",
            object_type="caseload.client",
            object_id=str(client.pk),
            at=at,
            detail={"what": what, **({"offline_copy": True} if offline else {})} if what else {},
        )
        for who, what, offline, at in history
    )
    expected: dict[tuple, list] = {}
    for who, what, offline, at in sorted(history, key=lambda e: e[3], reverse=True):
        name = people[who].name if people[who] else None
        off = bool(what) and offline
        key = (name, bool(what), timezone.localdate(at), off, None if off else what)
        expected.setdefault(key, [at, 0])[1] += 1
    want = sorted(((v[0], k[0], k[4], v[1]) for k, v in expected.items()), key=lambda w: w[0])
    want = want[::-1][:limit]
    got = [
        (line.latest, line.actor_name, line.what, line.times)
        for line in selectors.client_access_log(client=client, limit=limit)
    ]
    assert got == want
