"""The hub's one door to the shared ``disclosure`` package (schema, signing, control).

Everything the hub publishes passes through ``hub_total`` or ``spread`` here, and every
incoming payload through ``payload_errors``. Where the hub needs more than the package gives
(secondary suppression across a breakdown, the hub's own re-check of a payload), the extra
rule lives here, beside the call it extends.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from disclosure import control, schema, signing

MAX_SKEW = signing.MAX_SKEW
MIN_TEAMS = 10
TOO_FEW_TEAMS = "T"
SECONDARY = "S"


@dataclass(frozen=True)
class Signed:
    team: str
    timestamp: int
    nonce: str
    signature: str


@dataclass(frozen=True)
class Figure:
    """A published hub figure: a value, or None with the reason code, and the teams behind it."""

    value: float | None
    status: str | None
    teams: int


@dataclass(frozen=True)
class Quartiles:
    q1: float | None
    median: float | None
    q3: float | None
    status: str | None
    teams: int


def signature_headers(headers: Mapping[str, str]) -> Signed | None:
    """Read the four signature headers; None when one is missing or not well formed."""
    values = [
        headers.get(name, "")
        for name in (
            signing.TEAM_HEADER,
            signing.TIMESTAMP_HEADER,
            signing.NONCE_HEADER,
            signing.SIGNATURE_HEADER,
        )
    ]
    team, timestamp, nonce, signature = values
    if not all(values) or not timestamp.isdigit() or len(timestamp) > 12:
        return None
    if len(nonce) > 64 or len(team) > 12 or len(signature) > 80:
        return None
    return Signed(team=team, timestamp=int(timestamp), nonce=nonce, signature=signature)


def verify(*, key: str, body: bytes, signed: Signed) -> bool:
    return signing.verify(key, body, signed.timestamp, signed.nonce, signed.signature)


def payload_errors(payload: dict) -> list[str]:
    """Return the schema's errors, then the hub's own checks of what the team side promised."""
    return schema.validate(payload) or _withheld_errors(payload)


def _withheld_errors(payload: dict) -> list[str]:
    errors = []
    for item in payload["dataValues"]:
        if item["value"] is not None and item.get("status"):
            errors.append(
                f"{item['dataElement']}/{item['category']}: a value with a withheld status."
            )
        elif item["value"] is not None and is_count(item["dataElement"]):
            value = item["value"]
            if value != 0 and (value < 10 or value % 5):
                errors.append(
                    f"{item['dataElement']}/{item['category']}: a count that is not rounded "
                    "to 5 or is a small count."
                )
    return errors


def is_count(element: str) -> bool:
    return schema.ELEMENTS[element].kind == "count"


def attributes_schema() -> dict:
    return schema.json_schema()["properties"]["attributes"]


def attribute_errors(attributes: object) -> list[str]:
    """Validate an enrolment body: exactly the payload's three attributes, from closed lists."""
    return schema.validate_attributes(attributes)


def hub_total(element: str, category: str, team_values: Sequence[float]) -> Figure:
    published = control.protect_hub_cell(element, category, team_values, min_teams=MIN_TEAMS)
    return Figure(value=published.value, status=published.status, teams=len(team_values))


def spread(values: Sequence[float]) -> Quartiles:
    """Quartiles of one figure across teams, or nothing (T) when fewer than MIN_TEAMS sent it."""
    if len(values) < MIN_TEAMS:
        return Quartiles(None, None, None, TOO_FEW_TEAMS, len(values))
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return Quartiles(q1, median, q3, None, len(values))


def protect_breakdown(figures: Mapping[str, Figure], *, total_teams: int) -> dict[str, Figure]:
    """Suppress more groups (S) until the groups withheld hold 0 or at least MIN_TEAMS teams.

    Otherwise the total minus the published groups would give away the sum of the few teams
    left over. The smallest published group goes first.
    """
    result = dict(figures)
    while True:
        hidden = total_teams - sum(f.teams for f in result.values() if f.value is not None)
        shown = [code for code, f in result.items() if f.value is not None]
        if not 0 < hidden < MIN_TEAMS or not shown:
            return result
        smallest = min(shown, key=lambda code: result[code].teams)
        result[smallest] = Figure(None, SECONDARY, result[smallest].teams)


def code_list() -> dict:
    return schema.code_list()


def json_schema() -> dict:
    return schema.json_schema()


def element_codes() -> list[str]:
    return list(schema.ELEMENTS)


def region_name(code: str) -> str:
    return schema.REGIONS.get(code, code)


def service_type_name(code: str) -> str:
    return code.replace("_", " ").capitalize()


def payload_schema() -> dict:
    """The published JSON Schema, shaped to sit inside the OpenAPI document."""
    return {k: v for k, v in schema.json_schema().items() if k not in {"$schema", "$id"}}
