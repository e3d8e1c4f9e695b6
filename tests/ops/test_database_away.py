"""A database that cannot be reached answers 503 with Retry-After, never 500; the pool setting."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import InterfaceError, OperationalError
from django.test import Client

from config.settings import database_pool


def test_database_pool_reads_min_and_max_and_the_wait():
    assert database_pool("2,8") == {"min_size": 2, "max_size": 8, "timeout": 10}
    assert database_pool("") is None


@pytest.mark.parametrize("value", ["8", "8,2", "a,b", "0,0", "1,2,3"])
def test_a_malformed_database_pool_stops_start_up(value):
    with pytest.raises(ImproperlyConfigured):
        database_pool(value)


def test_a_page_whose_session_cannot_be_read_answers_503_asking_to_retry(
    alice_client, monkeypatch, team
):
    def away(self):
        raise OperationalError("connection refused")

    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", away)
    alice_client.raise_request_exception = False

    response = alice_client.get(f"/t/{team.slug}/today/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"


def test_a_sync_whose_connection_dropped_answers_503_json_asking_to_retry(
    alice_client, monkeypatch, team
):
    def dropped(**kwargs):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr("caseload.views.sync.sync_service.sync_batch", dropped)
    body = {"device": "8f0c4f52-5b3a-4c49-9d7e-4d1c2d3e4f50", "mutations": []}

    response = alice_client.post(
        f"/t/{team.slug}/sync/", json.dumps(body), content_type="application/json"
    )

    assert (response.status_code, response["Retry-After"]) == (503, "5")
    assert "error" in response.json()


@pytest.mark.django_db
def test_any_other_server_error_is_still_a_plain_500(monkeypatch, team, alice):
    def broken(self):
        raise RuntimeError("a bug")

    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", broken)
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "x" * 32

    response = client.get(f"/t/{team.slug}/today/")

    assert response.status_code == 500
    assert not response.has_header("Retry-After")
