"""Whatever arrives at the hub's API, the answer is a clear 4xx or a 2xx: never a 5xx."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commons.models import RegisteredTeam
from tests.commons.helpers import INGEST_URL, enrol_and_report, payload, signed_headers

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
header_text = st.text(max_size=90)


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    settings.COMMONS_INGEST_RATE = ""


def _answered(response) -> int:
    assert response.status_code < 500, response.content[:300]
    return response.status_code


@FUZZ
@given(body=st.binary(max_size=300), team=header_text, stamp=header_text, nonce=header_text,
       signature=header_text)  # fmt: skip
def test_any_bytes_and_headers_get_a_4xx(hub, body, team, stamp, nonce, signature):
    headers = {
        "HTTP_X_COMMONS_TEAM": team,
        "HTTP_X_COMMONS_TIMESTAMP": stamp,
        "HTTP_X_COMMONS_NONCE": nonce,
        "HTTP_X_COMMONS_SIGNATURE": signature,
    }
    status = _answered(
        hub.client.post(INGEST_URL, body, content_type="application/json", **headers)
    )
    assert 400 <= status < 500


@FUZZ
@given(data=st.data())
def test_a_signed_payload_with_any_field_replaced_never_fails_the_server(hub, data):
    """Signed correctly, so each mutation reaches parsing, the schema and the revision rules."""
    body = payload(hub.ref)
    path = data.draw(
        st.sampled_from(
            [("period",), ("revision",), ("orgUnit",), ("attributes",), ("attributes", "region"),
             ("dataValues",), ("dataValues", 0), ("dataValues", 0, "value"),
             ("dataValues", 1, "status"), ("dataValues", 2, "category"), ("completeDate",)]
        )
    )  # fmt: skip
    target = body
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = data.draw(json_values)
    raw = json.dumps(body).encode()
    dry_run = data.draw(st.sampled_from(["", "?dryRun=true", "?dryRun=maybe"]))
    response = hub.client.post(
        INGEST_URL + dry_run, raw, content_type="application/json",
        **signed_headers(hub.ref, hub.key, raw),
    )  # fmt: skip
    assert _answered(response) in {200, 400, 409, 422}


@FUZZ
@given(body=json_values, token=header_text)
def test_enrolment_answers_any_body_with_a_4xx_or_201(db, client, body, token):
    response = client.post(
        "/commons/api/v1/teams/", json.dumps(body), content_type="application/json",
        HTTP_AUTHORIZATION=token,
    )  # fmt: skip
    assert _answered(response) in {400, 401}


@FUZZ
@given(query=st.text(max_size=30))
def test_observation_pages_answer_any_query_string(db, client, query):
    response = client.get("/commons/api/v1/observations/", {"page": query})
    assert _answered(response) in {200, 422}


@FUZZ
@given(query=st.dictionaries(st.text(max_size=12), st.text(max_size=30), max_size=3))
def test_the_dashboard_and_data_csv_answer_any_query_string(db, client, query):
    if not RegisteredTeam.objects.exists():
        enrol_and_report(10)
    for url in ("/commons/", "/commons/data.csv"):
        assert _answered(client.get(url, query)) == 200
