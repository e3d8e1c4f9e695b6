"""Disclosure control: what of a team-week, or of a hub figure, may be shown.

One module for both ends. The team applies :func:`protect_team_week` before anything leaves;
the hub applies :func:`protect_hub_cell` and :func:`hub_distribution` before anything is shown;
both run :func:`check`, an audit written apart from ``protect``, on what they are about to send
or show. ``docs/privacy.md`` states each rule and why.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import random
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from disclosure.audit import check
from disclosure.rules import (
    MIN_CLIENTS,
    MIN_STAFF,
    MIN_TEAMS,
    MIN_TEAMS_FOR_SUMS,
    ROUNDING_BASE,
    SMALL_COUNT_MAX,
    Cell,
    magnitude_status,
    protection_needed,
    round_to_base,
)
from disclosure.schema import (
    COUNT,
    ELEMENTS,
    SECONDARY,
    SMALL_COUNT,
    TOO_FEW_TEAMS,
    WITHHELD,
    Element,
    Published,
)

__all__ = [
    "MIN_CLIENTS",
    "MIN_STAFF",
    "MIN_TEAMS",
    "MIN_TEAMS_FOR_SUMS",
    "ROUNDING_BASE",
    "SMALL_COUNT_MAX",
    "Cell",
    "Distribution",
    "Published",
    "check",
    "hub_distribution",
    "magnitude_status",
    "protect_hub_cell",
    "protect_team_week",
    "protection_needed",
    "round_to_base",
]


@dataclass(frozen=True)
class Distribution:
    """A hub figure over many teams: quartiles of per-team values, or a reason code."""

    teams: int
    q1: float | None
    median: float | None
    q3: float | None
    status: str | None


def _count(cell: Cell) -> int:
    value = cell.value
    if any(x < 0 for x in cell.contributions) or value != round(value):
        raise ValueError(f"{cell.element} {cell.category}: counts are non-negative whole numbers")
    return round(value)


def _primary(cell: Cell, element: Element, small_counts: set[tuple[str, str]]) -> str | None:
    if element.kind == COUNT:
        return SMALL_COUNT if 1 <= _count(cell) <= SMALL_COUNT_MAX else None
    if element.count_of and (element.count_of, cell.category) in small_counts:
        return SMALL_COUNT  # a sum over 1 to 7 contributions tells what the few gave
    return magnitude_status(cell.contributions)


def _checked(cells: Sequence[Cell]) -> dict[tuple[str, str], Cell]:
    by_key: dict[tuple[str, str], Cell] = {}
    for cell in cells:
        element = ELEMENTS.get(cell.element)
        if element is None or cell.category not in element.categories:
            raise ValueError(f"not in the schema: {cell.element} {cell.category}")
        if (cell.element, cell.category) in by_key:
            raise ValueError(f"given twice: {cell.element} {cell.category}")
        by_key[(cell.element, cell.category)] = cell
    for element in ELEMENTS.values():
        if element.total and (element.code, element.total) in by_key:
            _check_total(element, by_key)
    return by_key


def _check_total(element: Element, by_key: dict[tuple[str, str], Cell]) -> None:
    """Refuse a total that is not the sum of its parts: the tables' protection relies on it."""
    parts = [by_key.get((element.code, c)) for c in element.parts]
    if any(p is None for p in parts):
        raise ValueError(f"{element.code}: a total needs every part")
    total = by_key[(element.code, element.total)].value
    if abs(total - math.fsum(p.value for p in parts if p)) > 0.05:
        raise ValueError(f"{element.code}: {element.total} is not the sum of the other categories")


def _table_protection(
    target: str, suppressed: set[str], values: dict[str, float], element: Element
) -> float:
    """Return how far the table's equation lets the target's value move (both ways, ≥ 0 parts)."""
    parts_hidden = [c for c in suppressed if c != element.total and c != target]
    if target == element.total:
        return math.fsum(values[c] for c in parts_hidden) if parts_hidden else 0.0
    if element.total in suppressed:
        return math.inf
    return math.fsum(values[c] for c in parts_hidden)


def _complement(
    target: str, need: float, suppressed: set[str], values: dict[str, float], element: Element
) -> str | None:
    """Choose the next cell to hide: the smallest part big enough, else the total or the largest.

    Hiding the smallest sufficient cell loses the least; the total protects every part at once,
    so it is the fallback for a part, and the largest part the step towards enough for a total.
    """
    open_parts = [c for c in element.parts if c not in suppressed and c != target]
    enough = [c for c in open_parts if values[c] >= need]
    if enough:
        return min(enough, key=lambda c: (values[c], element.categories.index(c)))
    if target != element.total and element.total not in suppressed:
        return element.total
    if not open_parts:
        return None
    return max(open_parts, key=lambda c: (values[c], -element.categories.index(c)))


def _secondary(
    element: Element, statuses: dict[str, str | None], cells: dict[str, Cell]
) -> dict[str, str]:
    """Return the extra cells to hide so no hidden cell of this table can be worked out."""
    values = {c: cells[c].value for c in element.categories}
    needed = {c: protection_needed(cells[c].contributions) for c, s in statuses.items() if s}
    suppressed = {c for c, s in statuses.items() if s}
    added: dict[str, str] = {}
    progress = True
    while progress:
        progress = False
        for target in element.categories:
            if target not in needed:
                continue
            need = needed[target] - _table_protection(target, suppressed, values, element)
            if need > 1e-9 or len(suppressed) == 1:
                choice = _complement(target, need, suppressed, values, element)
                if choice is None:
                    continue
                suppressed.add(choice)
                added[choice] = SECONDARY
                progress = True
    return added


def _published(cell: Cell, status: str | None) -> Published:
    if status is not None:
        return Published(cell.element, cell.category, None, status)
    base = ELEMENTS[cell.element].rounding
    return Published(cell.element, cell.category, round_to_base(cell.value, base), None)


def protect_team_week(cells: Sequence[Cell], *, staff: int, clients: int) -> list[Published]:
    """Return what may leave the team for one week: each cell rounded, or hidden with a reason.

    Deterministic: the same cells always give the same output, so a week sent again with
    nothing changed is identical (the revision rule relies on it).
    """
    by_key = _checked(cells)
    if staff < MIN_STAFF or clients < MIN_CLIENTS:
        return [Published(c.element, c.category, None, WITHHELD) for c in cells]
    counts = {k: c for k, c in by_key.items() if ELEMENTS[c.element].kind == COUNT}
    statuses = {k: _primary(c, ELEMENTS[c.element], set()) for k, c in counts.items()}
    small = {k for k, status in statuses.items() if status}  # sums follow their n
    for key, cell in by_key.items():
        if key not in counts:
            statuses[key] = _primary(cell, ELEMENTS[cell.element], small)
    for element in ELEMENTS.values():
        if element.total and (element.code, element.total) in by_key:
            table = {c: by_key[(element.code, c)] for c in element.categories}
            table_status = {c: statuses[(element.code, c)] for c in element.categories}
            for category, code in _secondary(element, table_status, table).items():
                statuses[(element.code, category)] = code
    return [_published(c, statuses[(c.element, c.category)]) for c in cells]


def protect_hub_cell(
    element: str,
    category: str,
    team_values: Sequence[float],
    *,
    min_teams: int = MIN_TEAMS_FOR_SUMS,
) -> Published:
    """Return a sum over teams for the hub: shown only over enough teams, never dominated.

    ``team_values`` are the teams' published numbers (suppressed ones left out). ``min_teams``
    can raise the threshold, never lower it below ``MIN_TEAMS_FOR_SUMS``: at 10 teams an
    attacker who knows one team's value tells whether it is in the sum with an advantage
    above 0.10 (docs/privacy.md).
    """
    if len(team_values) < max(min_teams, MIN_TEAMS_FOR_SUMS):
        return Published(element, category, None, TOO_FEW_TEAMS)
    status = magnitude_status(team_values)
    if status:
        return Published(element, category, None, status)
    base = ELEMENTS[element].rounding if element in ELEMENTS else ROUNDING_BASE
    return Published(element, category, round_to_base(math.fsum(team_values), base), None)


def _noise(secret: bytes, label: str, values: Sequence[float]) -> random.Random:
    """Return a generator seeded by the figure: the same figure shows the same noise each time.

    Asking again never averages the noise away; without the secret the seed is unknowable.
    """
    message = (label + "|" + ",".join(repr(v) for v in sorted(values))).encode()
    seed = hmac.new(secret, message, hashlib.sha256).digest()
    return random.Random(int.from_bytes(seed, "big"))  # noqa: S311 - noise, not a secret


def _laplace(rng: random.Random, scale: float) -> float:
    return rng.expovariate(1 / scale) - rng.expovariate(1 / scale)


def hub_distribution(
    values: Sequence[float],
    *,
    min_teams: int = MIN_TEAMS,
    bounds: tuple[float, float] = (0.0, 1.0),
    decimals: int = 2,
    secret: bytes = b"",
    label: str = "",
) -> Distribution:
    """Return the quartiles of per-team values (shares) over at least ``min_teams`` teams.

    ``min_teams`` can raise the threshold, never lower it below ``MIN_TEAMS``. Each quartile
    gets Laplace noise of scale IQR/√n, is clipped to ``bounds`` and rounded, so
    an attacker who knows one team's value and how teams vary cannot tell whether that team is
    in the figure with an advantage above 0.10 (docs/privacy.md, the absence-inference test).
    Pass the hub's ``secret`` and a ``label`` naming the figure (e.g. "frontline|2026W48|E1").
    """
    teams = len(values)
    if teams < max(min_teams, MIN_TEAMS):
        return Distribution(teams, None, None, None, TOO_FEW_TEAMS)
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    scale = max(q3 - q1, 10.0**-decimals) / math.sqrt(teams)
    rng = _noise(secret, label, values)
    noisy = sorted(
        q + rng.expovariate(1 / scale) - rng.expovariate(1 / scale) for q in (q1, q2, q3)
    )
    low, high = bounds
    q1, q2, q3 = (round(min(max(q, low), high), decimals) for q in noisy)
    return Distribution(teams, q1, q2, q3, None)
