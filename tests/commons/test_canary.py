"""A payload has no place for text: a planted string is refused and never shown or logged."""

from __future__ import annotations

import json
import logging

import pytest
from django.core import serializers

from commons.models import DataValue, DataValueSet, ImportLog, RegisteredTeam
from tests.commons.helpers import enrol_and_report, payload

CANARY = "CANARY-7f3e-Mrs-Jones-42-Acacia-Avenue"
PUBLIC_URLS = [
    "/commons/",
    "/commons/data.csv",
    "/commons/api/v1/observations/",
    "/commons/api/v1/codes/",
    "/commons/data/",
    "/commons/api/openapi.json",
]


def planted(ref: str) -> list[dict]:
    """A valid payload with the canary in each place a string can go, one place at a time."""
    variants = []
    for path in [
        ("comment",),
        ("period",),
        ("orgUnit",),
        ("completeDate",),
        ("dataSet",),
        ("attributes", "region"),
        ("attributes", "serviceType"),
        ("attributes", "note"),
        ("dataValues", 0, "dataElement"),
        ("dataValues", 0, "category"),
        ("dataValues", 0, "value"),
        ("dataValues", 3, "status"),
        ("dataValues", 0, "note"),
    ]:
        body = payload(ref)
        target = body
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = CANARY
        variants.append(body)
    return variants


@pytest.fixture
def public_pages(client):
    def fetch() -> str:
        return "".join(client.get(url).text for url in PUBLIC_URLS)

    return fetch


def test_every_planted_string_is_refused_with_422(hub):
    answers = {hub.send(body).status_code for body in planted(hub.ref)}
    assert answers == {422}


def test_a_planted_string_never_reaches_pages_data_logs_or_the_database(
    hub, public_pages, caplog, settings
):
    settings.COMMONS_INGEST_RATE = ""
    enrol_and_report(12)
    caplog.set_level(logging.DEBUG)
    for body in planted(hub.ref):
        hub.send(body)
        hub.send(body, dry_run=True)
    hub.send(json.dumps({"team": CANARY}).encode(), HTTP_X_COMMONS_TEAM=CANARY)
    hub.client.post(
        "/commons/api/v1/teams/",
        {"region": CANARY, "serviceType": "other", "sizeBand": "5-8"},
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer patch-demo-enrol",
    )
    stored = serializers.serialize(
        "json",
        [
            *RegisteredTeam.objects.all(),
            *DataValueSet.objects.all(),
            *DataValue.objects.all(),
            *ImportLog.objects.all(),
        ],
    )
    assert CANARY not in public_pages()
    assert CANARY not in caplog.text
    assert CANARY not in stored
