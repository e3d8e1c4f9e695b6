"""The metric formulas behind Insights: plain numbers in, plain numbers out, no Django.

Kept apart from the ORM so every figure a team (and later the commons) sees can be checked
against hand-computed fixtures, and reproduced from the same inputs anywhere. A share whose
denominator is zero is ``None`` ("no data"), never 0 %: an empty week is not a bad week.
`docs/metrics.md` states each definition.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

# The activity codes a minute can fall into; insights/codes.py publishes their labels.
DIRECT = "direct"
INDIRECT = "indirect"
TRAVEL = "travel"
TEAM = "team"
TRAINING = "training"
OTHER = "other"
LEAVE = "leave"
UNRECORDED = "unrecorded"

RECORDED = (DIRECT, INDIRECT, TRAVEL, TEAM, TRAINING, OTHER)
ACTIVITIES = (*RECORDED, LEAVE, UNRECORDED)
CLIENT_FACING = (DIRECT, INDIRECT, TRAVEL)
OVERHEAD = (TEAM, TRAINING, OTHER)

ONE_DAY = timedelta(days=1)
ONE_WEEK = timedelta(days=7)
_WEEK = re.compile(r"^(\d{4})-?W(\d{2})$")


def share(part: int | float, whole: int | float) -> float | None:
    """Return part ÷ whole, or None when there is nothing to divide by."""
    if whole <= 0:
        return None
    return part / whole


@dataclass(frozen=True)
class TimeBreakdown:
    """One week's paid minutes split into activities; ``minutes`` adds up to ``paid``."""

    minutes: dict[str, int]
    paid: int
    over_recorded: int  # minutes recorded beyond the rostered time (unpaid or overtime)

    def hours(self, code: str) -> float:
        return self.minutes[code] / 60

    @property
    def paid_hours(self) -> float:
        return self.paid / 60

    def share_of(self, codes: Iterable[str]) -> float | None:
        return share(sum(self.minutes[c] for c in codes), self.paid)

    @property
    def frontline_share(self) -> float | None:
        return self.share_of((DIRECT,))

    @property
    def client_facing_share(self) -> float | None:
        return self.share_of(CLIENT_FACING)

    @property
    def overhead_share(self) -> float | None:
        return self.share_of(OVERHEAD)

    @property
    def unrecorded_share(self) -> float | None:
        return self.share_of((UNRECORDED,))


def time_breakdown(*, rostered: int, leave: int, recorded: Mapping[str, int]) -> TimeBreakdown:
    """Split a week's paid time (rostered minutes worked plus approved leave) by activity.

    What was rostered but not recorded is *unrecorded*. Recording more than was rostered
    (staying late) stretches paid time to what was recorded, and says by how much, so the
    activities always add up to paid time exactly and no share passes 100 %.
    """
    if rostered < 0 or leave < 0:
        raise ValueError("rostered and leave minutes cannot be negative")
    unknown = set(recorded) - set(RECORDED)
    if unknown:
        raise ValueError(f"not recorded activities: {sorted(unknown)}")
    minutes = {code: int(recorded.get(code, 0)) for code in RECORDED}
    if any(value < 0 for value in minutes.values()):
        raise ValueError("recorded minutes cannot be negative")
    total = sum(minutes.values())
    minutes[LEAVE] = leave
    minutes[UNRECORDED] = max(rostered - total, 0)
    return TimeBreakdown(
        minutes=minutes, paid=leave + max(rostered, total), over_recorded=max(total - rostered, 0)
    )


def combine(weeks: Iterable[TimeBreakdown]) -> TimeBreakdown:
    """Add members' breakdowns into the team's: minutes, paid time and excess all add."""
    minutes = dict.fromkeys(ACTIVITIES, 0)
    paid = over = 0
    for week in weeks:
        for code, value in week.minutes.items():
            minutes[code] += value
        paid += week.paid
        over += week.over_recorded
    return TimeBreakdown(minutes=minutes, paid=paid, over_recorded=over)


def coc_index(visits_by_nurse: Mapping[object, int]) -> float | None:
    """Bice–Boxerman continuity of care: 1 when one nurse made every visit, 0 when each visit
    was by a different nurse; None below two visits, where continuity means nothing."""
    counts = [n for n in visits_by_nurse.values() if n > 0]
    total = sum(counts)
    if total < 2:
        return None
    return (sum(n * n for n in counts) - total) / (total * (total - 1))


def top_two_share(visits_by_nurse: Mapping[object, int]) -> float | None:
    """Share of a client's visits made by one of their two most frequent nurses."""
    counts = sorted((n for n in visits_by_nurse.values() if n > 0), reverse=True)
    return share(sum(counts[:2]), sum(counts))


def median(values: Iterable[float | None]) -> float | None:
    """Median of the values that exist; None when none do."""
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


@dataclass(frozen=True)
class Change:
    """Change from first to latest rating over a set of problems (one KBS dimension)."""

    n: int
    mean_change: float | None
    improved_share: float | None


def rating_change(pairs: Iterable[tuple[int, int]]) -> Change:
    """Summarise (first, latest) rating pairs; a problem rated once is no change, not left out
    (its pair is (r, r)), so the caller decides which problems count."""
    deltas = [latest - first for first, latest in pairs]
    if not deltas:
        return Change(n=0, mean_change=None, improved_share=None)
    return Change(
        n=len(deltas),
        mean_change=sum(deltas) / len(deltas),
        improved_share=sum(1 for d in deltas if d > 0) / len(deltas),
    )


@dataclass(frozen=True)
class Continuity:
    """A team's continuity of care: median COC over clients that have one, and the pooled
    share of visits by one of each client's two most frequent nurses, with the two counts
    behind that share (what the commons receives: counts, never the rate).

    ``top_two`` and ``visits`` are None in weeks stored before the counts were kept; such a
    week sends no continuity to the commons.
    """

    clients: int
    median_coc: float | None
    top_two_share: float | None
    top_two: int | None = None
    visits: int | None = None


def continuity(visits: Mapping[object, Mapping[object, int]]) -> Continuity:
    """Summarise visits per client and nurse (``{client: {nurse: n}}``)."""
    indices = [coc_index(by_nurse) for by_nurse in visits.values()]
    top_two = sum(sum(sorted(v.values(), reverse=True)[:2]) for v in visits.values())
    total = sum(sum(v.values()) for v in visits.values())
    return Continuity(
        clients=sum(1 for i in indices if i is not None),
        median_coc=median(indices),
        top_two_share=share(top_two, total),
        top_two=top_two,
        visits=total,
    )


KBS = ("knowledge", "behaviour", "status")


def outcomes(histories: Mapping[str, list[tuple[int, int, int]]]) -> dict[str, dict[str, Change]]:
    """Per problem name, the change in each of K, B and S from first to latest rating.

    ``histories`` maps ``name|problem id`` to that problem's (K, B, S) ratings in time order;
    a problem rated only once shows no change yet and is left out of n.
    """
    pairs: dict[str, list[tuple[tuple[int, ...], tuple[int, ...]]]] = {}
    for key, ratings in histories.items():
        if len(ratings) >= 2:
            pairs.setdefault(key.rsplit("|", 1)[0], []).append((ratings[0], ratings[-1]))
    return {
        name: {
            dim: rating_change((first[i], latest[i]) for first, latest in problems)
            for i, dim in enumerate(KBS)
        }
        for name, problems in sorted(pairs.items())
    }


FULL_TIME_HOURS = 37.5  # a whole-time equivalent's week (NHS Agenda for Change)


def per_wte(count: int, contracted_hours: Iterable[float]) -> float | None:
    """A count per whole-time equivalent of the contracted hours given."""
    return share(count, sum(contracted_hours) / FULL_TIME_HOURS)


def spread_per_wte(counts: Mapping[int, int], hours: Mapping[int, float]) -> float | None:
    """How unevenly a load (nights, weekends) falls: the highest minus the lowest count per
    whole-time equivalent, over the people with contracted hours; None below two people."""
    rates = [counts.get(pk, 0) / (h / FULL_TIME_HOURS) for pk, h in hours.items() if h > 0]
    return max(rates) - min(rates) if len(rates) >= 2 else None


@dataclass(frozen=True)
class Component:
    """One part of the Public Value Index, scaled 0–100, with the number behind it."""

    key: str
    value: float | None
    n: int


def public_value_index(components: Iterable[Component]) -> float | None:
    """The unweighted mean of the components that have data, or None unless at least three do.

    Equal weights because no evidence favours one voice over another; three of four so that
    the index never stands on one or two voices alone (docs/public-value-index.md).
    """
    present = [c.value for c in components if c.value is not None]
    return sum(present) / len(present) if len(present) >= 3 else None


def scaled(value: float | None, low: float, high: float) -> float | None:
    """Map a value from low..high onto 0..100 (None stays None)."""
    return None if value is None else 100 * (value - low) / (high - low)


def iso_week(day: date) -> str:
    """The ISO week a day falls in, as ``2026W48`` (the commons' period format)."""
    year, week, _ = day.isocalendar()
    return f"{year:04d}W{week:02d}"


def week_days(label: str) -> tuple[date, date]:
    """Monday and Sunday of an ISO week label (``2026W48`` or ``2026-W48``).

    Raises ValueError for anything else, including week 53 of a year that has none.
    """
    match = _WEEK.match(label.strip()) if isinstance(label, str) else None
    if not match:
        raise ValueError("A week looks like 2026W48.")
    year, week = int(match[1]), int(match[2])
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ValueError(f"{year} has no week {week}.") from None
    return monday, monday + timedelta(days=6)
