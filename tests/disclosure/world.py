"""Team-weeks built by hand for the disclosure tests (no database)."""

from __future__ import annotations

import random

from disclosure.control import Cell
from disclosure.schema import ELEMENTS, HOURS_PARTS, KBS, PULSE_ITEMS


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


def random_member(rng: random.Random) -> dict[str, float]:
    """Return one member's week in hours: mostly care, some overhead, sometimes leave."""
    if rng.random() < 0.1:
        return {"leave": rng.choice((7.5, 22.5, 37.5))}
    hours = {
        "direct": rng.uniform(0, 30),
        "indirect": rng.uniform(0, 10),
        "travel": rng.uniform(0, 10),
        "team": rng.uniform(0, 6),
        "training": rng.uniform(0, 8) if rng.random() < 0.3 else 0.0,
        "other": rng.uniform(0, 4) if rng.random() < 0.5 else 0.0,
        "leave": 7.5 * rng.randint(1, 3) if rng.random() < 0.2 else 0.0,
        "not_recorded": rng.uniform(0, 10) if rng.random() < 0.4 else 0.0,
    }
    if rng.random() < 0.05:  # now and then one member works a very long week
        hours["direct"] += rng.uniform(20, 40)
    return {c: round(h * 4) / 4 for c, h in hours.items()}  # quarter hours


def random_week(rng: random.Random, *, staff: int, clients: int) -> list[Cell]:
    """Return a whole random team-week: hours per member, counts per member or client."""
    members = [random_member(rng) for _ in range(staff)]
    cells = hours_cells(members)
    done = [rng.randint(0, 25) for _ in range(staff)]
    cells += [
        Cell("VISITS", "done", tuple(map(float, done))),
        Cell("VISITS", "planned", tuple(float(rng.randint(0, 3)) for _ in range(staff))),
        Cell("VISITS", "missed", tuple(float(rng.randint(0, 1)) for _ in range(staff))),
        Cell("VISITS", "cancelled", tuple(float(rng.randint(0, 2)) for _ in range(staff))),
        count_cell("CLIENTS", "caseload", clients),
        Cell("CONTINUITY", "visits", tuple(map(float, done))),
        Cell("CONTINUITY", "top_two", tuple(float(rng.randint(d // 2, d)) for d in done)),
    ]
    for category in KBS:
        rated = rng.randint(0, clients)
        cells.append(count_cell("OUTCOME_N", category, rated))
        changes = tuple(float(rng.randint(-2, 3)) for _ in range(rated))
        cells.append(Cell("OUTCOME_CHANGE", category, changes))
    for item in PULSE_ITEMS:
        answers = [rng.randint(1, 5) for _ in range(rng.randint(0, 4 * staff))]
        cells.append(count_cell("PULSE_N", item, len(answers)))
        cells.append(Cell("PULSE_SUM", item, tuple(map(float, answers))))
    for category in ELEMENTS["CLIENT_ANSWERS"].categories:
        cells.append(count_cell("CLIENT_ANSWERS", category, rng.randint(0, clients // 3)))
    return cells
