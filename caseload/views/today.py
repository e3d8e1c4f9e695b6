"""Today (a member's visits) and the team board."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import render

from caseload import pdf, selectors, services
from caseload.views.common import (
    day_from,
    team_context,
)
from teams.access import TeamRequest, team_view
from teams.selectors import member_users


@team_view()
def today(request: TeamRequest) -> HttpResponse:
    day = day_from(request)
    context = team_context(
        request,
        day=day,
        visits=selectors.today_for_member(team=request.team, member=request.user, day=day),
        handovers=selectors.open_handovers(team=request.team, member=request.user),
    )
    template = "caseload/_today.html" if request.htmx else "caseload/today.html"
    return render(request, template, context)


@team_view()
def board(request: TeamRequest) -> HttpResponse:
    day = day_from(request)
    context = team_context(
        request,
        day=day,
        columns=selectors.team_board(team=request.team, day=day),
        members=member_users(team=request.team),
        previous=day - timedelta(days=1),
        next=day + timedelta(days=1),
    )
    template = "caseload/_board.html" if request.htmx else "caseload/board.html"
    return render(request, template, context)


@team_view()
def day_sheet_pdf(request: TeamRequest) -> HttpResponse:
    day = day_from(request)
    visits = selectors.today_for_member(team=request.team, member=request.user, day=day)
    for item in visits:
        services.client_record_viewed(
            client=item.visit.client, by=request.user, what="day sheet pdf"
        )
    return pdf.day_sheet(request, day=day, visits=visits)
