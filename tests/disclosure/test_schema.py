from __future__ import annotations

import copy
import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from disclosure import schema
from disclosure.control import protect_team_week
from tests.disclosure.world import EVEN, full_week

VALUES = protect_team_week(full_week([EVEN] * 6), staff=6, clients=40)
BASE = schema.build_payload(
    period="2026W48",
    org_unit="t-3f9c2a71d0",
    revision=1,
    region="E12000007",
    service_type="district_nursing",
    size_band="5-8",
    values=VALUES,
)


def payload(**changes):
    built = copy.deepcopy(BASE)
    built.update(changes)
    return built


def test_schema_is_valid_draft_2020_12():
    Draft202012Validator.check_schema(schema.json_schema())


def test_schema_closes_every_object():
    def objects(node):
        if isinstance(node, dict):
            if node.get("type") == "object":
                yield node
            for value in node.values():
                yield from objects(value)
        elif isinstance(node, list):
            for value in node:
                yield from objects(value)

    found = list(objects(schema.json_schema()))
    assert len(found) == 3
    assert all(o["additionalProperties"] is False for o in found)


def test_schema_has_no_free_text_field():
    """Every string in a payload is a constant, an enum or a tight pattern."""

    def strings(node):
        if isinstance(node, dict):
            if node.get("type") == "string":
                yield node
            for value in node.values():
                yield from strings(value)
        elif isinstance(node, list):
            for value in node:
                yield from strings(value)

    assert all("pattern" in s for s in strings(schema.json_schema()))


def test_a_protected_week_is_valid():
    assert schema.validate(payload()) == []


def test_payload_survives_json_round_trip():
    assert schema.validate(json.loads(json.dumps(payload()))) == []


def test_unknown_key_is_refused():
    assert any("'note'" in e for e in schema.validate(payload(note="Mrs Smith")))


def test_unknown_key_in_a_value_is_refused():
    p = payload()
    p["dataValues"][0]["comment"] = "hello"
    assert schema.validate(p)


def test_a_day_is_not_a_period():
    assert schema.validate(payload(period="2026-11-26"))
    assert schema.validate(payload(completeDate="2026-11-26"))


def test_complete_date_must_be_the_period():
    assert schema.validate(payload(completeDate="2026W47")) == [
        "completeDate: must be the period's week"
    ]


def test_category_must_belong_to_its_element():
    p = payload()
    p["dataValues"][0]["category"] = "done"  # a VISITS category on HOURS
    assert schema.validate(p)


def test_a_null_needs_a_reason_and_a_number_has_none():
    p = payload()
    p["dataValues"][0].update(value=None, status=None)
    assert schema.validate(p)
    p["dataValues"][0].update(value=10, status="C")
    assert schema.validate(p)


def test_counts_are_multiples_of_five():
    p = payload()
    index = next(i for i, d in enumerate(p["dataValues"]) if d["dataElement"] == "VISITS")
    p["dataValues"][index].update(value=12, status=None)
    assert schema.validate(p)


def test_a_cell_appears_once():
    p = payload()
    p["dataValues"][-1] = copy.deepcopy(p["dataValues"][0])
    assert any("more than once" in e for e in schema.validate(p))


def test_hours_have_at_most_one_decimal():
    p = payload()
    p["dataValues"][0].update(value=10.25, status=None)
    assert any("decimal" in e for e in schema.validate(p))


def test_attributes_are_closed_lists():
    p = payload()
    p["attributes"]["region"] = "Leeds"
    assert schema.validate(p)


def test_size_bands():
    assert [schema.size_band(n) for n in (1, 4, 5, 8, 9, 12, 13, 40)] == [
        "1-4",
        "1-4",
        "5-8",
        "5-8",
        "9-12",
        "9-12",
        "13+",
        "13+",
    ]


def test_published_values_round_trip():
    assert schema.published_values(payload()) == VALUES


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=10,
)


@given(json_values)
def test_validate_answers_any_json_with_a_list(value):
    assert isinstance(schema.validate(value), list)


@settings(max_examples=50)
@given(
    st.sampled_from(["dataSet", "period", "orgUnit", "revision", "attributes", "dataValues"]),
    json_values,
)
def test_validate_never_raises_on_a_mangled_field(key, value):
    p = payload()
    p[key] = value
    assert isinstance(schema.validate(p), list)


all_categories = sorted({c for e in schema.ELEMENTS.values() for c in e.categories})
data_value = st.fixed_dictionaries(
    {
        "dataElement": st.sampled_from(list(schema.ELEMENTS)),
        "category": st.sampled_from(all_categories),
        "value": st.none() | st.integers(-20, 20) | st.sampled_from([-2.5, 0.5, 12.5, 1e9]),
        "status": st.none() | st.sampled_from(list(schema.STATUSES)),
    }
)


@settings(max_examples=100)
@given(st.lists(data_value, max_size=6))
def test_validate_agrees_with_the_published_schema(values):
    p = payload(dataValues=values)
    published = Draft202012Validator(schema.json_schema())
    assert (schema._schema_errors(p) == []) == published.is_valid(p)


def test_not_a_number_and_infinity_are_refused():
    for index in (0, 10):  # an hours value and a count
        for value in (math.nan, math.inf, -math.inf):
            p = payload()
            p["dataValues"][index]["value"] = value
            assert schema.validate(p), (index, value)
