"""Today (a member's visits) and the team board."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from caseload import pdf, selectors
from caseload.models import Handover, Visit
from caseload.views.common import (
    audit_read,
    team_context,
)
from teams.access import TeamRequest, team_view
from teams.fragments import cached_fragment
from teams.inputs import date_param


@team_view()
def today(request: TeamRequest) -> HttpResponse:
    day = date_param(request)
    keys = selectors.member_visits_on(
        team=request.team, member=request.user, day=day, keys_only=True
    )
    handovers = list(selectors.handovers_awaiting(team=request.team, member=request.user))
    audit_read(
        request, [*(visit.client for visit in keys), *(h.client for h in handovers)], "today"
    )
    cards = keys and cached_fragment(
        request,
        name="today",
        # A card shows its visit, its client, the visit's interventions and the client's open
        # handovers: each change to those moves the client's page_version (migrations 0004–5).
        version=_cards_version(request, keys, day),
        template="caseload/_visit_cards.html",
        context=lambda: team_context(request, visits=_cards(request, day)),
    )
    context = team_context(
        request,
        day=day,
        cards=cards,
        handovers_for_you=handovers and _handovers_for_you(request, handovers),
        # The menu's count is these handovers: counted here, not asked again
        # (caseload.context_processors.handover_count).
        handovers_waiting=len(handovers),
    )
    template = "caseload/_today.html" if request.htmx else "caseload/today.html"
    return render(request, template, context)


def _handovers_for_you(request: TeamRequest, handovers: list[Handover]) -> str:
    """The handovers waiting for the reader, cached under a digest of everything they show."""
    next_url = request.get_full_path()
    shown = [
        (h.pk, h.version, h.text, h.author.name, h.client_id, h.client and h.client.name)
        for h in handovers
    ]
    return cached_fragment(
        request,
        name="handovers-for-you",
        version=hashlib.sha256(repr((next_url, shown)).encode()).hexdigest(),
        template="caseload/_handovers_for_you.html",
        context=lambda: team_context(request, handovers=handovers, next_url=next_url),
    )


def _cards_version(request: TeamRequest, visits: list[Visit], day: date) -> str:
    shown = ",".join(f"{visit.pk}:{visit.client.page_version}" for visit in visits)
    digest = hashlib.sha256(shown.encode()).hexdigest()
    return f"{request.user.pk}:{day}:{digest}"


def _cards(request: TeamRequest, day: date) -> list[tuple[selectors.TodayVisit, str]]:
    """Each card's whole visit, read only when the cards are not in the cache."""
    visits = selectors.member_visits_on(team=request.team, member=request.user, day=day)
    return _with_return_places(request, visits, day)


def _with_return_places(
    request: TeamRequest, visits: list[Visit], day: date
) -> list[tuple[selectors.TodayVisit, str]]:
    """Pair each card with where "done as planned" returns to: Today at the next visit's card.

    The query names the visit just done, so the return is a fresh page load even when only the
    anchor would differ (a change of anchor alone just scrolls the stale page).
    """
    cards = selectors.visit_cards(team=request.team, member=request.user, visits=visits)
    url = reverse("caseload:today", kwargs={"team_slug": request.team.slug})
    places = []
    for n, item in enumerate(cards):
        shown = visits[min(n + 1, len(visits) - 1)]
        query = urlencode({"date": day.isoformat(), "done": item.visit.pk})
        places.append((item, f"{url}?{query}#visit-{shown.pk}"))
    return places


@team_view()
def board(request: TeamRequest) -> HttpResponse:
    day = date_param(request)
    columns = selectors.team_board(team=request.team, day=day)
    audit_read(request, [visit.client for column in columns for visit in column.visits], "board")
    context = team_context(
        request,
        day=day,
        board=_board(request, columns, day),
        previous=day - timedelta(days=1),
        next=day + timedelta(days=1),
    )
    template = "caseload/_board.html" if request.htmx else "caseload/board.html"
    return render(request, template, context)


def _board(request: TeamRequest, columns: list[selectors.BoardColumn], day: date) -> str:
    """The board's columns, each cached under its member, its visits' client page versions and
    the team's members (every column's menus list them): a recorded visit moves its client's
    version, so only the column that shows it renders again."""
    members = [column.member for column in columns if column.member is not None]
    names = [(m.pk, m.name) for m in members]
    return mark_safe(  # noqa: S308 - our own renders, each escaped by its template
        "".join(
            _board_column(request, column, n, members, names, day)
            for n, column in enumerate(columns, 1)
        )
    )


def _board_column(
    request: TeamRequest,
    column: selectors.BoardColumn,
    n: int,
    members: list,
    names: list[tuple[int, str]],
    day: date,
) -> str:
    shown = [n, column.member and column.member.pk, names]
    shown.append([(v.pk, v.client.page_version) for v in column.visits])
    return cached_fragment(
        request,
        name="board-column",
        version=hashlib.sha256(repr((request.path, day, shown)).encode()).hexdigest(),
        template="caseload/_board_column.html",
        context=lambda: team_context(
            request, column=column, n=n, members=members, day=day, board_path=request.path
        ),
    )


@team_view()
def day_sheet_pdf(request: TeamRequest) -> HttpResponse:
    day = date_param(request)
    visits = selectors.today_for_member(team=request.team, member=request.user, day=day)
    audit_read(request, [item.visit.client for item in visits], "day sheet pdf")
    return pdf.day_sheet(request, day=day, visits=visits)
