"""Reads for the caseload, each a fixed number of queries whatever the caseload size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    Max,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from caseload.models import (
    FRONTLINE,
    CarePlanProblem,
    Client,
    ClientStatus,
    Handover,
    Intervention,
    Note,
    Rating,
    TimeCategory,
    TimeEntry,
    Visit,
    VisitStatus,
)
from caseload.validators import normalise_nhs_number, normalise_postcode
from teams import clock
from teams.models import AuditEvent, Team, User
from teams.selectors import member_users

PAGE_SIZE = 25


def client_for_member(*, team: Team, client_id: int) -> Client:
    """Return the team's client or raise Http404 (a foreign id is not confirmed to exist)."""
    client = (
        Client.objects.for_team(team).select_related("primary_nurse").filter(pk=client_id).first()
    )
    if client is None:
        raise Http404
    client.team = team  # the row is the team's: spare a query wherever the page asks for it
    return client


def visit_for_member(*, team: Team, visit_id) -> Visit:
    visit = (
        Visit.objects.for_team(team)
        .select_related("client", "assigned_to", "record__recorded_by")
        .filter(pk=visit_id)
        .first()
    )
    if visit is None:
        raise Http404
    return visit


def visits_for_member_between(
    *, team: Team, member: User, start: date, end: date
) -> QuerySet[Visit]:
    return (
        Visit.objects.for_team(team)
        .filter(assigned_to=member, date__range=(start, end))
        .order_by("date", "window_start")
    )


def client_search(*, team: Team, query: str = "", status: str = "", page: int = 1) -> Page:
    """Find clients by name, postcode or NHS number; one count and one page query.

    Only the columns the result list shows are read: a page of 25 wide rows costs more to
    build than to fetch.
    """
    clients = (
        Client.objects.for_team(team)
        .select_related("primary_nurse")
        .only("name", "postcode", "status", "primary_nurse", "primary_nurse__name")
    )
    query = query.replace("\x00", "").strip()  # PostgreSQL refuses NUL in any string
    if query:
        digits = normalise_nhs_number(query)
        if len(digits) == 10 and digits.isdigit():
            # A whole NHS number: an equality the (team, nhs_number) index serves on any database.
            clients = clients.filter(nhs_number=digits)
        elif digits.isdigit():
            clients = clients.filter(nhs_number__startswith=digits)
        else:
            clients = clients.filter(
                Q(name__icontains=query)
                | Q(preferred_name__icontains=query)
                | Q(postcode__icontains=normalise_postcode(query))
            )
    if status in ClientStatus.values:
        clients = clients.filter(status=status)
    return Paginator(clients.order_by("name", "pk"), PAGE_SIZE).get_page(page)


def open_handovers(*, team: Team, member: User) -> QuerySet[Handover]:
    return (
        Handover.objects.for_team(team)
        .filter(acknowledged_at__isnull=True)
        .filter(Q(to__isnull=True) | Q(to=member))
        .select_related("client", "author", "to")
    )


def handovers_awaiting(*, team: Team, member: User) -> QuerySet[Handover]:
    """Open handovers for the member that someone else wrote: what she has not seen yet.

    Only what Today lists of each is read: it is on every member's Today.
    """
    return (
        Handover.objects.for_team(team)
        .filter(acknowledged_at__isnull=True)
        .filter(Q(to__isnull=True) | Q(to=member))
        .exclude(author=member)
        .select_related("client", "author")
        .only("team_id", "version", "text", "client__name", "author__name")
    )


def client_open_handovers(*, client: Client) -> QuerySet[Handover]:
    return client.handovers.filter(acknowledged_at__isnull=True).select_related("author", "to")


@dataclass
class TodayVisit:
    visit: Visit
    handovers: list[Handover]


def member_visits_on(
    *, team: Team, member: User, day: date, keys_only: bool = False
) -> list[Visit]:
    """The member's visits on ``day`` in time order, with their clients.

    ``keys_only`` reads just each visit's id and its client's id and page version: enough to
    find Today's cards in the cache and audit the read, without building whole rows.
    """
    visits = (
        Visit.objects.for_team(team)
        .filter(date=day, assigned_to=member)
        .select_related("client")
        .order_by("window_start", "client__name")
    )
    if keys_only:
        visits = visits.only("team_id", "client__page_version")
    return list(visits)


def visit_cards(*, team: Team, member: User, visits: list[Visit]) -> list[TodayVisit]:
    """What each visit's card shows besides its client: interventions and open handovers."""
    prefetch_related_objects(visits, Prefetch("interventions", to_attr="intervention_list"))
    handovers: dict[int, list[Handover]] = {}
    client_ids = {v.client_id for v in visits}
    for handover in open_handovers(team=team, member=member).filter(client_id__in=client_ids):
        handovers.setdefault(handover.client_id, []).append(handover)
    return [TodayVisit(visit=v, handovers=handovers.get(v.client_id, [])) for v in visits]


def today_for_member(*, team: Team, member: User, day: date) -> list[TodayVisit]:
    """The member's visits in time order, each with its card's interventions and handovers."""
    visits = member_visits_on(team=team, member=member, day=day)
    return visit_cards(team=team, member=member, visits=visits)


@dataclass
class BoardColumn:
    member: User | None
    visits: list[Visit]

    @property
    def planned_minutes(self) -> int:
        return sum(v.planned_minutes for v in self.visits if v.status != VisitStatus.CANCELLED)


def team_board(*, team: Team, day: date) -> list[BoardColumn]:
    """Today's visits for everyone, one column per member and one for unassigned visits."""
    members = list(member_users(team=team))
    columns = {m.pk: BoardColumn(member=m, visits=[]) for m in members}
    unassigned = BoardColumn(member=None, visits=[])
    visits = (
        Visit.objects.for_team(team)
        .filter(date=day)
        .select_related("client")
        .order_by("window_start", "client__name")
    )
    for visit in visits:
        columns.get(visit.assigned_to_id, unassigned).visits.append(visit)
    return [*columns.values(), *([unassigned] if unassigned.visits else [])]


@dataclass
class ProblemView:
    care_problem: CarePlanProblem
    interventions: list[Intervention]
    ratings: list[Rating]

    @property
    def change(self) -> dict[str, int] | None:
        """Outcome change: latest minus first rating per concept (-4..+4)."""
        if len(self.ratings) < 2:
            return None
        first, last = self.ratings[0], self.ratings[-1]
        return {
            c: getattr(last, c) - getattr(first, c) for c in ("knowledge", "behaviour", "status")
        }


def care_plan(*, client: Client) -> list[ProblemView]:
    problems = (
        CarePlanProblem.objects.filter(client=client)
        .select_related("problem")
        .prefetch_related(
            Prefetch(
                "interventions",
                queryset=Intervention.objects.filter(active=True).select_related("target"),
                to_attr="active_interventions",
            ),
            Prefetch("ratings", queryset=Rating.objects.order_by("rated_at"), to_attr="history"),
        )
        .order_by("status", "problem__code")
    )
    return [
        ProblemView(care_problem=p, interventions=p.active_interventions, ratings=p.history)
        for p in problems
    ]


def recent_visitors(*, client: Client, today: date, days: int = 30) -> list[dict]:
    """Who visited in the last ``days`` days, most visits first: continuity at a glance."""
    return list(
        Visit.objects.filter(
            client=client,
            status=VisitStatus.DONE,
            date__gt=today - timedelta(days=days),
            date__lte=today,
        )
        .values("record__recorded_by__name")
        .annotate(visits=Count("id"), last=Max("date"))
        .order_by("-visits", "record__recorded_by__name")
    )


def client_notes(*, client: Client, limit: int = 20) -> list[Note]:
    return list(
        Note.objects.filter(client=client, addendum_to__isnull=True)
        .select_related("author")
        .prefetch_related(Prefetch("addenda", queryset=Note.objects.select_related("author")))
        .order_by("-created_at")[:limit]
    )


def client_upcoming_visits(*, client: Client, today: date, limit: int = 10) -> list[Visit]:
    return list(
        Visit.objects.filter(client=client, date__gte=today, status=VisitStatus.PLANNED)
        .select_related("assigned_to")
        .order_by("date", "window_start")[:limit]
    )


# What each page's read of a record is called on "Who looked at this record".
READ_WORDS = {
    "page": _("opened the record"),
    "visit": _("opened a visit"),
    "visit form": _("opened a visit form"),
    "edit form": _("opened the form to change the details"),
    "care plan form": _("opened a care plan form"),
    "summary pdf": _("downloaded the summary PDF"),
    "day sheet pdf": _("printed a day sheet"),
    "client list": _("saw the client in the client list"),
    "today": _("saw the client on Today"),
    "board": _("saw the client on the team board"),
    "handovers": _("saw the client in handovers"),
    "conflict": _("saw the record beside a conflicting change"),
}
CHANGE_WORDS = {
    "client.create": _("added the client"),
    "client.update": _("changed the details"),
    **{
        f"client.{value}": format_lazy(_("set the status to {}"), label)
        for value, label in ClientStatus.choices
    },
}


@dataclass
class AccessLine:
    """Everything one person did to a record in one way on one day, folded into one line."""

    actor_name: str | None
    action: str
    what: str | None
    offline_copy: bool
    day: date
    latest: datetime
    times: int

    @property
    def words(self) -> str:
        if self.offline_copy:
            return gettext("kept the record on their tablet for offline use")
        if self.action == "client.view":
            return str(READ_WORDS.get(self.what or "", _("looked at the record")))
        return str(CHANGE_WORDS.get(self.action, _("changed the record")))


def client_access_log(*, client: Client, limit: int = 20) -> list[AccessLine]:
    """Who read or changed the record, one line per person, kind of access and day.

    The tablet's background copies for offline use fold into one line per person and day, so
    they cannot push the people who opened the record off the list. Events are read newest
    first, a page at a time, until the last line's day is complete: a record read daily for
    years costs what a new one does. A record read more than a page of times before that (a
    client on the team's lists is audited by every refresh of Today and the board) has its last
    ``ACCESS_LOG_DAYS`` days grouped by the database instead, and older events folded after.
    """
    events = AuditEvent.objects.for_team(client.team).filter(
        object_type="caseload.client", object_id=str(client.pk)
    )
    lines: dict[tuple, AccessLine] = {}
    if not _fold_older(lines, events, limit, pages=1):
        since, day = _recent_days(timezone.get_current_timezone())
        lines = _recent_lines(events.filter(at__gte=since), day)
        if len(lines) < limit:
            _fold_older(lines, events.filter(at__lt=since), limit)
    return list(lines.values())[:limit]


# Days of events the access log of a busy record groups in the database in one query (whole
# days in the team's time zone): enough for its 20 lines.
ACCESS_LOG_DAYS = 7
# Audit events read at a time when they are folded in Python.
ACCESS_LOG_PAGE = 500


def _recent_days(zone) -> tuple[datetime, Case]:
    """The first of the last ``ACCESS_LOG_DAYS`` local midnights, and each event's day.

    The day is found by comparison with those midnights: plain SQL on both databases, where a
    time zone conversion per row calls back into Python on SQLite. Only an event stamped after
    today (a skewed clock) is converted.
    """
    days = [clock.today() - timedelta(days=n) for n in range(ACCESS_LOG_DAYS)]
    midnights = [datetime.combine(day, time.min, tzinfo=zone) for day in days]
    tomorrow = datetime.combine(days[0] + timedelta(days=1), time.min, tzinfo=zone)
    day = Case(
        When(at__gte=tomorrow, then=TruncDate("at", tzinfo=zone)),
        *(When(at__gte=m, then=Value(d)) for d, m in zip(days, midnights, strict=True)),
        output_field=DateField(),
    )
    return midnights[-1], day


def _line_key(actor_name: str | None, action: str, day: date, what: object, offline: object):
    """One line's key; ``what`` and ``offline`` are the detail's keys as the database reads them
    (JSON true is 1 on SQLite, 'true' on PostgreSQL)."""
    is_offline = str(offline).lower() in {"1", "true"}
    return (actor_name, action, day, is_offline, None if is_offline or what is None else str(what))


def _new_line(key: tuple, *, latest: datetime, times: int) -> AccessLine:
    actor_name, action, day, offline, what = key
    return AccessLine(
        actor_name=actor_name,
        action=action,
        what=what,
        offline_copy=offline,
        day=day,
        latest=latest,
        times=times,
    )


def _recent_lines(events: QuerySet[AuditEvent], day: Case) -> dict[tuple, AccessLine]:
    """The lines of ``events``, grouped by the database on ``day``, newest first."""
    rows = (
        events.annotate(
            day=day,
            what=KeyTextTransform("what", "detail"),
            offline=KeyTextTransform("offline_copy", "detail"),
        )
        .values("actor__name", "action", "day", "what", "offline")
        .annotate(times=Count("id"), latest=Max("at"), last=Max("id"))
        .order_by("-latest", "-last")
    )
    lines: dict[tuple, AccessLine] = {}
    for row in rows:
        key = _line_key(row["actor__name"], row["action"], row["day"], row["what"], row["offline"])
        if key in lines:  # background copies of several kinds fold into one line
            lines[key].times += row["times"]
        else:
            lines[key] = _new_line(key, latest=row["latest"], times=row["times"])
    return lines


def _fold_older(
    lines: dict[tuple, AccessLine],
    events: QuerySet[AuditEvent],
    limit: int,
    pages: int | None = None,
) -> bool:
    """Fold ``events`` into ``lines`` newest first, a page at a time, while they can matter.

    Stops after ``pages`` pages if given; False if it stopped there with events left to fold.
    """
    events = events.order_by("-at", "-id").values_list(
        "actor__name",
        "action",
        "at",
        KeyTextTransform("what", "detail"),
        KeyTextTransform("offline_copy", "detail"),
    )
    start = 0
    while True:
        page = list(events[start : start + ACCESS_LOG_PAGE])
        if not _fold_events(lines, page, limit) or len(page) < ACCESS_LOG_PAGE:
            return True
        start += ACCESS_LOG_PAGE
        if pages is not None and start >= pages * ACCESS_LOG_PAGE:
            return False


def _fold_events(lines: dict[tuple, AccessLine], events: list[tuple], limit: int) -> bool:
    """Fold newest-first events into ``lines``; False once older events cannot change them."""
    cutoff = list(lines.values())[limit - 1].day if len(lines) >= limit else None
    zone = timezone.get_current_timezone()
    for actor_name, action, at, what, offline in events:
        day = at.astimezone(zone).date()
        if cutoff is not None and day < cutoff:
            return False
        key = _line_key(actor_name, action, day, what, offline)
        if key in lines:
            lines[key].times += 1
        else:
            lines[key] = _new_line(key, latest=at, times=1)
            if len(lines) == limit:
                cutoff = day
    return True


@dataclass
class TimeSummary:
    start: date
    end: date
    rows: list[dict]
    totals: dict[str, int]
    total: int
    frontline: int

    @property
    def frontline_share(self) -> int:
        return round(100 * self.frontline / self.total) if self.total else 0


def time_summary(*, team: Team, member: User, start: date, days: int) -> TimeSummary:
    """Minutes per day and category, summed by the database."""
    end = start + timedelta(days=days - 1)
    rows = list(
        TimeEntry.objects.for_team(team)
        .filter(member=member, date__range=(start, end))
        .values("date", "category")
        .annotate(minutes=Sum("minutes"))
        .order_by("date", "category")
    )
    totals = dict.fromkeys(TimeCategory.values, 0)
    for row in rows:
        totals[row["category"]] += row["minutes"]
    total = sum(totals.values())
    frontline = sum(totals[c] for c in FRONTLINE)
    return TimeSummary(
        start=start, end=end, rows=rows, totals=totals, total=total, frontline=frontline
    )


def time_entries(*, team: Team, member: User, day: date) -> QuerySet[TimeEntry]:
    return TimeEntry.objects.for_team(team).filter(member=member, date=day).order_by("created_at")


def last_time_category(*, team: Team, member: User) -> str | None:
    """The category of the member's last time entry of her own (not from a visit record)."""
    return (
        TimeEntry.objects.for_team(team)
        .filter(member=member, visit_record__isnull=True)
        .order_by("-created_at")
        .values_list("category", flat=True)
        .first()
    )


def team_handovers(*, team: Team, open_only: bool = True) -> QuerySet[Handover]:
    handovers = Handover.objects.for_team(team).select_related(
        "client", "author", "to", "acknowledged_by"
    )
    return handovers.filter(acknowledged_at__isnull=True) if open_only else handovers[:50]


def recorded_minutes(*, team: Team, start: date, end: date) -> dict[int, dict[str, int]]:
    """Minutes recorded per member and time category from start to end, in one aggregate."""
    rows = (
        TimeEntry.objects.for_team(team)
        .filter(date__range=(start, end))
        .values_list("member_id", "category")
        .annotate(minutes=Sum("minutes"))
        .order_by()
    )
    recorded: dict[int, dict[str, int]] = {}
    for member_id, category, minutes in rows:
        recorded.setdefault(member_id, {})[category] = minutes
    return recorded


def visit_counts(*, team: Team, start: date, end: date) -> dict[str, int]:
    """Visits from start to end by status (every status present, zero where none)."""
    rows = (
        Visit.objects.for_team(team)
        .filter(date__range=(start, end))
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict.fromkeys(VisitStatus.values, 0) | dict(rows)


def done_visits_by_client(*, team: Team, start: date, end: date) -> dict[int, dict[int, int]]:
    """Done visits from start to end per client and nurse (continuity of care), one query."""
    rows = (
        Visit.objects.for_team(team)
        .filter(date__range=(start, end), status=VisitStatus.DONE, assigned_to__isnull=False)
        .values_list("client_id", "assigned_to_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    visits: dict[int, dict[int, int]] = {}
    for client_id, nurse_id, n in rows:
        visits.setdefault(client_id, {})[nurse_id] = n
    return visits


def clients_with_visits(*, team: Team, start: date, end: date) -> int:
    """Clients with a visit that was not cancelled from start to end: the week's caseload."""
    return (
        Visit.objects.for_team(team)
        .filter(date__range=(start, end))
        .exclude(status=VisitStatus.CANCELLED)
        .values("client_id")
        .distinct()
        .count()
    )


def rating_histories(*, team: Team, until: date) -> dict[str, list[tuple[int, ...]]]:
    """Per care-plan problem (keyed ``problem name|id``), its (K, B, S) ratings in time order.

    One query over the team's ratings up to the end of ``until``; the caller takes first and
    latest, so a rating recorded late still lands in the right place.
    """
    rows = (
        Rating.objects.for_team(team)
        .filter(rated_at__date__lte=until)
        .order_by("rated_at")
        .values_list(
            "care_problem__problem__name", "care_problem_id", "knowledge", "behaviour", "status"
        )
    )
    histories: dict[str, list[tuple[int, ...]]] = {}
    for name, problem_id, *kbs in rows:
        histories.setdefault(f"{name}|{problem_id}", []).append(tuple(kbs))
    return histories


def handovers_acknowledged(
    *, team: Team, start: date, end: date, within: timedelta
) -> tuple[int, int]:
    """(acknowledged within ``within``, written) for handovers written from start to end."""
    written = Handover.objects.for_team(team).filter(created_at__date__range=(start, end))
    counts = written.aggregate(
        total=Count("pk"),
        on_time=Count(
            "pk",
            filter=Q(
                acknowledged_at__isnull=False,
                acknowledged_at__lte=F("created_at") + within,
            ),
        ),
    )
    return counts["on_time"], counts["total"]


def client_names(*, team: Team) -> list[str]:
    """Every client's name and preferred name, discharged ones too, for the personal-data check
    on what a team publishes; the caller audits the read (the names are never shown)."""
    names = Client.objects.for_team(team).values_list("name", "preferred_name")
    return [name for pair in names for name in pair if name]
