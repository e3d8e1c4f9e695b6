"""The closed list of what a team-week may contain, and the JSON Schema that holds payloads to it.

A payload is a DHIS2-style data value set: one team (an opaque reference), one ISO week, and
one value (or a reason code) per data element and category. Every key, code and number format
is closed, so no free text, name or date finer than the week can travel in it. The hub
publishes :func:`json_schema` at ``/commons/schema/v1.json``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

SCHEMA_VERSION = "1.0"
DATA_SET = "patch-team-week"
SCHEMA_ID = "https://patch.invalid/commons/schema/v1.json"

COUNT = "count"
MAGNITUDE = "magnitude"

# Reason codes a null value carries (like SDMX OBS_STATUS); docs/privacy.md explains each.
WITHHELD = "W"
SMALL_COUNT = "C"
DOMINANCE = "D"
P_PERCENT = "P"
SECONDARY = "S"
TOO_FEW_TEAMS = "T"


def gettext_noop(message: str) -> str:
    """Mark ``message`` for the translation catalogue; the pages translate it when they show it.

    This package imports no Django, and the payload and the API keep the English text.
    """
    return message


STATUSES: dict[str, str] = {
    WITHHELD: gettext_noop("team-week withheld: fewer than 5 staff or 5 clients contributed"),
    SMALL_COUNT: gettext_noop("small count: 1 to 7"),
    DOMINANCE: gettext_noop("dominance: the largest contributor is more than 50 % of the cell"),
    P_PERCENT: gettext_noop(
        "p % rule (p = 10): the second-largest contributor could estimate the largest"
    ),
    SECONDARY: gettext_noop(
        "secondary suppression: protects another suppressed cell of the same table"
    ),
    TOO_FEW_TEAMS: gettext_noop("too few teams: fewer than 10 teams contributed"),
}

PULSE_ITEMS = (
    "time_for_people",
    "team_worked_well",
    "own_judgement",
    "systems_helped",
    "recommend",
)
KBS = ("knowledge", "behaviour", "status")


@dataclass(frozen=True)
class Published:
    """One cell as it leaves the team or shows at the hub: a number, or None and a reason."""

    element: str
    category: str
    value: float | None
    status: str | None  # a reason code (STATUSES) when value is None


@dataclass(frozen=True)
class Element:
    """One data element: its categories, what kind of number it is, and how they add up.

    ``total`` names the category that is the sum of all the others (HOURS ``paid``): the
    categories and that total form one table, which secondary suppression protects.
    ``count_of`` names the count element that says how many contributions a magnitude sums
    (PULSE_SUM is a sum of PULSE_N answers): the two are suppressed together.
    """

    code: str
    categories: tuple[str, ...]
    kind: str
    unit: str
    description: str
    total: str | None = None
    count_of: str | None = None
    low: float = 0  # the least a contribution can be; OUTCOME_CHANGE sums may be negative
    rounding: int = 5  # a published value is a multiple of this (docs/privacy.md)

    @property
    def parts(self) -> tuple[str, ...]:
        """Return the categories that add up to ``total`` (all of them when there is none)."""
        return tuple(c for c in self.categories if c != self.total)


HOURS_PARTS = (
    "direct",
    "indirect",
    "travel",
    "team",
    "training",
    "other",
    "leave",
    "not_recorded",
)

# Which group each HOURS category belongs to: insights' code list groups its activity codes the
# same way (a test holds the two together), and the hub publishes this grouping as data.
HOURS_GROUPS = {
    "direct": "frontline",
    "indirect": "client_related",
    "travel": "client_related",
    "team": "overhead",
    "training": "overhead",
    "other": "overhead",
    "leave": "absence",
    "not_recorded": "not_recorded",
    "paid": "total",
}

ELEMENTS: dict[str, Element] = {
    e.code: e
    for e in (
        Element(
            "HOURS",
            (*HOURS_PARTS, "paid"),
            MAGNITUDE,
            gettext_noop("hours"),
            gettext_noop(
                "Paid hours of the team's staff in the week by activity class (the Insights code "
                "list); paid is the total of the others."
            ),
            total="paid",
            rounding=10,
        ),
        Element(
            "VISITS",
            ("planned", "done", "missed", "cancelled"),
            COUNT,
            gettext_noop("visits"),
            gettext_noop("Visits dated in the week by their status at the end of the week."),
        ),
        Element(
            "CLIENTS",
            ("caseload",),
            COUNT,
            gettext_noop("clients"),
            gettext_noop("Clients on the caseload during the week."),
        ),
        Element(
            "CONTINUITY",
            ("top_two", "visits"),
            COUNT,
            gettext_noop("visits"),
            gettext_noop(
                "Visits done in the 90 days ending with the week (visits) and those made by one "
                "of the client's two most frequent nurses in that time (top_two, never more than "
                "visits)."
            ),
        ),
        Element(
            "OUTCOME_CHANGE",
            KBS,
            MAGNITUDE,
            gettext_noop("rating points"),
            gettext_noop(
                "Sum of changes in Omaha knowledge, behaviour and status ratings (first to latest "
                "rating of each problem rated twice); may be negative."
            ),
            count_of="OUTCOME_N",
            low=-4,
        ),
        Element(
            "OUTCOME_N",
            KBS,
            COUNT,
            gettext_noop("rating pairs"),
            gettext_noop("Number of rating pairs behind OUTCOME_CHANGE."),
        ),
        Element(
            "PULSE_SUM",
            PULSE_ITEMS,
            MAGNITUDE,
            gettext_noop("sum of 1-5 answers"),
            gettext_noop(
                "Sum of the staff pulse answers (1 to 5) per item, pooled over the 4 weeks ending "
                "with this one."
            ),
            count_of="PULSE_N",
        ),
        Element(
            "PULSE_N",
            PULSE_ITEMS,
            COUNT,
            gettext_noop("answers"),
            gettext_noop(
                "Number of staff pulse answers per item, pooled over the 4 weeks ending with this "
                "one."
            ),
        ),
        Element(
            "CLIENT_ANSWERS",
            ("very_good", "good", "neither", "poor", "very_poor", "dont_know"),
            COUNT,
            gettext_noop("answers"),
            gettext_noop(
                "Clients' answers to 'how was your visit', pooled over the 4 weeks ending with "
                "this one."
            ),
        ),
    )
}

SERVICE_TYPES = ("district_nursing", "community_nursing", "social_work", "other")
SIZE_BANDS = ("1-4", "5-8", "9-12", "13+")
REGIONS: dict[str, str] = {
    "E12000001": gettext_noop("North East"),
    "E12000002": gettext_noop("North West"),
    "E12000003": gettext_noop("Yorkshire and The Humber"),
    "E12000004": gettext_noop("East Midlands"),
    "E12000005": gettext_noop("West Midlands"),
    "E12000006": gettext_noop("East of England"),
    "E12000007": gettext_noop("London"),
    "E12000008": gettext_noop("South East"),
    "E12000009": gettext_noop("South West"),
    "W92000004": gettext_noop("Wales"),
    "S92000003": gettext_noop("Scotland"),
    "N92000002": gettext_noop("Northern Ireland"),
}

PERIOD_PATTERN = r"^[0-9]{4}W(0[1-9]|[1-4][0-9]|5[0-3])$"
ORG_UNIT_PATTERN = r"^t-[0-9a-f]{8,32}$"
MAX_VALUE = 10_000_000  # far above any team-week; keeps absurd numbers out
MAX_REVISION = 1_000_000


def size_band(staff: int) -> str:
    """Return the size band of a team with ``staff`` members (what the hub may know of size)."""
    if staff <= 4:
        return "1-4"
    if staff <= 8:
        return "5-8"
    if staff <= 12:
        return "9-12"
    return "13+"


def _value_schema(element: Element) -> dict[str, Any]:
    if element.kind == COUNT:
        number: dict[str, Any] = {"type": "integer", "minimum": 0, "multipleOf": 5}
    else:
        number = {"type": "number", "minimum": -MAX_VALUE if element.low < 0 else 0}
    return {"anyOf": [{"type": "null"}, {**number, "maximum": MAX_VALUE}]}


def _element_rule(element: Element) -> dict[str, Any]:
    """Return what a data value of this element must also satisfy: its categories, its number."""
    return {
        "properties": {
            "category": {"enum": list(element.categories)},
            "value": _value_schema(element),
        }
    }


def _schema(*, with_elements: bool) -> dict[str, Any]:
    categories = sorted({c for e in ELEMENTS.values() for c in e.categories})
    element_rules = [
        {"if": {"properties": {"dataElement": {"const": e.code}}}, "then": _element_rule(e)}
        for e in ELEMENTS.values()
    ]
    data_value = {
        "type": "object",
        "additionalProperties": False,
        "required": ["dataElement", "category", "value", "status"],
        "properties": {
            "dataElement": {"enum": list(ELEMENTS)},
            "category": {"enum": categories},
            "value": {"type": ["number", "null"]},
            "status": {"enum": [None, *STATUSES]},
        },
        "allOf": [
            # A number has no reason code; a null always has one.
            {
                "if": {"properties": {"value": {"type": "null"}}},
                "then": {"properties": {"status": {"enum": list(STATUSES)}}},
                "else": {"properties": {"status": {"const": None}}},
            },
            *(element_rules if with_elements else ()),
        ],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Patch commons team-week data value set",
        "description": f"Schema version {SCHEMA_VERSION}. One team, one ISO week.",
        "type": "object",
        "additionalProperties": False,
        "required": [
            "dataSet",
            "schemaVersion",
            "period",
            "orgUnit",
            "completeDate",
            "revision",
            "attributes",
            "dataValues",
        ],
        "properties": {
            "dataSet": {"const": DATA_SET},
            "schemaVersion": {"const": SCHEMA_VERSION},
            "period": {"type": "string", "pattern": PERIOD_PATTERN},
            "orgUnit": {"type": "string", "pattern": ORG_UNIT_PATTERN},
            "completeDate": {"type": "string", "pattern": PERIOD_PATTERN},
            "revision": {"type": "integer", "minimum": 0, "maximum": MAX_REVISION},
            "attributes": {
                "type": "object",
                "additionalProperties": False,
                "required": ["region", "serviceType", "sizeBand"],
                "properties": {
                    "region": {"enum": list(REGIONS)},
                    "serviceType": {"enum": list(SERVICE_TYPES)},
                    "sizeBand": {"enum": list(SIZE_BANDS)},
                },
            },
            "dataValues": {
                "type": "array",
                "maxItems": sum(len(e.categories) for e in ELEMENTS.values()),
                "items": data_value,
            },
        },
    }


def json_schema() -> dict[str, Any]:
    """Return the payload's JSON Schema (draft 2020-12); closed everywhere."""
    return _schema(with_elements=True)


@cache
def _validators() -> tuple[Draft202012Validator, dict[str, Draft202012Validator]]:
    """Return the schema without its per-element rules, and each element's rule on its own.

    Checking a value against its own element's rule (found by its dataElement) is the same as
    the published schema's if/then chain over every element, and several times faster: the hub
    validates every payload it receives. A test holds the two to the same answers.
    """
    return Draft202012Validator(_schema(with_elements=False)), {
        code: Draft202012Validator(_element_rule(e)) for code, e in ELEMENTS.items()
    }


def _where(path: Iterable[object]) -> str:
    return "/".join(str(p) for p in path) or "payload"


def _schema_errors(payload: Any) -> list[str]:
    shape, by_element = _validators()
    errors = [(_where(e.absolute_path), e.message) for e in shape.iter_errors(payload)]
    if not errors:
        for i, item in enumerate(payload["dataValues"]):
            for e in by_element[item["dataElement"]].iter_errors(item):
                errors.append((_where(["dataValues", i, *e.absolute_path]), e.message))
    return [f"{where}: {message}" for where, message in sorted(errors)]


def _semantic_errors(payload: Mapping[str, Any]) -> list[str]:
    """Return what JSON Schema cannot say: one value per cell, the week it was complete."""
    errors = []
    if payload["completeDate"] != payload["period"]:
        errors.append("completeDate: must be the period's week")
    seen: set[tuple[str, str]] = set()
    for i, item in enumerate(payload["dataValues"]):
        key = (item["dataElement"], item["category"])
        if key in seen:
            errors.append(f"dataValues/{i}: {key[0]} {key[1]} appears more than once")
        seen.add(key)
        value = item["value"]
        if value is not None and ELEMENTS[key[0]].kind == MAGNITUDE and round(value, 1) != value:
            errors.append(f"dataValues/{i}: {key[0]} {key[1]} has more than one decimal")
    return errors


def validate(payload: Any) -> list[str]:
    """Return the payload's errors in plain words; an empty list means it is valid."""
    return _schema_errors(payload) or _semantic_errors(payload)


def data_values(values: Iterable[Published]) -> list[dict[str, Any]]:
    """Return published cells as the payload's ``dataValues`` (one way for both sides)."""
    return [
        {
            "dataElement": p.element,
            "category": p.category,
            "value": _json_number(p.value, ELEMENTS[p.element].kind),
            "status": p.status,
        }
        for p in values
    ]


def _json_number(value: float | None, kind: str) -> float | int | None:
    if value is None:
        return None
    return int(round(value)) if kind == COUNT else round(float(value), 1)


def build_payload(
    *,
    period: str,
    org_unit: str,
    revision: int,
    region: str,
    service_type: str,
    size_band: str,
    values: Iterable[Published],
) -> dict[str, Any]:
    """Return the data value set for one team-week from its protected cells."""
    return {
        "dataSet": DATA_SET,
        "schemaVersion": SCHEMA_VERSION,
        "period": period,
        "orgUnit": org_unit,
        "completeDate": period,
        "revision": revision,
        "attributes": {"region": region, "serviceType": service_type, "sizeBand": size_band},
        "dataValues": data_values(values),
    }


def published_values(payload: Mapping[str, Any]) -> list[Published]:
    """Return a valid payload's cells as :class:`Published` (hub side)."""
    return [
        Published(d["dataElement"], d["category"], d["value"], d["status"])
        for d in payload["dataValues"]
    ]
