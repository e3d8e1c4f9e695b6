"""Reads of the hub: stored pages of figures the gate already let out (``commons.publish``).

Each read first publishes the weeks whose data changed since they were last published (one
query when none did), then reads stored rows. Query counts are fixed whatever the number of
teams and weeks, and so, but for the rows themselves, is the work.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, timedelta

from django.db.models import Count, Sum
from django.db.models.functions import TruncDate

from commons import gate, publish
from commons.models import Observation, PublishedWeek, RegisteredTeam
from commons.periods import period_of, weeks_back

WEEKS = 52
PAGE_SIZE = 1000
ALL = publish.ALL
COLUMNS = ("TIME_PERIOD", "REF_AREA", "SERVICE_TYPE", "DATA_ELEMENT", "CATEGORY", "MEASURE",
           "OBS_VALUE", "OBS_STATUS", "N_TEAMS")  # fmt: skip
_FIELDS = ("time_period", "ref_area", "service_type", "data_element", "category", "measure",
           "obs_value", "obs_status", "n_teams")  # fmt: skip
_ORDER = ("week_start", "position")

Trend = list[tuple[date, gate.Distribution]]


@dataclass(frozen=True)
class WeekCompleteness:
    period: str
    week_start: date
    expected: int
    reported: int
    on_time: int

    @property
    def missing(self) -> int:
        return self.expected - self.reported


@dataclass(frozen=True)
class GroupSpread:
    code: str
    spread: gate.Distribution


@dataclass(frozen=True)
class GroupTrend:
    """One region's or service type's frontline spread, week by week."""

    code: str
    trend: Trend

    @property
    def shown(self) -> int:
        """How many weeks have a figure (each over at least MIN_TEAMS teams)."""
        return sum(1 for _, q in self.trend if q.median is not None)


@dataclass(frozen=True)
class Dashboard:
    week: date
    period: str
    frontline: gate.Distribution
    trend: Trend
    by_region: list[GroupSpread]
    by_service_type: list[GroupSpread]
    region_trends: list[GroupTrend]
    service_trends: list[GroupTrend]
    components: dict[str, gate.Distribution]
    completeness: list[WeekCompleteness]


def _expected_by_rule(weeks: list[date]) -> dict[date, int]:
    """Count, per week, the teams enrolled by its end and not revoked before it starts.

    One query: teams grouped by the (UTC) days they were enrolled and revoked, few groups.
    """
    groups = list(
        RegisteredTeam.objects.values(
            enrolled=TruncDate("enrolled_at", tzinfo=UTC),
            revoked=TruncDate("revoked_at", tzinfo=UTC),
        )
        .annotate(n=Count("id"))
        .values_list("enrolled", "revoked", "n")
    )
    return {
        monday: sum(
            n
            for enrolled, revoked, n in groups
            if enrolled < monday + timedelta(days=7) and (revoked is None or revoked >= monday)
        )
        for monday in weeks
    }


def _completeness(
    weeks: list[date], published: dict[date, PublishedWeek]
) -> list[WeekCompleteness]:
    """Teams expected (enrolled for the week, or that sent it) against teams that reported.

    A team that did not report is counted as missing; it never contributes a zero anywhere.
    """
    by_rule = _expected_by_rule(weeks)
    result = []
    for monday in weeks:
        week = published.get(monday)
        reported = week.reported if week else 0
        result.append(
            WeekCompleteness(
                period=period_of(monday),
                week_start=monday,
                expected=by_rule[monday] + (week.unenrolled if week else 0),
                reported=reported,
                on_time=week.on_time if week else 0,
            )
        )
    return result


def _frontline_spreads(
    first: date, last: date
) -> dict[tuple[str, str], dict[date, gate.Distribution]]:
    """Read the stored frontline quartiles of every group and week from ``first`` to ``last``."""
    parts: dict[tuple[str, str, date], dict[str, tuple]] = defaultdict(dict)
    for monday, area, service, measure, value, status, teams in Observation.objects.filter(
        data_element=publish.FRONTLINE, week_start__gte=first, week_start__lte=last
    ).values_list("week_start", "ref_area", "service_type", "measure", "obs_value",
                  "obs_status", "n_teams"):  # fmt: skip
        parts[(area, service, monday)][measure] = (value, status, teams)
    spreads: dict[tuple[str, str], dict[date, gate.Distribution]] = defaultdict(dict)
    for (area, service, monday), measures in parts.items():
        value_of = {m: v for m, (v, _, _) in measures.items()}
        _, status, teams = measures["MEDIAN"]
        spreads[(area, service)][monday] = gate.Distribution(
            teams or 0, value_of.get("Q1"), value_of.get("MEDIAN"), value_of.get("Q3"),
            status or None,
        )  # fmt: skip
    return spreads


def _trend(weeks: list[date], spreads: dict[date, gate.Distribution]) -> Trend:
    """Each week's spread; a week where the group sent nothing is withheld like any other."""
    nothing = gate.spread([], label="")
    return [(monday, spreads.get(monday, nothing)) for monday in weeks]


def dashboard() -> Dashboard | None:
    """Gather the dashboard's figures for the latest week and the year to it (five queries)."""
    publish.weeks_publish()
    recent = list(
        PublishedWeek.objects.filter(published_version__gt=0).order_by("-week_start")[:WEEKS]
    )
    if not recent:
        return None
    last = recent[0].week_start
    weeks = weeks_back(last, WEEKS)
    published = {week.week_start: week for week in recent}
    spreads = _frontline_spreads(weeks[0], last)
    regions = sorted({area for area, service in spreads if area != ALL and service == ALL})
    services = sorted({service for area, service in spreads if area == ALL and service != ALL})
    nothing = gate.spread([], label="")

    def latest(area: str, service: str) -> gate.Distribution:
        return spreads.get((area, service), {}).get(last, nothing)

    return Dashboard(
        week=last,
        period=period_of(last),
        frontline=latest(ALL, ALL),
        trend=_trend(weeks, spreads.get((ALL, ALL), {})),
        by_region=[
            GroupSpread(code, latest(code, ALL)) for code in regions if last in spreads[(code, ALL)]
        ],
        by_service_type=[
            GroupSpread(code, latest(ALL, code))
            for code in services
            if last in spreads[(ALL, code)]
        ],
        region_trends=[GroupTrend(code, _trend(weeks, spreads[(code, ALL)])) for code in regions],
        service_trends=[GroupTrend(code, _trend(weeks, spreads[(ALL, code)])) for code in services],
        components={
            name: gate.Distribution(**figure) for name, figure in published[last].components.items()
        },
        completeness=_completeness(weeks, published),
    )


def _open_row(row: tuple) -> dict:
    """Give a stored observation its published shape: sums are whole numbers, no status is null."""
    result = dict(zip(COLUMNS, row, strict=True))
    if result["OBS_VALUE"] is not None and result["MEASURE"] == "SUM":
        result["OBS_VALUE"] = int(result["OBS_VALUE"])
    result["OBS_STATUS"] = result["OBS_STATUS"] or None
    return result


def observations() -> Iterator[dict]:
    """Yield every published observation, week by week (two queries, rows read in chunks)."""
    publish.weeks_publish()
    rows = Observation.objects.order_by(*_ORDER).values_list(*_FIELDS)
    for row in rows.iterator(chunk_size=5000):
        yield _open_row(row)


def observation_page(*, page: int, path: str) -> dict:
    """Return one page of observations (three queries: publish, count, the page)."""
    publish.weeks_publish()
    count = PublishedWeek.objects.aggregate(n=Sum("observations"))["n"] or 0
    pages = max(math.ceil(count / PAGE_SIZE), 1)
    page = min(page, pages)
    start = (page - 1) * PAGE_SIZE
    rows = Observation.objects.order_by(*_ORDER).values_list(*_FIELDS)[start : start + PAGE_SIZE]
    return {
        "count": count,
        "page": page,
        "pages": pages,
        "next": f"{path}?page={page + 1}" if page < pages else None,
        "previous": f"{path}?page={page - 1}" if page > 1 else None,
        "results": [_open_row(row) for row in rows],
    }
