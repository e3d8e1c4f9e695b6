"""No personal data in URLs or logs: a day's flows with canary-named people, every log record
and every requested URL read back for the canaries.

Names, addresses, NHS numbers, notes and e-mail addresses travel in request bodies and pages
only; URLs carry ids, and logs carry paths, kinds and ids.
"""

from __future__ import annotations

import logging
import uuid

import pytest
from django.test import Client as Browser
from django.urls import reverse

from tests.caseload.syncing import mutation, post
from tests.factories import PASSWORD, ClientFactory, MembershipFactory, UserFactory, VisitFactory

CANARIES = (
    "Quilloncanary",  # a member's name
    "quillon.canary",  # her e-mail address
    "Zephyrinecanary",  # a client's name
    "ZZ9 9ZZ",  # the client's postcode
    "9434765919",  # the client's NHS number
    "Canarystreet",  # the client's address
    "canarynote",  # what a nurse wrote
)


class RecordingBrowser(Browser):
    """A test browser that remembers the path and query string of every request it makes."""

    def __init__(self, urls: list[str], **defaults) -> None:
        super().__init__(**defaults)
        self.urls = urls

    def request(self, **request):
        self.urls.append(f"{request.get('PATH_INFO', '')}?{request.get('QUERY_STRING', '')}")
        response = super().request(**request)
        if response.get("Location"):
            self.urls.append(response["Location"])
        return response


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def captured_logs():
    """Every log record of every logger, at every level, while the test runs."""
    root = logging.getLogger()
    handler, level = Capture(), root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler.lines
    root.removeHandler(handler)
    root.setLevel(level)


def _leaks(texts: list[str]) -> list[str]:
    return [t for t in texts for canary in CANARIES if canary.lower() in t.lower()]


def test_a_days_work_leaves_no_personal_data_in_urls_or_logs(team, alice, captured_logs):
    member = MembershipFactory(
        team=team, user=UserFactory(name="Mia Quilloncanary", email="quillon.canary@example.org")
    ).user
    client = ClientFactory(
        team=team,
        name="Zephyrinecanary Jones",
        postcode="ZZ9 9ZZ",
        nhs_number="9434765919",
        address="1 Canarystreet",
        primary_nurse=member,
    )
    visit = VisitFactory(client=client, assigned_to=member)
    urls: list[str] = []
    nurse = RecordingBrowser(urls)
    login = reverse("login")
    nurse.post(login, {"username": "quillon.canary@example.org", "password": "wrong"})
    nurse.post(login, {"username": "quillon.canary@example.org", "password": PASSWORD})
    slug = {"team_slug": team.slug}
    client_ids = {**slug, "client_id": client.pk}
    pages = [
        reverse("caseload:today", kwargs=slug),
        reverse("caseload:board", kwargs=slug),
        reverse("caseload:clients", kwargs=slug),
        reverse("caseload:client", kwargs=client_ids),
        reverse("caseload:client_edit", kwargs=client_ids),
        reverse("caseload:visit", kwargs={**slug, "visit_id": visit.pk}),
        reverse("caseload:handovers", kwargs=slug),
        reverse("teams:members", kwargs=slug),
        reverse("caseload:client", kwargs={**slug, "client_id": 999_999}),  # a 404 is logged
    ]
    for page in pages:
        assert nurse.get(page).status_code < 500
    clients = reverse("caseload:clients", kwargs=slug)
    found = nurse.post(clients, {"q": "Zephyrinecanary", "status": "", "page": "1"})
    assert "Zephyrinecanary Jones" in found.content.decode()
    nurse.post(
        reverse("caseload:client_add", kwargs=slug),
        {"name": "Zephyrinecanary Smith", "postcode": "ZZ9 9ZZ", "address": "2 Canarystreet"},
    )
    nurse.post(
        reverse("caseload:client_edit", kwargs=client_ids),
        {"name": "Zephyrinecanary Jones", "nhs_number": "not a number canarynote"},
    )
    batch = [
        mutation("visit.record", visit.pk, 1, actual_minutes=20, note="canarynote"),
        mutation("handover.create", uuid.uuid4(), text="canarynote", client=client.pk),
        mutation(
            "time.save", uuid.uuid4(), date="2026-02-30", category="x", description="canarynote"
        ),
        mutation("no.such.kind", uuid.uuid4(), text="Zephyrinecanary"),
    ]
    assert post(nurse, team, batch).status_code == 200
    assert post(nurse, team, [{"id": "canarynote"}]).status_code == 200
    manager = RecordingBrowser(urls)
    manager.force_login(alice)
    manager.post(reverse("teams:invite", kwargs=slug), {"email": "quillon.canary@example.org"})
    assert captured_logs, "the capture saw no log records at all"
    assert _leaks(urls) == []
    assert _leaks(captured_logs) == []
