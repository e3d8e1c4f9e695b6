"""Publish each week's hub figures once, after its data changed, and keep them as rows.

Every figure comes out of ``commons.gate`` (``hub_total``, ``protect_breakdown``, ``spread``);
this module decides *when* a week is computed — when its ``data_version`` has moved past its
``published_version`` — and stores what the gate let out, so pages, CSV and API read stored
rows. A week is computed from one query over its value sets, whatever else the hub holds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import F

from commons import gate
from commons.models import DataValue, DataValueSet, Observation, PublishedWeek
from commons.periods import period_of, sdmx_period

ON_TIME_DAYS = 7  # on time: arrived within a week of the week's end
ALL = "_T"  # SDMX: the total over a dimension
NOT_APPLICABLE = "_Z"
FRONTLINE = "FRONTLINE_SHARE"
QUARTILES = (("Q1", "q1"), ("MEDIAN", "median"), ("Q3", "q3"))

Values = dict[tuple[str, str], float]  # one team-week's published values by (element, category)


@dataclass(frozen=True)
class TeamWeek:
    region: str
    service_type: str
    values: Values


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


def label(figure: str, monday: date, area: str = ALL, service: str = ALL) -> str:
    """Name a figure for its noise: the dashboard and open data show the same number."""
    return f"{figure}|{period_of(monday)}|{area}|{service}"


def _spread_of(
    team_weeks: Iterable[TeamWeek],
    figure: Callable[[Values], float | None],
    *,
    name: str,
    bounds: tuple[float, float] = gate.SHARE_BOUNDS,
) -> gate.Distribution:
    values = [x for tw in team_weeks if (x := figure(tw.values)) is not None]
    return gate.spread(values, label=name, bounds=bounds)


def _team_weeks(monday: date) -> list[TeamWeek]:
    """Read the week's published values (suppressed ones left out), grouped by team-week."""
    grouped: dict[int, TeamWeek] = {}
    rows = DataValue.objects.filter(value_set__week_start=monday, value__isnull=False).values_list(
        "value_set_id",
        "value_set__region",
        "value_set__service_type",
        "element",
        "category",
        "value",
    )
    for set_id, region, service_type, element, category, value in rows:
        if set_id not in grouped:
            grouped[set_id] = TeamWeek(region, service_type, {})
        grouped[set_id].values[(element, category)] = value
    return list(grouped.values())


def _observation(monday: date, area: str, service: str, element: str, category: str,
                 measure: str, value: float | None, status: str | None,
                 teams: int) -> Observation:  # fmt: skip
    shown = value is not None
    return Observation(
        week_start=monday,
        time_period=sdmx_period(period_of(monday)),
        ref_area=area,
        service_type=service,
        data_element=element,
        category=category,
        measure=measure,
        obs_value=round(value, 3) if shown else None,
        obs_status="" if shown else (status or ""),
        n_teams=teams if shown else None,
    )


def _shares(monday: date, team_weeks: list[TeamWeek]) -> list[Observation]:
    """Quartiles of frontline share over all teams, each region and each service type."""
    groups: dict[tuple[str, str], list[TeamWeek]] = defaultdict(list)
    for tw in team_weeks:
        groups[(ALL, ALL)].append(tw)
        groups[(tw.region, ALL)].append(tw)
        groups[(ALL, tw.service_type)].append(tw)
    rows = []
    for (area, service), members in sorted(groups.items()):
        q = _spread_of(members, frontline_share, name=label("frontline", monday, area, service))
        for measure, field in QUARTILES:
            rows.append(
                _observation(
                    monday,
                    area,
                    service,
                    FRONTLINE,
                    NOT_APPLICABLE,
                    measure,
                    getattr(q, field),
                    q.status,
                    q.teams,
                )  # fmt: skip
            )
    return rows


def _totals(monday: date, team_weeks: list[TeamWeek]) -> list[Observation]:
    """Sum each cell over all teams, by region and by service type, each through the gate."""
    cells = sorted({cell for tw in team_weeks for cell in tw.values})
    rows = []
    for element, category in cells:
        contributors = [tw for tw in team_weeks if (element, category) in tw.values]
        total = gate.hub_total(
            element, category, [tw.values[(element, category)] for tw in contributors]
        )
        rows.append(
            _observation(
                monday, ALL, ALL, element, category, "SUM", total.value, total.status, total.teams
            )  # fmt: skip
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
                    _observation(
                        monday, area, service, element, category, "SUM", f.value, f.status, f.teams
                    )  # fmt: skip
                )
    return rows


def _arrivals(monday: date) -> dict[str, int]:
    """Count the week's reports, those on time, and those from teams not enrolled for it.

    A team expected for a week is one enrolled by the week's end and not revoked before it
    starts (``selectors.completeness`` counts those live); one outside that span that reported
    anyway is expected all the same, so it is counted here once.
    """
    end = monday + timedelta(days=7)
    deadline = end + timedelta(days=ON_TIME_DAYS)
    counts = {"reported": 0, "on_time": 0, "unenrolled": 0}
    for first, enrolled, revoked in DataValueSet.objects.filter(week_start=monday).values_list(
        "first_received_at", "team__enrolled_at", "team__revoked_at"
    ):
        counts["reported"] += 1
        counts["on_time"] += first.date() < deadline
        counts["unenrolled"] += not (
            enrolled.date() < end and (revoked is None or revoked.date() >= monday)
        )
    return counts


def _publish(monday: date, version: int) -> None:
    """Compute one week from its value sets and replace its stored figures.

    The version was read before the data, so figures never claim data newer than they saw; a
    set stored meanwhile leaves the week behind again. The week's row is locked while its rows
    are replaced, and a reader that published it first wins.
    """
    team_weeks = _team_weeks(monday)
    rows = _shares(monday, team_weeks) + _totals(monday, team_weeks)
    for position, row in enumerate(rows):
        row.position = position
    components = {
        name: asdict(_spread_of(team_weeks, f, name=label(name, monday), bounds=bounds))
        for name, (f, bounds) in COMPONENTS.items()
    }
    arrivals = _arrivals(monday)
    with transaction.atomic():
        week = PublishedWeek.objects.select_for_update().get(week_start=monday)
        if week.published_version >= version:
            return
        Observation.objects.filter(week_start=monday).delete()
        Observation.objects.bulk_create(rows, batch_size=500)
        for name, value in arrivals.items():
            setattr(week, name, value)
        week.observations = len(rows)
        week.components = components
        week.published_version = version
        week.save(update_fields=[*arrivals, "observations", "components", "published_version"])


def weeks_publish() -> int:
    """Publish every week whose data changed since it was last published; return how many.

    Called at the start of each public read: in the steady state it is one query that finds
    nothing to do. After a change it recomputes only the weeks that changed.
    """
    stale = PublishedWeek.objects.filter(published_version__lt=F("data_version")).values_list(
        "week_start", "data_version"
    )
    weeks = list(stale)
    for monday, version in weeks:
        _publish(monday, version)
    return len(weeks)
