"""The weekly metrics another app may name (an idea's metric): one list, read from snapshots.

Each metric reads a stored week's figures (``TeamWeek.figures()``) and answers its value and
the n it rests on, so a page can say how much a figure is worth. Pure: no Django models.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from insights import formulas


@dataclass(frozen=True)
class Metric:
    key: str
    label: Any
    unit: str  # "%" for a share shown out of 100, "" for a plain number
    read: Callable[[Mapping[str, Any]], tuple[float | None, int]]


def _time_share(name: str) -> Callable[[Mapping[str, Any]], tuple[float | None, int]]:
    def read(figures: Mapping[str, Any]) -> tuple[float | None, int]:
        breakdown = formulas.TimeBreakdown(**figures["team"])
        value = getattr(breakdown, name)
        return (None if value is None else 100 * value), len(figures.get("members", {}))

    return read


def _pair_share(name: str) -> Callable[[Mapping[str, Any]], tuple[float | None, int]]:
    def read(figures: Mapping[str, Any]) -> tuple[float | None, int]:
        part, whole = figures[name]
        value = formulas.share(part, whole)
        return (None if value is None else 100 * value), whole

    return read


def _continuity(figures: Mapping[str, Any]) -> tuple[float | None, int]:
    continuity = figures["continuity"]
    return continuity.get("median_coc"), continuity.get("clients", 0)


def _caseload_per_wte(figures: Mapping[str, Any]) -> tuple[float | None, int]:
    return figures["caseload_per_wte"], figures["caseload"]


METRICS: tuple[Metric, ...] = (
    Metric("frontline", _("Time on frontline"), "%", _time_share("frontline_share")),
    Metric("overhead", _("Overhead share of paid time"), "%", _time_share("overhead_share")),
    Metric("unrecorded", _("Paid time not recorded"), "%", _time_share("unrecorded_share")),
    Metric("continuity", _("Continuity of care (median index)"), "", _continuity),
    Metric(
        "handovers_on_time",
        _("Handovers acknowledged within a day"),
        "%",
        _pair_share("handovers_on_time"),
    ),
    Metric("cover_met", _("Shifts with their minimum cover"), "%", _pair_share("cover_met")),
    Metric(
        "requests_honoured", _("Shift requests honoured"), "%", _pair_share("requests_honoured")
    ),
    Metric("caseload_per_wte", _("Caseload per whole-time equivalent"), "", _caseload_per_wte),
)
BY_KEY = {metric.key: metric for metric in METRICS}


def choices() -> list[tuple[str, Any]]:
    return [(metric.key, metric.label) for metric in METRICS]


def read(key: str, figures: Mapping[str, Any]) -> tuple[float | None, int]:
    """Answer (value, n) of one metric in one week's figures; (None, 0) if the week lacks it."""
    try:
        return BY_KEY[key].read(figures)
    except (KeyError, TypeError, ValueError):
        return None, 0
