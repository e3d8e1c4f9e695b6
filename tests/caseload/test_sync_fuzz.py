"""Payloads for every kind, built from the sync schema and then broken in every way we know.

Whatever arrives, the endpoint answers 200 with exactly one outcome per item, and nothing that
belongs to another team changes.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseload.models import (
    CarePlanProblem,
    Client,
    Handover,
    Intervention,
    Note,
    Rating,
    TimeEntry,
    Visit,
    VisitRecord,
)
from caseload.sync import schema
from tests.caseload.syncing import DEVICE, post_body
from tests.factories import (
    ClientFactory,
    HandoverFactory,
    InterventionFactory,
    VisitFactory,
)

OUTCOMES = {"applied", "duplicate", "conflict", "rejected"}
TEAM_MODELS = [Client, CarePlanProblem, Intervention, Visit, VisitRecord, TimeEntry, Handover]
CLIENT_MODELS = [Note, Rating]

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(st.characters(codec=None, categories=None), max_size=20),  # unicode, lone surrogates
    st.just("x" * 20_000),
    st.just("\x00"),
    st.just("not-a-uuid"),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.recursive(st.integers(), lambda inner: st.lists(inner, max_size=2), max_leaves=4),
)


def _world(team, alice, other_team, charlie):
    """Rows of the member's team and of another team, whose ids the fuzzer mixes in."""
    rows = {}
    for key, owner, member in (("own", team, alice), ("other", other_team, charlie)):
        client = ClientFactory(team=owner)
        intervention = InterventionFactory(care_problem__client=client)
        visit = VisitFactory(client=client, assigned_to=member)
        handover = HandoverFactory(team=owner, author=member)
        rows[key] = {
            "uuids": [
                str(visit.pk),
                str(intervention.pk),
                str(intervention.care_problem_id),
                str(handover.pk),
            ],
            "ints": [client.pk, member.pk],
        }
    return rows


def _valid(spec: schema.Field, ids: st.SearchStrategy, ints: st.SearchStrategy):
    if isinstance(spec, schema.Whole):
        return st.integers(min_value=spec.low, max_value=spec.high)
    if isinstance(spec, schema.Date):
        return st.dates().map(lambda d: d.isoformat())
    if isinstance(spec, schema.Uuid):
        return ids
    if isinstance(spec, schema.RowId):
        return ints
    if isinstance(spec, schema.UuidList):
        return st.lists(ids, max_size=3)
    if isinstance(spec, schema.Ratings):
        return st.lists(st.fixed_dictionaries(_fields(schema.RATING, ids, ints)), max_size=2)
    return st.sampled_from(["team", "travel", "cancelled", "missed", "Dressing changed", " "])


def _fields(shape: schema.Shape, ids, ints) -> dict:
    return {name: _valid(spec, ids, ints) for name, spec in shape.fields.items()}


@st.composite
def _item(draw, rows):
    """A valid item of some kind, then up to three of its values broken or left out."""
    ids = st.one_of(
        st.sampled_from(rows["own"]["uuids"] + rows["other"]["uuids"]), st.uuids().map(str)
    )
    ints = st.sampled_from(rows["own"]["ints"] + rows["other"]["ints"])
    name = draw(st.sampled_from(sorted(schema.KINDS)))
    kind = schema.KINDS[name]
    item = {
        "id": str(uuid.uuid4()),
        "kind": name,
        "target": draw(ids),
        "base_version": None if kind.versioned is False else draw(st.integers(1, 3)),
        "payload": draw(st.fixed_dictionaries(_fields(kind, ids, ints))),
        "created_at": draw(st.datetimes(timezones=st.just(UTC))).isoformat(),
    }
    places = [(item, key) for key in item] + [(item["payload"], key) for key in item["payload"]]
    for where, key in draw(st.lists(st.sampled_from(places), max_size=3)):
        if draw(st.booleans()):
            where[key] = draw(JUNK)
        else:
            where.pop(key, None)
    return item


def _snapshot(other_team) -> list:
    clients = Client.objects.filter(team=other_team)
    return [
        sorted(map(repr, model.objects.filter(team=other_team).values())) for model in TEAM_MODELS
    ] + [
        sorted(map(repr, model.objects.filter(client__in=clients).values()))
        for model in CLIENT_MODELS
    ]


@pytest.mark.slow
def test_any_payload_for_any_kind_gets_one_outcome_and_leaves_other_teams_alone(
    team, alice, alice_client, other_team, charlie
):
    rows = _world(team, alice, other_team, charlie)
    before = _snapshot(other_team)

    @settings(
        max_examples=80,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(batch=st.lists(_item(rows), min_size=1, max_size=6))
    def check(batch):
        response = post_body(alice_client, team, json.dumps({"device": DEVICE, "mutations": batch}))
        assert response.status_code == 200, response.content[:500]
        results = response.json()["results"]
        assert [r["id"] for r in results] == [str(item.get("id")) for item in batch]
        assert {r["status"] for r in results} <= OUTCOMES
        assert _snapshot(other_team) == before

    check()


@pytest.mark.parametrize("name", sorted(schema.KINDS))
def test_every_kind_is_published_with_its_fields(name):
    published = schema.published()["kinds"][name]
    assert set(published["fields"]) == set(schema.KINDS[name].fields)
    assert published["label"]
