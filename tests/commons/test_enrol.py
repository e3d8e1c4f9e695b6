"""Enrolment issues an opaque reference and a key once, only to holders of the token."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import call_command

from commons import keys
from commons.models import RegisteredTeam
from tests.commons.helpers import ATTRIBUTES, Hub, payload

ENROL_URL = "/commons/api/v1/teams/"


TOKEN = "patch-demo-enrol"


def enrol(client, body, token=TOKEN):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(
        ENROL_URL, data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


@pytest.fixture(autouse=True)
def _token(settings):
    settings.COMMONS_ENROL_TOKEN = TOKEN


def test_enrolment_answers_an_opaque_reference_and_a_working_key(db, client):
    response = enrol(client, ATTRIBUTES)
    assert response.status_code == 201
    ref, key = response.json()["orgUnit"], response.json()["key"]
    assert re.fullmatch(r"t-[0-9a-f]{10}", ref)
    assert Hub(client, ref, key).send(payload(ref)).status_code == 200


def test_the_database_never_holds_the_key(db, client):
    key = enrol(client, ATTRIBUTES).json()["key"]
    team = RegisteredTeam.objects.get()
    assert key not in {team.ref, team.key_salt}
    assert keys.team_key(ref=team.ref, salt=team.key_salt) == key


def test_a_wrong_token_is_401(db, client):
    assert enrol(client, ATTRIBUTES, token="guess").status_code == 401
    assert not RegisteredTeam.objects.exists()


def test_enrolment_is_closed_without_a_configured_token(db, client, settings):
    settings.COMMONS_ENROL_TOKEN = ""
    assert enrol(client, ATTRIBUTES, token="").status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        b"{nope",
        b"[]",
        ATTRIBUTES | {"region": "Atlantis"},
        ATTRIBUTES | {"teamName": "Riverside"},
        {"region": "E12000007"},
    ],
)
def test_a_malformed_enrolment_is_400(db, client, body):
    assert enrol(client, body).status_code == 400


def test_the_register_command_prints_the_key_once(db, capsys):
    call_command(
        "commons_register", region="E12000002", service_type="social_work", size_band="5-8"
    )
    team = RegisteredTeam.objects.get()
    assert keys.team_key(ref=team.ref, salt=team.key_salt) in capsys.readouterr().out


def test_the_revoke_command_refuses_the_key_from_then_on(hub):
    call_command("commons_revoke", hub.ref)
    assert hub.send(payload(hub.ref)).status_code == 401
