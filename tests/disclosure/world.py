"""Team-weeks built by hand for the disclosure tests (no database)."""

from __future__ import annotations

from disclosure.control import Cell
from disclosure.schema import ELEMENTS, HOURS_PARTS


def hours_cells(per_member: list[dict[str, float]]) -> list[Cell]:
    """Return the HOURS table of a team whose members worked ``per_member`` hours by category."""
    cells = [Cell("HOURS", c, tuple(float(m.get(c, 0.0)) for m in per_member)) for c in HOURS_PARTS]
    paid = tuple(sum(float(m.get(c, 0.0)) for c in HOURS_PARTS) for m in per_member)
    return [*cells, Cell("HOURS", "paid", paid)]


def count_cell(element: str, category: str, n: int) -> Cell:
    return Cell(element, category, (1.0,) * n)


def full_week(per_member: list[dict[str, float]], count: int = 40) -> list[Cell]:
    """Return every cell of the schema: the given hours, and ``count`` in every count cell."""
    cells = hours_cells(per_member)
    for element in ELEMENTS.values():
        if element.code == "HOURS":
            continue
        for category in element.categories:
            if element.kind == "count":
                cells.append(count_cell(element.code, category, count))
            else:
                cells.append(Cell(element.code, category, (3.0,) * count))
    return cells


EVEN = {"direct": 18, "indirect": 6, "travel": 6, "team": 3, "training": 2, "other": 1.5}
