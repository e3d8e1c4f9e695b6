"""Today (a member's visits) and the team board."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import render

from caseload import pdf, selectors
from caseload.views.common import (
    audit_read,
    team_context,
)
from teams.access import TeamRequest, team_view
from teams.inputs import date_param
from teams.selectors import member_users


@team_view()
def today(request: TeamRequest) -> HttpResponse:
    day = date_param(request)
    visits = selectors.today_for_member(team=request.team, member=request.user, day=day)
    handovers = list(selectors.open_handovers(team=request.team, member=request.user))
    audit_read(
        request, [*(item.visit.client for item in visits), *(h.client for h in handovers)], "today"
    )
    context = team_context(request, day=day, visits=visits, handovers=handovers)
    template = "caseload/_today.html" if request.htmx else "caseload/today.html"
    return render(request, template, context)


@team_view()
def board(request: TeamRequest) -> HttpResponse:
    day = date_param(request)
    columns = selectors.team_board(team=request.team, day=day)
    audit_read(request, [visit.client for column in columns for visit in column.visits], "board")
    context = team_context(
        request,
        day=day,
        columns=columns,
        members=member_users(team=request.team),
        previous=day - timedelta(days=1),
        next=day + timedelta(days=1),
    )
    template = "caseload/_board.html" if request.htmx else "caseload/board.html"
    return render(request, template, context)


@team_view()
def day_sheet_pdf(request: TeamRequest) -> HttpResponse:
    day = date_param(request)
    visits = selectors.today_for_member(team=request.team, member=request.user, day=day)
    audit_read(request, [item.visit.client for item in visits], "day sheet pdf")
    return pdf.day_sheet(request, day=day, visits=visits)
