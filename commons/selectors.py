"""Reads of the hub. Every figure leaves through ``commons.gate``; none is about one team.

Queries are fixed in number whatever the number of teams: each reads one week, or one figure
over all weeks, in one go, and Python groups the rows.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max

from commons import gate
from commons.models import DataValue, DataValueSet, RegisteredTeam
from commons.periods import period_of, sdmx_period, weeks_back

WEEKS = 52
ON_TIME_DAYS = 7  # on time: arrived within a week of the week's end
PAGE_SIZE = 1000
ALL = "_T"  # SDMX: the total over a dimension
NOT_APPLICABLE = "_Z"
FRONTLINE = "FRONTLINE_SHARE"
COMPONENT_ELEMENTS = (
    "HOURS",
    "CONTINUITY",
    "OUTCOME_CHANGE",
    "OUTCOME_N",
    "PULSE_SUM",
    "PULSE_N",
    "CLIENT_ANSWERS",
)

Values = dict[tuple[str, str], float]  # one team-week's published values by (element, category)


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
class TeamWeek:
    region: str
    service_type: str
    values: Values


@dataclass(frozen=True)
class GroupSpread:
    code: str
    spread: gate.Distribution


@dataclass(frozen=True)
class Dashboard:
    week: date
    period: str
    frontline: gate.Distribution
    trend: list[tuple[date, gate.Distribution]]
    by_region: list[GroupSpread]
    by_service_type: list[GroupSpread]
    components: dict[str, gate.Distribution]
    completeness: list[WeekCompleteness]


def latest_week() -> date | None:
    return DataValueSet.objects.aggregate(last=Max("week_start"))["last"]


def completeness(*, weeks: list[date]) -> list[WeekCompleteness]:
    """Teams expected (enrolled by the week's end and not revoked before it, or that sent it)
    against teams that reported.

    A team that did not report is counted as missing; it never contributes a zero anywhere.
    """
    teams = list(RegisteredTeam.objects.values_list("id", "enrolled_at", "revoked_at"))
    arrivals: dict[date, dict[int, datetime]] = defaultdict(dict)
    for monday, team_id, first in DataValueSet.objects.filter(week_start__in=weeks).values_list(
        "week_start", "team_id", "first_received_at"
    ):
        arrivals[monday][team_id] = first
    result = []
    for monday in weeks:
        end = monday + timedelta(days=7)
        received = arrivals.get(monday, {})
        expected = received.keys() | {
            team_id
            for team_id, enrolled, revoked in teams
            if enrolled.date() < end and (revoked is None or revoked.date() >= monday)
        }
        deadline = end + timedelta(days=ON_TIME_DAYS)
        result.append(
            WeekCompleteness(
                period=period_of(monday),
                week_start=monday,
                expected=len(expected),
                reported=len(received),
                on_time=sum(1 for first in received.values() if first.date() < deadline),
            )
        )
    return result


def _team_weeks(
    *, weeks: Iterable[date], elements: Iterable[str], categories: Iterable[str] | None = None
) -> dict[date, list[TeamWeek]]:
    """Read the published values of ``elements`` for ``weeks``, grouped by team-week."""
    grouped: dict[int, tuple[date, str, str, Values]] = {}
    rows = DataValue.objects.filter(
        value_set__week_start__in=list(weeks), element__in=list(elements), value__isnull=False
    )
    if categories is not None:
        rows = rows.filter(category__in=list(categories))
    rows = rows.values_list(
        "value_set_id",
        "value_set__week_start",
        "value_set__region",
        "value_set__service_type",
        "element",
        "category",
        "value",
    )
    for set_id, monday, region, service_type, element, category, value in rows:
        entry = grouped.setdefault(set_id, (monday, region, service_type, {}))
        entry[3][(element, category)] = value
    by_week: dict[date, list[TeamWeek]] = defaultdict(list)
    for monday, region, service_type, values in grouped.values():
        by_week[monday].append(TeamWeek(region, service_type, values))
    return by_week


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def frontline_share(values: Values) -> float | None:
    """Direct client time as a share of paid hours: the commons' headline figure."""
    return _ratio(values.get(("HOURS", "direct")), values.get(("HOURS", "paid")))


def _staff_voice(values: Values) -> float | None:
    """Mean pulse answer over items whose sum and count were both published, 1–5 onto 0–1."""
    items = [c for (e, c) in values if e == "PULSE_SUM" and ("PULSE_N", c) in values]
    total = sum(values[("PULSE_SUM", c)] for c in items)
    mean = _ratio(total, sum(values[("PULSE_N", c)] for c in items))
    return None if mean is None else min(max((mean - 1) / 4, 0.0), 1.0)


OPINIONS = ("very_good", "good", "neither", "poor", "very_poor")


def _client_voice(values: Values) -> float | None:
    """Answers good or very good among opinions; only when every opinion count was published.

    A hidden small count is not guessed: leaving it out would flatter the team.
    """
    answers = [values.get(("CLIENT_ANSWERS", c)) for c in OPINIONS]
    if None in answers:
        return None
    return _ratio(answers[0] + answers[1], sum(answers))


def _continuity(values: Values) -> float | None:
    return _ratio(values.get(("CONTINUITY", "top_two")), values.get(("CONTINUITY", "visits")))


def _outcome_change(values: Values) -> float | None:
    return _ratio(values.get(("OUTCOME_CHANGE", "status")), values.get(("OUTCOME_N", "status")))


# Each Public Value Index part as one number per team-week, and the range it can take.
COMPONENTS: dict[str, tuple[Callable[[Values], float | None], tuple[float, float]]] = {
    "frontline": (frontline_share, gate.SHARE_BOUNDS),
    "continuity": (_continuity, gate.SHARE_BOUNDS),
    "staff_voice": (_staff_voice, gate.SHARE_BOUNDS),
    "client_voice": (_client_voice, gate.SHARE_BOUNDS),
    "outcome_change": (_outcome_change, gate.RATING_CHANGE_BOUNDS),
}


def _spread_of(
    team_weeks: Iterable[TeamWeek],
    figure: Callable[[Values], float | None],
    *,
    label: str,
    bounds: tuple[float, float] = gate.SHARE_BOUNDS,
) -> gate.Distribution:
    values = [x for tw in team_weeks if (x := figure(tw.values)) is not None]
    return gate.spread(values, label=label, bounds=bounds)


def _by_group(
    team_weeks: list[TeamWeek], key: Callable[[TeamWeek], str], *, label: Callable[[str], str]
) -> list[GroupSpread]:
    groups: dict[str, list[TeamWeek]] = defaultdict(list)
    for tw in team_weeks:
        groups[key(tw)].append(tw)
    return [
        GroupSpread(code, _spread_of(groups[code], frontline_share, label=label(code)))
        for code in sorted(groups)
    ]


def _cached(name: str, compute: Callable[[], object]) -> object:
    """Return ``compute()``, cached until a value set arrives or changes (one query to know)."""
    version = DataValueSet.objects.aggregate(n=Count("id"), last=Max("received_at"))
    stamp = version["last"].timestamp() if version["last"] else 0
    key = f"commons:{name}:{version['n']}:{stamp}"
    result = cache.get(key)
    if result is None:
        result = compute()
        cache.set(key, result, settings.COMMONS_CACHE_SECONDS)
    return result


def dashboard() -> Dashboard | None:
    """Return the dashboard's figures (cached; see ``_cached``)."""
    return _cached("dashboard", _dashboard)


def _dashboard() -> Dashboard | None:
    """Gather the dashboard's figures for the latest week and the year to it."""
    last = latest_week()
    if last is None:
        return None
    weeks = weeks_back(last, WEEKS)
    hours = _team_weeks(weeks=weeks, elements=["HOURS"], categories=["direct", "paid"])
    latest = _team_weeks(weeks=[last], elements=COMPONENT_ELEMENTS).get(last, [])
    period = period_of(last)
    return Dashboard(
        week=last,
        period=period,
        frontline=_spread_of(latest, frontline_share, label=_label("frontline", last)),
        trend=[
            (m, _spread_of(hours.get(m, []), frontline_share, label=_label("frontline", m)))
            for m in weeks
        ],
        by_region=_by_group(
            latest, lambda tw: tw.region, label=lambda code: _label("frontline", last, area=code)
        ),
        by_service_type=_by_group(
            latest,
            lambda tw: tw.service_type,
            label=lambda code: _label("frontline", last, service=code),
        ),
        components={
            name: _spread_of(latest, f, label=_label(name, last), bounds=bounds)
            for name, (f, bounds) in COMPONENTS.items()
        },
        completeness=completeness(weeks=weeks),
    )


def _label(figure: str, monday: date, area: str = ALL, service: str = ALL) -> str:
    """Name a figure for its noise: the dashboard and open data show the same number."""
    return f"{figure}|{period_of(monday)}|{area}|{service}"


# --- Open data ---------------------------------------------------------------------------------


def _row(monday: date, area: str, service: str, element: str, category: str, measure: str,
         value: float | None, status: str | None, teams: int) -> dict:  # fmt: skip
    shown = value is not None
    return {
        "TIME_PERIOD": sdmx_period(period_of(monday)),
        "REF_AREA": area,
        "SERVICE_TYPE": service,
        "DATA_ELEMENT": element,
        "CATEGORY": category,
        "MEASURE": measure,
        "OBS_VALUE": round(value, 3) if shown else None,
        "OBS_STATUS": None if shown else status,
        "N_TEAMS": teams if shown else None,
    }


def _totals(monday: date, team_weeks: list[TeamWeek]) -> list[dict]:
    """Sum each cell over all teams, by region and by service type, each through the gate."""
    cells = sorted({cell for tw in team_weeks for cell in tw.values})
    rows = []
    for element, category in cells:
        contributors = [tw for tw in team_weeks if (element, category) in tw.values]
        total = gate.hub_total(
            element, category, [tw.values[(element, category)] for tw in contributors]
        )
        rows.append(
            _row(monday, ALL, ALL, element, category, "SUM", total.value, total.status, total.teams)
        )
        for dimension in ("region", "service_type"):
            groups: dict[str, list[float]] = defaultdict(list)
            for tw in contributors:
                groups[getattr(tw, dimension)].append(tw.values[(element, category)])
            figures = gate.protect_breakdown(
                {code: gate.hub_total(element, category, v) for code, v in groups.items()},
                total_teams=len(contributors),
            )
            for code in sorted(figures):
                f = figures[code]
                area, service = (code, ALL) if dimension == "region" else (ALL, code)
                rows.append(
                    _row(
                        monday, area, service, element, category, "SUM", f.value, f.status, f.teams
                    )
                )
    return rows


def _shares(monday: date, team_weeks: list[TeamWeek]) -> list[dict]:
    groups: dict[tuple[str, str], list[TeamWeek]] = defaultdict(list)
    for tw in team_weeks:
        groups[(ALL, ALL)].append(tw)
        groups[(tw.region, ALL)].append(tw)
        groups[(ALL, tw.service_type)].append(tw)
    rows = []
    for (area, service), members in sorted(groups.items()):
        q = _spread_of(members, frontline_share, label=_label("frontline", monday, area, service))
        for measure, value in (("Q1", q.q1), ("MEDIAN", q.median), ("Q3", q.q3)):
            rows.append(
                _row(
                    monday,
                    area,
                    service,
                    FRONTLINE,
                    NOT_APPLICABLE,
                    measure,
                    value,
                    q.status,
                    q.teams,
                )
            )
    return rows


def _observations() -> list[dict]:
    weeks = sorted(DataValueSet.objects.values_list("week_start", flat=True).distinct())
    rows = []
    for monday in weeks:
        team_weeks = _team_weeks(weeks=[monday], elements=gate.element_codes()).get(monday, [])
        rows += _shares(monday, team_weeks) + _totals(monday, team_weeks)
    return rows


def observations() -> list[dict]:
    """Return every published observation (cached; see ``_cached``)."""
    return _cached("observations", _observations)


def observation_page(*, page: int, path: str) -> dict:
    rows = observations()
    pages = max(math.ceil(len(rows) / PAGE_SIZE), 1)
    page = min(page, pages)
    start = (page - 1) * PAGE_SIZE
    return {
        "count": len(rows),
        "page": page,
        "pages": pages,
        "next": f"{path}?page={page + 1}" if page < pages else None,
        "previous": f"{path}?page={page - 1}" if page > 1 else None,
        "results": rows[start : start + PAGE_SIZE],
    }
