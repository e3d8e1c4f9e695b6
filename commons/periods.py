"""ISO weeks, the only time unit the commons knows ("2026W48" in payloads, "2026-W48" in SDMX)."""

from __future__ import annotations

import re
from datetime import date, timedelta

PERIOD = re.compile(r"^(\d{4})W(\d{2})$")


def week_start(period: str) -> date:
    """Return the Monday of ``period``; raise ValueError for anything but a real ISO week."""
    match = PERIOD.match(period)
    if not match:
        raise ValueError(f"not an ISO week: {period!r}")
    return date.fromisocalendar(int(match[1]), int(match[2]), 1)


def period_of(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}W{week:02d}"


def sdmx_period(period: str) -> str:
    return period.replace("W", "-W")


def weeks_back(last: date, count: int) -> list[date]:
    """Return the Mondays of the ``count`` weeks ending with the week of ``last``, oldest first."""
    monday = last - timedelta(days=last.weekday())
    return [monday - timedelta(weeks=n) for n in range(count - 1, -1, -1)]
