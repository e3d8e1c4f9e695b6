"""A canary in every name, note and free-text field of a team never leaves it: not in any
payload, not in the preview, not in the log."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
import time_machine
from django.test import Client

from caseload.models import Handover, Note, TimeEntry, VisitStatus
from insights.export import selectors, services
from insights.models import Sending
from insights.pvi import PULSE_KEYS
from insights.services import client_answer_save, pulse_answer, snapshot_save
from teams.models import Role
from tests.factories import ClientFactory, MembershipFactory, TeamFactory, UserFactory, VisitFactory
from tests.insights.export.conftest import NOW, WEEK

CANARY = "Zqx7Canary"
DAYS = [dt.date(2026, 3, 16) + dt.timedelta(days=n) for n in range(5)]  # 2026W12


def _canary(what: str) -> str:
    return f"{what} {CANARY}"


@pytest.fixture
def canary_team(db):
    team = TeamFactory(name=_canary("Team"), slug="canary", area=_canary("Area"))
    members = [
        MembershipFactory(
            team=team, user=UserFactory(name=_canary(f"Nurse {n}")), job_title=_canary("Job")
        ).user
        for n in range(7)
    ]
    Role.objects.create(team=team, name=_canary("Role"), description=_canary("Duty"))
    for n in range(9):
        client = ClientFactory(
            team=team,
            name=_canary(f"Client {n}"),
            preferred_name=_canary("Pref"),
            address=_canary("1 Lane"),
            key_contacts=_canary("Daughter"),
            consent_notes=_canary("Consent"),
            alerts=_canary("Dog"),
        )
        for day, nurse in zip(DAYS, members, strict=False):
            visit = VisitFactory(
                client=client, date=day, assigned_to=nurse, status=VisitStatus.DONE
            )
            Note.objects.create(
                team=team, client=client, visit=visit, author=nurse, text=_canary("Visit note")
            )
            client_answer_save(
                visit=visit, rating="good", comment=_canary("Lovely"), channel="tablet", now=NOW
            )
        VisitFactory(
            client=client, date=DAYS[0], status=VisitStatus.MISSED, status_reason=_canary("Not in")
        )
        Handover.objects.create(
            team=team, client=client, author=members[0], text=_canary("Handover")
        )
    for nurse in members:
        for day in DAYS:
            TimeEntry.objects.create(
                team=team,
                member=nurse,
                date=day,
                category="direct",
                minutes=300,
                description=_canary("Entry"),
            )
            TimeEntry.objects.create(
                team=team,
                member=nurse,
                date=day,
                category="travel",
                minutes=60,
                description=_canary("Drive"),
            )
    return team, members


def test_no_canary_leaves_in_any_payload_the_preview_or_the_log(
    canary_team, settings, monkeypatch, caplog
):
    team, members = canary_team
    caplog.set_level(logging.DEBUG)
    posted = []
    monkeypatch.setattr(
        services,
        "post",
        lambda url, body, headers: (
            posted.append((url, body, headers))
            or services.Answer(201, {"orgUnit": "t-0000000001", "key": "k"})
            if url.endswith("teams/")
            else services.Answer(200, {"status": "OK"})
        ),
    )
    settings.COMMONS_URL = "http://hub.test/commons/"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with time_machine.travel(NOW, tick=False):
        for nurse in members[:6]:
            pulse_answer(
                team=team,
                member=nurse,
                answers=dict.fromkeys(PULSE_KEYS, 4),
                now=dt.datetime(2026, 3, 18, 9, tzinfo=dt.UTC),
            )
        snapshot = snapshot_save(team=team, week=WEEK, now=NOW)
        services.commons_join(
            team=team, by=members[0], region="E12000001", service_type="district_nursing"
        )
        services.snapshot_saved(snapshot=snapshot)
        services.send_due()
        browser = Client()
        browser.force_login(members[0])
        page = browser.get(f"/t/{team.slug}/insights/commons/", {"week": WEEK}).content.decode()
        preview = selectors.preview(
            team=team, week=WEEK, enrolment=selectors.enrolment(team=team), revision=1
        )

    payloads = [json.dumps(s.payload) for s in Sending.objects.for_team(team)]
    assert payloads and all(p.count('"value"') > 10 for p in payloads)
    assert any(v["value"] for v in preview.payload["dataValues"])  # a real week, not all withheld
    preview_html = page[page.index('id="commons-preview"') :]
    sent = b"".join(body + json.dumps(headers).encode() for _url, body, headers in posted)
    assert CANARY in page  # the team's own page names it; the preview section must not
    assert "queued 2026W12" in caplog.text  # the log was captured
    for text in [*payloads, json.dumps(preview.payload), preview_html, sent.decode(), caplog.text]:
        assert CANARY not in text
