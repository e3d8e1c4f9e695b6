"""The hub's one door to the shared ``disclosure`` package (schema, signing, control).

Everything the hub publishes passes through ``hub_total`` or ``spread`` here, and every
incoming payload through ``payload_errors``. Where the hub needs more than the package gives
(secondary suppression across a breakdown, the grouping of activity codes), the extra rule
lives here, beside the call it extends.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from jsonschema import Draft202012Validator

from disclosure import control, practice, schema, signing

MAX_SKEW = signing.MAX_SKEW
MIN_TEAMS = control.MIN_TEAMS  # a spread across teams
MIN_TEAMS_FOR_SUMS = control.MIN_TEAMS_FOR_SUMS  # a sum over teams
Distribution = control.Distribution

# Bounds of each per-team figure the dashboard spreads (shares, or a change in a 1–5 rating).
SHARE_BOUNDS = (0.0, 1.0)
RATING_CHANGE_BOUNDS = (-4.0, 4.0)


@dataclass(frozen=True)
class Signed:
    team: str
    timestamp: int
    nonce: str
    signature: str


@dataclass(frozen=True)
class Figure:
    """A published hub sum: a value, or None with the reason code, and the teams behind it."""

    value: float | None
    status: str | None
    teams: int


def signature_headers(headers: Mapping[str, str]) -> Signed | None:
    """Read the four signature headers; None when one is missing or not well formed."""
    names = (
        signing.TEAM_HEADER,
        signing.TIMESTAMP_HEADER,
        signing.NONCE_HEADER,
        signing.SIGNATURE_HEADER,
    )
    team, timestamp, nonce, signature = (headers.get(name, "") for name in names)
    if not (team and nonce and signature) or not timestamp.isascii() or not timestamp.isdigit():
        return None
    if len(timestamp) > 12 or len(nonce) > 64 or len(team) > 12 or len(signature) > 80:
        return None
    return Signed(team=team, timestamp=int(timestamp), nonce=nonce, signature=signature)


def verify(*, key: str, body: bytes, signed: Signed) -> bool:
    return signing.verify(key, body, signed.timestamp, signed.nonce, signed.signature)


def fresh(timestamp: int, now: float) -> bool:
    return signing.within_skew(timestamp, int(now))


def payload_errors(payload: object) -> list[str]:
    """Return the schema's errors, then the rules the hub can check from the values alone."""
    errors = schema.validate(payload)
    if errors:
        return errors
    published = schema.published_values(payload)
    return control.check(published) + _small_counts(published)


def _small_counts(published: Sequence[schema.Published]) -> list[str]:
    """A published count of 5 can only come from a count of 3 to 7, which must be hidden."""
    return [
        f"{p.element} {p.category}: a count of 5 would show a small count"
        for p in published
        if p.value == control.ROUNDING_BASE and schema.ELEMENTS[p.element].kind == schema.COUNT
    ]


def attributes_schema() -> dict:
    return schema.json_schema()["properties"]["attributes"]


@cache
def _attributes_validator() -> Draft202012Validator:
    return Draft202012Validator(attributes_schema())


def attribute_errors(attributes: object) -> list[str]:
    """Validate an enrolment body: exactly the payload's three attributes, from closed lists."""
    return [error.message for error in _attributes_validator().iter_errors(attributes)]


def payload_schema() -> dict:
    """The published JSON Schema, shaped to sit inside the OpenAPI document."""
    return {k: v for k, v in schema.json_schema().items() if k not in {"$schema", "$id"}}


def json_schema() -> dict:
    return schema.json_schema()


def hub_total(element: str, category: str, team_values: Sequence[float]) -> Figure:
    published = control.protect_hub_cell(element, category, team_values)
    return Figure(value=published.value, status=published.status, teams=len(team_values))


def _noise_secret() -> bytes:
    return salted_hmac("patch.commons.noise", "hub-distributions").digest()


def spread(
    values: Sequence[float], *, label: str, bounds: tuple[float, float] = SHARE_BOUNDS
) -> Distribution:
    """Quartiles across teams with the package's noise, or nothing (T) under MIN_TEAMS teams.

    ``label`` names the figure, so the same figure always carries the same noise.
    """
    return control.hub_distribution(
        values, min_teams=MIN_TEAMS, bounds=bounds, secret=_noise_secret(), label=label
    )


def protect_breakdown(figures: Mapping[str, Figure], *, total_teams: int) -> dict[str, Figure]:
    """Hide more groups (S) until those hidden hold no team or at least MIN_TEAMS_FOR_SUMS.

    Otherwise the published total minus the published groups would give away the sum of the
    few teams left over. The smallest published group goes first.
    """
    result = dict(figures)
    while True:
        hidden = total_teams - sum(f.teams for f in result.values() if f.value is not None)
        shown = [code for code, f in result.items() if f.value is not None]
        if not 0 < hidden < MIN_TEAMS_FOR_SUMS or not shown:
            return result
        smallest = min(shown, key=lambda code: result[code].teams)
        result[smallest] = Figure(None, schema.SECONDARY, result[smallest].teams)


def element_codes() -> list[str]:
    return list(schema.ELEMENTS)


def region_name(code: str) -> str:
    return gettext(schema.REGIONS[code]) if code in schema.REGIONS else code


def service_type_name(code: str) -> str:
    return code.replace("_", " ").capitalize()


def code_list() -> dict:
    """The schema's data elements and categories, with what each HOURS category counts as."""
    return {
        "schemaVersion": schema.SCHEMA_VERSION,
        "elements": [
            {
                "code": element.code,
                "kind": element.kind,
                "unit": element.unit,
                "description": element.description,
                "total": element.total,
                "categories": [
                    {
                        "code": c,
                        "group": schema.HOURS_GROUPS.get(c) if element.code == "HOURS" else None,
                    }
                    for c in element.categories
                ],
            }
            for element in schema.ELEMENTS.values()
        ],
        "statuses": [{"code": code, "meaning": text} for code, text in schema.STATUSES.items()],
        "regions": [{"code": code, "name": name} for code, name in schema.REGIONS.items()],
        "serviceTypes": list(schema.SERVICE_TYPES),
        "sizeBands": list(schema.SIZE_BANDS),
    }


# --- practices: the same text check and schemas as the team side, and the pooled effect -----


def practice_errors(name: str, body: object) -> list[str]:
    """Hold a practice request's body to its schema ("publish", "adopt" or "effect")."""
    return practice.errors(name, body)


def practice_schema(name: str) -> dict:
    return {"publish": practice.publish_schema, "adopt": practice.adopt_schema,
            "effect": practice.effect_schema}[name]()  # fmt: skip


is_share_metric = practice.is_share_metric


def practice_personal_data(body: Mapping[str, object]) -> list[str]:
    """Say which words of a practice look like personal data (the hub knows no names)."""
    return practice.personal_data_errors(practice.personal_data(body))


@dataclass(frozen=True)
class PooledEffect:
    """Adopting teams' reported before and after, and the change, as quartiles across teams."""

    teams: int
    before: Distribution
    after: Distribution
    change: Distribution

    @property
    def shown(self) -> bool:
        return self.change.status is None


def pooled_effect(
    reports: Sequence[tuple[float, float]], *, practice_id: str, metric: str
) -> PooledEffect:
    """Pool what adopting teams reported, shown only over ``MIN_TEAMS`` reporting teams (T).

    The same noise and threshold as the dashboard's spreads (``spread``): a team's report is
    one team's figure, so it is protected like one. A share stays within 0–1.
    """
    if practice.is_share_metric(metric):
        level, change = SHARE_BOUNDS, (-1.0, 1.0)
    else:
        level = change = (-practice.FIGURE_LIMIT, practice.FIGURE_LIMIT)
    label = f"practice|{practice_id}"
    return PooledEffect(
        teams=len(reports),
        before=spread([b for b, _ in reports], label=f"{label}|before", bounds=level),
        after=spread([a for _, a in reports], label=f"{label}|after", bounds=level),
        change=spread([a - b for b, a in reports], label=f"{label}|change", bounds=change),
    )
