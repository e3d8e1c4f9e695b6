"""Reads for Insights: the other apps' selectors in, the pure formulas' figures out."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone

from caseload import selectors as caseload
from insights import formulas, metrics, pvi
from insights.codes import CODES
from insights.models import ClientAnswer, PulseSubmission, PulseTally, WeeklySnapshot
from rota.selectors import hours
from rota.selectors.fairness import worked_counts
from rota.selectors.figures import rota_figures
from teams import selectors as people
from teams.models import Team, User


@dataclass(frozen=True)
class TeamWeek:
    """One ISO week of a team: the team's time breakdown, each member's, and visit counts."""

    week: str
    start: date
    end: date
    source: str  # hours.ROTA or hours.CONTRACTS: where paid time came from
    team: formulas.TimeBreakdown
    members: dict[int, formulas.TimeBreakdown]
    visits: dict[str, int]
    caseload: int
    caseload_per_wte: float | None
    continuity: formulas.Continuity
    outcomes: dict[str, dict[str, formulas.Change]]
    handovers_on_time: tuple[int, int]  # (acknowledged within a day, written)
    cover_met: tuple[int, int]  # (shifts with their minimum cover and skills, shifts with one)
    requests_honoured: tuple[int, int]  # (honoured, made)
    nights_spread: float | None  # over ROTA_WEEKS, per WTE
    weekends_spread: float | None
    pulse_answered: int  # members who answered the week's pulse
    pulse_tallies: dict[str, dict[int, int]]  # item -> value -> members
    client_answers: dict[str, int]  # rating -> answers

    @classmethod
    def from_figures(cls, *, week: str, start: date, figures: dict[str, Any]) -> TeamWeek:
        """Rebuild a week from a snapshot's figures (the inverse of ``figures()``)."""
        return cls(
            week=week,
            start=start,
            end=start + timedelta(days=6),
            source=figures["source"],
            team=formulas.TimeBreakdown(**figures["team"]),
            members={int(pk): formulas.TimeBreakdown(**m) for pk, m in figures["members"].items()},
            visits=figures["visits"],
            caseload=figures["caseload"],
            caseload_per_wte=figures["caseload_per_wte"],
            continuity=formulas.Continuity(**figures["continuity"]),
            outcomes={
                name: {dim: formulas.Change(**change) for dim, change in dims.items()}
                for name, dims in figures["outcomes"].items()
            },
            handovers_on_time=tuple(figures["handovers_on_time"]),
            cover_met=tuple(figures["cover_met"]),
            requests_honoured=tuple(figures["requests_honoured"]),
            nights_spread=figures["nights_spread"],
            weekends_spread=figures["weekends_spread"],
            pulse_answered=figures["pulse_answered"],
            pulse_tallies={
                item: {int(v): c for v, c in tally.items()}
                for item, tally in figures["pulse_tallies"].items()
            },
            client_answers=figures["client_answers"],
        )

    @property
    def pulse_shown(self) -> bool:
        return self.pulse_answered >= pvi.MIN_PULSE_ANSWERS

    def pulse_items(self) -> list[dict[str, Any]]:
        """Each statement with its mean (1–5) and answers per value; empty below the minimum."""
        if not self.pulse_shown:
            return []
        rows = []
        for key, text in pvi.PULSE_ITEMS:
            tally = self.pulse_tallies.get(key, {})
            n = sum(tally.values())
            rows.append(
                {
                    "text": text,
                    "mean": formulas.share(sum(v * c for v, c in tally.items()), n),
                    "counts": [tally.get(v, 0) for v in pvi.Agreement.values],
                }
            )
        return rows

    @property
    def client_positive(self) -> tuple[int, int]:
        """(very good or good, answers other than "don't know")."""
        known = sum(n for r, n in self.client_answers.items() if r != pvi.ClientRating.DONT_KNOW)
        return sum(self.client_answers.get(r, 0) for r in pvi.POSITIVE), known

    def pvi_components(self) -> list[formulas.Component]:
        positive, known = self.client_positive
        staff = [row["mean"] for row in self.pulse_items()]
        status = [dims["status"] for dims in self.outcomes.values()]
        improved = sum(round(c.improved_share * c.n) for c in status if c.n)
        rated = sum(c.n for c in status)
        return [
            formulas.Component(
                "client", formulas.scaled(formulas.share(positive, known), 0, 1), known
            ),
            formulas.Component(
                "staff",
                formulas.scaled(sum(staff) / len(staff), 1, 5) if staff else None,
                self.pulse_answered if staff else 0,
            ),
            formulas.Component(
                "outcomes", formulas.scaled(formulas.share(improved, rated), 0, 1), rated
            ),
            formulas.Component(
                "frontline", formulas.scaled(self.team.frontline_share, 0, 1), len(self.members)
            ),
        ]

    @property
    def pvi(self) -> float | None:
        return formulas.public_value_index(self.pvi_components())

    @property
    def cover_met_share(self) -> float | None:
        return formulas.share(*self.cover_met)

    @property
    def requests_honoured_share(self) -> float | None:
        return formulas.share(*self.requests_honoured)

    @property
    def handovers_on_time_share(self) -> float | None:
        return formulas.share(*self.handovers_on_time)

    def figures(self) -> dict[str, Any]:
        """The week as plain JSON: what a snapshot stores and compares."""
        return {
            "source": self.source,
            "team": asdict(self.team),
            "members": {str(pk): asdict(week) for pk, week in sorted(self.members.items())},
            "visits": self.visits,
            "caseload": self.caseload,
            "caseload_per_wte": self.caseload_per_wte,
            "continuity": asdict(self.continuity),
            "outcomes": {
                name: {dim: asdict(change) for dim, change in dims.items()}
                for name, dims in self.outcomes.items()
            },
            "handovers_on_time": list(self.handovers_on_time),
            "cover_met": list(self.cover_met),
            "requests_honoured": list(self.requests_honoured),
            "nights_spread": self.nights_spread,
            "weekends_spread": self.weekends_spread,
            "pulse_answered": self.pulse_answered,
            "pulse_tallies": {
                item: {str(v): c for v, c in sorted(tally.items())}
                for item, tally in sorted(self.pulse_tallies.items())
            },
            "client_answers": dict(sorted(self.client_answers.items())),
        }


def _out_of_100(part: int, whole: int) -> float | None:
    return formulas.scaled(formulas.share(part, whole), 0, 1)


CONTINUITY_DAYS = 90
ROTA_WEEKS = 12  # nights and weekends are compared over this many weeks, not one
HANDOVER_WITHIN = timedelta(hours=24)


def team_week(*, team: Team, week: str, today: date | None = None) -> TeamWeek:
    """Compute a team's figures for an ISO week label such as ``2026W48`` (ValueError if bad).

    For a week still running (``today`` inside it), time counts only the days up to today, so
    the week so far is not measured against shifts nobody has worked yet.
    """
    start, end = formulas.week_days(week)
    upto = min(end, today) if today and today >= start else end
    paid = hours.paid_time(team=team, start=start, end=upto)
    recorded = caseload.recorded_minutes(team=team, start=start, end=upto)
    members = {
        user_id: formulas.time_breakdown(
            rostered=paid.worked.get(user_id, 0),
            leave=paid.leave.get(user_id, 0),
            recorded=recorded.get(user_id, {}),
        )
        for user_id in paid.worked.keys() | recorded.keys()
    }
    clients = caseload.clients_with_visits(team=team, start=start, end=end)
    since = end - timedelta(days=CONTINUITY_DAYS - 1)
    week_rota = rota_figures(team=team, start=start, end=end)
    long_rota = worked_counts(
        team=team,
        since=end - timedelta(weeks=ROTA_WEEKS) + formulas.ONE_DAY,
        until=end,
        published_only=True,
    )
    return TeamWeek(
        week=week,
        start=start,
        end=end,
        source=paid.source,
        team=formulas.combine(members.values()),
        members=members,
        visits=caseload.visit_counts(team=team, start=start, end=end),
        caseload=clients,
        caseload_per_wte=formulas.per_wte(clients, paid.contracted_hours.values()),
        continuity=formulas.continuity(
            caseload.done_visits_by_client(team=team, start=since, end=end)
        ),
        outcomes=formulas.outcomes(caseload.rating_histories(team=team, until=end)),
        handovers_on_time=caseload.handovers_acknowledged(
            team=team, start=start, end=end, within=HANDOVER_WITHIN
        ),
        cover_met=(week_rota.cover_met, week_rota.cover_cells),
        requests_honoured=(week_rota.honoured, week_rota.requests),
        nights_spread=formulas.spread_per_wte(
            {pk: row["nights"] for pk, row in long_rota.items()}, paid.contracted_hours
        ),
        weekends_spread=formulas.spread_per_wte(
            {pk: row["weekends"] for pk, row in long_rota.items()}, paid.contracted_hours
        ),
        **_voices(team=team, week=week),
    )


def _voices(*, team: Team, week: str) -> dict[str, Any]:
    """The week's pulse (how many answered, and the tallies) and the clients' answers."""
    tallies: dict[str, dict[int, int]] = {}
    for item, value, count in (
        PulseTally.objects.for_team(team).filter(week=week).values_list("item", "value", "count")
    ):
        tallies.setdefault(item, {})[value] = count
    answers = dict(
        ClientAnswer.objects.for_team(team)
        .filter(week=week)
        .values_list("rating")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        "pulse_answered": PulseSubmission.objects.for_team(team).filter(week=week).count(),
        "pulse_tallies": tallies,
        "client_answers": answers,
    }


@dataclass(frozen=True)
class TrendPoint:
    week: str
    start: date
    frontline_share: float | None
    client_facing_share: float | None
    unrecorded_share: float | None
    visits_done: int
    source: str
    stored: bool  # from a snapshot, not computed now
    running: bool = False  # the week today is in


def data_version_key(team_id: int) -> str:
    return f"insights:version:{team_id}"


FRESH_SECONDS = 600  # a cached week also expires, for writes that bypass model signals


def fresh_week(*, team: Team, week: str, today: date) -> TeamWeek:
    """Compute a week that has no snapshot (the running week) once per change of the team's data.

    The cache key holds the team's data version, which ``services.figures_changed`` moves on
    after every commit that touches a figure, and today's date, since the running week counts
    the days up to today; a changed team therefore never reads figures from before the change.
    """
    version = cache.get(data_version_key(team.pk), 0)
    key = f"insights:week:{team.pk}:{week}:{today.isoformat()}:{version}"
    figures = cache.get(key)
    if figures is None:
        figures = team_week(team=team, week=week, today=today)
        cache.set(key, figures, FRESH_SECONDS)
    return figures


def figures_key(*, team: Team, week: str, today: date, variant: str) -> str:
    """A cache key that changes whenever the figures shown for ``week`` could: with the team's
    data version, and with the count and latest computation of its stored weeks up to
    ``week`` (one small aggregate), since the worker stores them in another process."""
    start, _end = formulas.week_days(week)
    stamp = (
        WeeklySnapshot.objects.for_team(team)
        .filter(start__lte=start)
        .aggregate(n=Count("pk"), latest=Max("computed_at"))
    )
    version = cache.get(data_version_key(team.pk), 0)
    latest = stamp["latest"].timestamp() if stamp["latest"] else 0
    return (
        f"insights:figures:{team.pk}:{week}:{today.isoformat()}:{version}:"
        f"{stamp['n']}:{latest}:{variant}"
    )


@dataclass(frozen=True)
class Shown:
    """The week a page shows, the weeks up to it (oldest first) and which weeks are stored."""

    week: TeamWeek
    trend: list[TrendPoint]
    stored: frozenset[str]


def week_shown(*, team: Team, week: str, today: date, weeks: int) -> Shown:
    """Read the week asked for and the ``weeks`` weeks up to it, in one query for snapshots.

    A closed week is read from its snapshot and never recomputed here: snapshots are the
    worker's job (``services.snapshot_week``). Only the running week, or a closed week never
    stored, is computed, through ``fresh_week``'s cache.
    """
    start, _end = formulas.week_days(week)
    snapshots = list(
        WeeklySnapshot.objects.for_team(team)
        .filter(start__lte=start)
        .order_by("-start")
        .only("week", "start", "figures")[:weeks]
    )
    if snapshots and snapshots[0].week == week:
        current = TeamWeek.from_figures(week=week, start=start, figures=snapshots[0].figures)
        earlier, stored = snapshots[1:], True
    else:
        current = fresh_week(team=team, week=week, today=today)
        earlier, stored = snapshots[: weeks - 1], False
    points = [_point_from_figures(s.week, s.start, s.figures, stored=True) for s in earlier]
    points.append(
        _point_from_figures(
            week, start, current.figures(), stored=stored, running=current.end >= today
        )
    )
    return Shown(
        week=current,
        trend=sorted(points, key=lambda p: p.start),
        stored=frozenset(s.week for s in snapshots),
    )


def _point_from_figures(
    week: str, start: date, figures: dict, *, stored: bool, running: bool = False
) -> TrendPoint:
    breakdown = formulas.TimeBreakdown(**figures["team"])
    return TrendPoint(
        week=week,
        start=start,
        frontline_share=breakdown.frontline_share,
        client_facing_share=breakdown.client_facing_share,
        unrecorded_share=breakdown.unrecorded_share,
        visits_done=figures["visits"].get("done", 0),
        source=figures["source"],
        stored=stored,
        running=running,
    )


def breakdown_rows(breakdown: formulas.TimeBreakdown) -> list[dict[str, Any]]:
    """Each code of the code list with its hours and share of paid time, in the list's order."""
    return [
        {
            "code": code,
            "hours": breakdown.hours(code.code),
            "share": formulas.share(breakdown.minutes[code.code], breakdown.paid),
        }
        for code in CODES
    ]


def member_rows(*, team: Team, week: TeamWeek) -> list[dict[str, Any]]:
    """Each member's breakdown with their name, for the team's own eyes only."""
    names = people.names(ids=week.members.keys())
    return sorted(
        ({"name": names.get(pk, ""), "week": breakdown} for pk, breakdown in week.members.items()),
        key=lambda row: row["name"],
    )


def pulse_answered(*, team: Team, member: User, week: str) -> bool:
    return PulseSubmission.objects.for_team(team).filter(member=member, week=week).exists()


def visit_answered(*, visit) -> bool:
    return ClientAnswer.objects.filter(visit=visit).exists()


def teams_overview(*, teams: list[Team], weeks: int) -> list[tuple[Team, list[TrendPoint]]]:
    """Each team's latest stored weeks, oldest first: aggregates only, in one query."""
    by_team: dict[int, list[TrendPoint]] = {team.pk: [] for team in teams}
    snapshots = WeeklySnapshot.objects.filter(team__in=teams).order_by("team_id", "-start")
    for s in snapshots.only("team_id", "week", "start", "figures"):
        if len(by_team[s.team_id]) < weeks:
            by_team[s.team_id].append(_point_from_figures(s.week, s.start, s.figures, stored=True))
    return [(team, sorted(by_team[team.pk], key=lambda p: p.start)) for team in teams]


@dataclass(frozen=True)
class MonthReport:
    """The weeks of a month (those whose Monday falls in it) for the monthly report."""

    first: date  # the month's first day
    weeks: list[TeamWeek]  # stored or running, oldest first
    trend: list[TrendPoint]
    missing: list[str]  # closed weeks of the month with no snapshot yet

    @property
    def team(self) -> formulas.TimeBreakdown:
        return formulas.combine(week.team for week in self.weeks)

    @property
    def sources(self) -> set[str]:
        return {week.source for week in self.weeks}


def month_report(*, team: Team, first: date, today: date) -> MonthReport:
    """Read a month's weeks from their snapshots, in one query; the running week is computed
    (through ``fresh_week``'s cache) and weeks not started yet are left out.

    Each ISO week belongs to the month of its Monday, so no week is counted in two reports.
    """
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    mondays = [
        day
        for day in (first + timedelta(days=n) for n in range((following - first).days))
        if day.weekday() == 0 and day <= today
    ]
    stored = {
        s.week: s
        for s in WeeklySnapshot.objects.for_team(team)
        .filter(start__in=mondays)
        .only("week", "start", "figures")
    }
    weeks, trend, missing = [], [], []
    for monday in mondays:
        label = formulas.iso_week(monday)
        if label in stored:
            week = TeamWeek.from_figures(week=label, start=monday, figures=stored[label].figures)
        elif monday + timedelta(days=6) >= today:
            week = fresh_week(team=team, week=label, today=today)
        else:
            missing.append(label)
            continue
        weeks.append(week)
        trend.append(
            _point_from_figures(
                label, monday, week.figures(), stored=label in stored, running=week.end >= today
            )
        )
    return MonthReport(first=first, weeks=weeks, trend=trend, missing=missing)


@dataclass(frozen=True)
class MetricWeek:
    week: str
    start: date
    value: float | None
    n: int


def metric_weeks(*, team: Team, key: str, first: date, last: date) -> list[MetricWeek]:
    """One metric (``insights.metrics``) in each stored week starting between two Mondays.

    Reads stored snapshots only, in one query: closed weeks as they were kept, never recomputed.
    """
    snapshots = (
        WeeklySnapshot.objects.for_team(team)
        .filter(start__gte=first, start__lte=last)
        .order_by("start")
        .only("week", "start", "figures")
    )
    return [MetricWeek(s.week, s.start, *metrics.read(key, s.figures)) for s in snapshots]


def last_closed_week(*, now: datetime | None = None) -> str:
    """The ISO week before the one that contains today (in the teams' time zone)."""
    today = timezone.localdate(now or timezone.now())
    return formulas.iso_week(today - timedelta(days=7))
