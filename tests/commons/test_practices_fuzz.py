"""Whatever arrives at the practices' endpoints and pages, the answer is a 2xx or a clear 4xx."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.commons.test_fuzz import FUZZ, header_text, json_values
from tests.commons.test_practices import PRACTICES, Team, practice_body


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    settings.COMMONS_INGEST_RATE = ""


@pytest.fixture
def pair(db, client):
    publisher, adopter = Team(client), Team(client)
    public_id = publisher.publish().json()["id"]
    return publisher, adopter, public_id


def _answered(response) -> int:
    assert response.status_code < 500, response.content[:300]
    return response.status_code


ids = st.one_of(st.text(max_size=20), st.just("p-000000000000"))
paths = ["", "adoptions/", "effects/"]


@FUZZ
@given(body=st.binary(max_size=300), team=header_text, signature=header_text, public_id=ids,
       path=st.sampled_from(paths))  # fmt: skip
def test_any_bytes_and_headers_get_a_4xx(pair, body, team, signature, public_id, path):
    publisher, _, _ = pair
    url = PRACTICES + (f"{quote(public_id, safe='')}/{path}" if path else "")
    headers = {"HTTP_X_COMMONS_TEAM": team, "HTTP_X_COMMONS_TIMESTAMP": "1",
               "HTTP_X_COMMONS_NONCE": "n", "HTTP_X_COMMONS_SIGNATURE": signature}  # fmt: skip
    status = _answered(publisher.client.post(url, body, content_type="application/json", **headers))
    assert 400 <= status < 500


@FUZZ
@given(data=st.data())
def test_a_signed_publication_with_any_field_replaced_never_fails_the_server(pair, data):
    publisher, _, _ = pair
    body = practice_body(source=data.draw(st.sampled_from(["0" * 32, "f" * 32])))
    key = data.draw(st.sampled_from([*body, "extra"]))
    body[key] = data.draw(json_values | st.text(max_size=3000))
    assert _answered(publisher.post(PRACTICES, body)) in {200, 201, 400, 422}


@FUZZ
@given(body=json_values, path=st.sampled_from(["adoptions/", "effects/"]))
def test_a_signed_adoption_or_report_with_any_body_never_fails_the_server(pair, body, path):
    _, adopter, public_id = pair
    raw = json.dumps(body).encode()
    assert _answered(adopter.post(f"{PRACTICES}{public_id}/{path}", raw)) in {
        200, 201, 400, 404, 409, 422
    }  # fmt: skip


@FUZZ
@given(query=st.text(max_size=60), page=st.text(max_size=12), public_id=st.text(max_size=20))
def test_the_list_detail_and_pages_answer_any_query(pair, query, page, public_id):
    publisher, _, _ = pair
    client = publisher.client
    assert _answered(client.get(PRACTICES, {"q": query, "page": page})) in {200, 422}
    assert _answered(client.get("/commons/practices/", {"q": query, "page": page})) == 200
    safe_id = quote(public_id, safe="") or "x"
    assert _answered(client.get(f"{PRACTICES}{safe_id}/")) in {200, 404}
    assert _answered(client.get(f"/commons/practices/{safe_id}/")) in {200, 404}
