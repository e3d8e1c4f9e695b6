"""An audit of protected output, written apart from ``control.protect_team_week``.

It re-derives every rule of docs/privacy.md its own way — each cell from its contributions,
each hidden cell's interval from its table's equation — so a bug in one shows in the other.
Both ends run it on what they are about to send or show.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from disclosure.rules import (
    MIN_CLIENTS,
    MIN_STAFF,
    SMALL_COUNT_MAX,
    Cell,
    magnitude_status,
    protection_needed,
    round_to_base,
)
from disclosure.schema import (
    COUNT,
    DOMINANCE,
    ELEMENTS,
    P_PERCENT,
    STATUSES,
    WITHHELD,
    Element,
    Published,
)


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
