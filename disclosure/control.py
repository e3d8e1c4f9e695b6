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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from disclosure.schema import (
    COUNT,
    DOMINANCE,
    ELEMENTS,
    P_PERCENT,
    SECONDARY,
    SMALL_COUNT,
    STATUSES,
    TOO_FEW_TEAMS,
    WITHHELD,
    Element,
    Published,
)

__all__ = [
    "Cell",
    "Distribution",
    "Published",
    "check",
    "hub_distribution",
    "protect_hub_cell",
    "protect_team_week",
]

MIN_STAFF = 5
MIN_CLIENTS = 5
SMALL_COUNT_MAX = 7  # counts 1..7 are suppressed
ROUNDING_BASE = 5  # a published count is a multiple of 5; each element says its own base
DOMINANCE_SHARE = 0.5  # (1, 50 %) dominance: one contributor above half the cell
P = 0.10  # the p % rule with p = 10
MIN_TEAMS = 10  # a distribution (quartiles of per-team values) needs 10 teams
MIN_TEAMS_FOR_SUMS = 20  # a sum over teams tells more about each team: it needs 20


@dataclass(frozen=True)
class Cell:
    """One cell before protection: one contribution per contributor (member, client or team)."""

    element: str
    category: str
    contributions: tuple[float, ...]

    @property
    def value(self) -> float:
        return math.fsum(self.contributions)


@dataclass(frozen=True)
class Distribution:
    """A hub figure over many teams: quartiles of per-team values, or a reason code."""

    teams: int
    q1: float | None
    median: float | None
    q3: float | None
    status: str | None


def round_to_base(value: float, base: int = ROUNDING_BASE) -> int:
    """Round to the nearest multiple of ``base``, halves away from zero (stable and explicit)."""
    return int(math.copysign(math.floor(abs(value) / base + 0.5) * base, value)) or 0


def _largest_two(contributions: Iterable[float]) -> tuple[float, float, float]:
    """Return the largest, second-largest and total of the contributions' sizes."""
    sizes = sorted((abs(x) for x in contributions), reverse=True)
    first = sizes[0] if sizes else 0.0
    second = sizes[1] if len(sizes) > 1 else 0.0
    return first, second, math.fsum(sizes)


def magnitude_status(contributions: Sequence[float]) -> str | None:
    """Return D or P when the cell would tell too much about its largest contributor."""
    first, second, total = _largest_two(contributions)
    if total <= 0:
        return None
    if first > DOMINANCE_SHARE * total:
        return DOMINANCE
    if total - first - second < P * first:
        return P_PERCENT
    return None


def protection_needed(contributions: Sequence[float]) -> float:
    """Return how far either side of the true value an attacker's interval must reach.

    The p % rule needs the second-largest contributor unable to estimate the largest within
    p %: the interval must stretch ``p·x1 − (T − x1 − x2)``. Dominance at 50 % needs the
    largest unable to be shown above half the cell: ``2·x1 − T``.
    """
    first, second, total = _largest_two(contributions)
    return max(0.0, 2 * first - total, P * first - (total - first - second))


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


def _structural_errors(published: Sequence[Published]) -> list[str]:
    """Return the rules that can be checked from the output alone (what the hub can check)."""
    errors = []
    seen: dict[tuple[str, str], Published] = {}
    for p in published:
        key = (p.element, p.category)
        element = ELEMENTS.get(p.element)
        if element is None or p.category not in element.categories:
            errors.append(f"{p.element} {p.category}: not in the schema")
            continue
        if key in seen:
            errors.append(f"{p.element} {p.category}: appears twice")
        seen[key] = p
        if (p.value is None) == (p.status is None) or (p.status and p.status not in STATUSES):
            errors.append(f"{p.element} {p.category}: a value needs no reason, a blank needs one")
        elif p.value is not None and p.value % element.rounding:
            errors.append(
                f"{p.element} {p.category}: {p.value} is not rounded to {element.rounding}"
            )
    if any(p.status == WITHHELD for p in published) and any(
        p.status != WITHHELD for p in published
    ):
        errors.append("a withheld week must withhold every cell")
    return errors + _table_errors(seen) + _pair_errors(seen)


def _table_errors(seen: dict[tuple[str, str], Published]) -> list[str]:
    errors = []
    for element in ELEMENTS.values():
        table = [seen.get((element.code, c)) for c in element.categories]
        if not element.total or any(p is None for p in table):
            continue
        hidden = [p for p in table if p and p.status and p.status != WITHHELD]
        if len(hidden) == 1:
            errors.append(f"{element.code}: one hidden cell could be worked out from the total")
    return errors


def _pair_errors(seen: dict[tuple[str, str], Published]) -> list[str]:
    errors = []
    for (code, category), p in seen.items():
        count_of = ELEMENTS[code].count_of
        n = seen.get((count_of, category)) if count_of else None
        if n is not None and n.status and p.value is not None:
            errors.append(f"{code} {category}: shown while its count is hidden")
    return errors


def _interval(element: Element, target: str, hidden: set[str], truth: dict[str, float]):
    """Return the range an attacker gets for a hidden cell from ``parts = total`` alone.

    Published cells are taken at their true values (the attacker's best case); hidden ones
    are only known to be at least zero.
    """
    sign = {c: (-1.0 if c == element.total else 1.0) for c in element.categories}
    known = math.fsum(sign[c] * truth[c] for c in element.categories if c not in hidden)
    others = [sign[c] for c in hidden if c != target]
    # the others' sum ranges over [lo, hi]: a plus-signed unknown is free upwards, a minus downwards
    lo = -math.inf if any(s < 0 for s in others) else 0.0
    hi = math.inf if any(s > 0 for s in others) else 0.0
    bounds = sorted(((-known - lo) / sign[target], (-known - hi) / sign[target]))
    return max(bounds[0], 0.0), bounds[1]


def _cell_errors(published: dict[tuple[str, str], Published], cells: Sequence[Cell]) -> list:
    errors = []
    for cell in cells:
        p = published.get((cell.element, cell.category))
        if p is None or p.status:
            continue
        exact = cell.value
        element = ELEMENTS[cell.element]
        if p.value != round_to_base(exact, element.rounding):
            errors.append(f"{cell.element} {cell.category}: published value is not the rounded sum")
        if element.kind == COUNT and 0 < exact <= SMALL_COUNT_MAX:
            errors.append(f"{cell.element} {cell.category}: a count of {exact:g} is shown")
        if element.kind != COUNT and magnitude_status(cell.contributions):
            errors.append(f"{cell.element} {cell.category}: a sensitive magnitude is shown")
    return errors


def _recovery_errors(published: dict[tuple[str, str], Published], cells: Sequence[Cell]) -> list:
    errors = []
    by_key = {(c.element, c.category): c for c in cells}
    for element in ELEMENTS.values():
        keys = [(element.code, c) for c in element.categories]
        if not element.total or not all(k in by_key and k in published for k in keys):
            continue
        truth = {k[1]: by_key[k].value for k in keys}
        hidden = {k[1] for k in keys if published[k].status}
        for k in keys:
            if published[k].status in (DOMINANCE, P_PERCENT):
                need = protection_needed(by_key[k].contributions)
                lo, hi = _interval(element, k[1], hidden, truth)
                if lo > truth[k[1]] - need + 1e-9 or hi < truth[k[1]] + need - 1e-9:
                    errors.append(f"{k[0]} {k[1]}: recoverable to [{lo:g}, {hi:g}]")
    return errors


def check(
    published: Sequence[Published],
    cells: Sequence[Cell] = (),
    *,
    staff: int | None = None,
    clients: int | None = None,
) -> list[str]:
    """Return every rule of docs/privacy.md this output breaks; an empty list means none.

    Written apart from ``protect``: it recomputes each rule its own way. Without ``cells`` (the
    hub's case) it checks what the output alone can show: reason codes, rounding, withheld
    weeks, and that no table hides a single cell.
    """
    errors = _structural_errors(published)
    by_key = {(p.element, p.category): p for p in published}
    if cells:
        errors += _cell_errors(by_key, cells) + _recovery_errors(by_key, cells)
    small_team = (staff is not None and staff < MIN_STAFF) or (
        clients is not None and clients < MIN_CLIENTS
    )
    if small_team and any(p.status != WITHHELD for p in published):
        errors.append("a team-week under 5 staff or 5 clients must be withheld")
    return errors
