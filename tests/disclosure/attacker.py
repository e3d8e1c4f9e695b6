"""A linear-programming attacker: the tightest interval the published figures allow a cell.

It knows every rule of docs/privacy.md: a published number is the true value rounded to its
element's base (within half of it, ±2 for a whole count, exactly 0 for a count of 0), a C is a
count of 1 to 7, any other hidden cell is at least its element's least value, HOURS parts add up
to paid and top_two never exceeds visits. GLOP (OR-Tools) solves min and max of each unknown.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from ortools.linear_solver import pywraplp

from disclosure.control import SMALL_COUNT_MAX, Published
from disclosure.schema import COUNT, ELEMENTS, SMALL_COUNT

CAP = 1e7


def bounds(p: Published) -> tuple[float, float]:
    """Return what the attacker knows of one cell from its published value or reason code."""
    element = ELEMENTS[p.element]
    least = element.low * 1e4 if element.low < 0 else 0.0  # a sum of changes may be negative
    if p.status == SMALL_COUNT and element.kind == COUNT:
        return 1.0, float(SMALL_COUNT_MAX)
    if p.value is None:
        return least, math.inf
    if element.kind == COUNT:
        return (0.0, 0.0) if p.value == 0 else (p.value - 2.0, p.value + 2.0)
    half = element.rounding / 2
    return max(p.value - half, least), p.value + half


class Attacker:
    """One LP over the cells of one or more published weeks, sharing unknowns where told."""

    def __init__(self) -> None:
        self.lp = pywraplp.Solver.CreateSolver("GLOP")

    def variable(self, low: float = 0.0, high: float = math.inf) -> pywraplp.Variable:
        # GLOP can call an unbounded problem infeasible: cap at far more than any team-week
        return self.lp.NumVar(max(low, -CAP), min(high, CAP), "")

    def week(self, published: Iterable[Published], truth: dict | None = None) -> dict:
        """Add a week's unknown true values, bounded by what was published, and its tables."""
        values = {}
        for p in published:
            low, high = bounds(p)
            values[(p.element, p.category)] = self.variable(low, high)
        self.tables(values)
        return values

    def tables(self, values: dict) -> None:
        for element in ELEMENTS.values():
            keys = [(element.code, c) for c in element.categories]
            if element.total and all(k in values for k in keys):
                parts = [values[(element.code, c)] for c in element.parts]
                self.lp.Add(sum(parts) == values[(element.code, element.total)])
        if ("CONTINUITY", "top_two") in values and ("CONTINUITY", "visits") in values:
            self.lp.Add(values[("CONTINUITY", "top_two")] <= values[("CONTINUITY", "visits")])

    def interval(self, expression) -> tuple[float, float]:
        """Return the min and max of a linear expression over everything the attacker knows."""
        found = []
        for sense in (self.lp.Minimize, self.lp.Maximize):
            sense(expression)
            assert self.lp.Solve() == pywraplp.Solver.OPTIMAL
            value = self.lp.Objective().Value()
            found.append(math.copysign(math.inf, value) if abs(value) > CAP / 2 else value)
        return found[0], found[1]


def intervals(published: Sequence[Published]) -> dict[tuple[str, str], tuple[float, float]]:
    """Return the attacker's interval for every hidden cell of one week."""
    attacker = Attacker()
    values = attacker.week(published)
    return {
        (p.element, p.category): attacker.interval(values[(p.element, p.category)])
        for p in published
        if p.value is None
    }
