"""The disclosure rules' thresholds and the tests each cell is put to.

Shared by ``control`` (which protects) and ``audit`` (which checks what was protected), so
both use the same numbers; each applies them its own way.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from disclosure.schema import DOMINANCE, P_PERCENT

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
