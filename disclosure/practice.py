"""What a team sends the hub about a practice: its shape, and the personal-data check on it.

Pure, like the rest of the package: the team side (``ideas/bricks``) builds these bodies and the
hub (``commons``) validates them with the same schemas and the same check, so a body the team
would refuse is refused at the hub too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from disclosure.text import Finding, describe, find_personal_data

TEXT_FIELDS = ("title", "problem", "practice")
TITLE_MAX = 120
TEXT_MAX = 2000
METRIC_PATTERN = r"^([a-z][a-z0-9_]{0,39})?$"
SOURCE_PATTERN = r"^[0-9a-f]{32}$"
PRACTICE_ID_PATTERN = r"^p-[0-9a-f]{12}$"
MAX_WEEKS = 104
FIGURE_LIMIT = 1_000_000  # a metric's value either way; anything beyond is not a metric

_figure = {"type": ["number", "null"], "minimum": -FIGURE_LIMIT, "maximum": FIGURE_LIMIT}
_weeks = {"type": "integer", "minimum": 0, "maximum": MAX_WEEKS}
# Some text, and no NUL or lone surrogate: neither survives a database's text column.
_shown_text = {
    "type": "string",
    "minLength": 1,
    "maxLength": TEXT_MAX,
    "pattern": r"\S",
    "not": {"pattern": r"[\x00\ud800-\udfff]"},
}


def publish_schema() -> dict[str, Any]:
    """The body of a practice a team publishes (JSON Schema draft 2020-12, closed)."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "source",
            "title",
            "problem",
            "practice",
            "metric",
            "before",
            "after",
            "weeksBefore",
            "weeksAfter",
            "trialWeeks",
        ],  # fmt: skip
        "properties": {
            "source": {
                "type": "string",
                "pattern": SOURCE_PATTERN,
                "description": "An opaque key the team chooses; the same key updates its practice.",
            },
            "title": {**_shown_text, "maxLength": TITLE_MAX},
            "problem": _shown_text,
            "practice": _shown_text,
            "metric": {"type": "string", "pattern": METRIC_PATTERN},
            "before": _figure,
            "after": _figure,
            "weeksBefore": _weeks,
            "weeksAfter": _weeks,
            "trialWeeks": {**_weeks, "minimum": 1},
        },
    }


def effect_schema() -> dict[str, Any]:
    """The body of an adopting team's report of what changed in the practice's metric."""
    figure = {"type": "number", "minimum": -FIGURE_LIMIT, "maximum": FIGURE_LIMIT}
    weeks = {**_weeks, "minimum": 1}
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["before", "after", "weeksBefore", "weeksAfter"],
        "properties": {
            "before": figure,
            "after": figure,
            "weeksBefore": weeks,
            "weeksAfter": weeks,
        },
    }


def adopt_schema() -> dict[str, Any]:
    """Adopting says nothing but "we adopt it": the body is an empty object."""
    return {"type": "object", "additionalProperties": False, "maxProperties": 0}


def is_share_metric(metric: str) -> bool:
    """Whether the metric is a share (0 to 1), so figures show as percentages and stay in 0–1."""
    return metric.endswith("_share") or metric == "continuity"


@cache
def _validator(name: str) -> Draft202012Validator:
    schemas = {"publish": publish_schema, "effect": effect_schema, "adopt": adopt_schema}
    return Draft202012Validator(schemas[name]())


def errors(name: str, body: object) -> list[str]:
    """Return the schema ``name``'s errors for ``body`` in plain words (empty: valid)."""
    found = []
    for error in _validator(name).iter_errors(body):
        where = "/".join(str(p) for p in error.absolute_path) or "body"
        found.append(f"{where}: {error.message}"[:300])
    return sorted(found)


def personal_data(
    body: Mapping[str, Any], *, names: Iterable[str] = ()
) -> dict[str, list[Finding]]:
    """Return, for each text field that has any, what in it looks like personal data."""
    names = list(names)
    found = {}
    for field in TEXT_FIELDS:
        findings = find_personal_data(str(body.get(field, "")), names=names)
        if findings:
            found[field] = findings
    return found


def personal_data_errors(found: Mapping[str, list[Finding]]) -> list[str]:
    """Say which words, field by field: the hub's 422 answer."""
    return [
        f"{field}: looks like personal data: {', '.join(describe(findings))}"
        for field, findings in found.items()
    ]
