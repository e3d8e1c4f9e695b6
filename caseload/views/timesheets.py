"""A member's time: quick entry and the day and week view."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from caseload import selectors, services
from caseload.forms import (
    TimeEntryForm,
)
from caseload.models import TimeCategory
from caseload.views.common import (
    apply_errors,
    team_context,
)
from teams.access import Access, TeamRequest, team_view
from teams.inputs import date_param


@team_view()
def time_view(request: TeamRequest) -> HttpResponse:
    day = date_param(request)
    week_start = day - timedelta(days=day.weekday())
    last = selectors.last_time_category(team=request.team, member=request.user)
    form = TimeEntryForm(request.POST or None, initial={"date": day, "category": last})
    if request.method == "POST":
        if request.access is not Access.MEMBER:
            raise Http404
        if form.is_valid():
            try:
                services.time_entry_save(
                    team=request.team, member=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Time added."))
                url = reverse("caseload:time", kwargs={"team_slug": request.team.slug})
                return redirect(f"{url}?date={form.cleaned_data['date']}")
    week = selectors.time_summary(team=request.team, member=request.user, start=week_start, days=7)
    days = [week_start + timedelta(days=n) for n in range(7)]
    grid = {(row["date"], row["category"]): row["minutes"] for row in week.rows}
    table = [
        {
            "label": label,
            "category": value,
            "cells": [grid.get((d, value), 0) for d in days],
            "total": week.totals[value],
        }
        for value, label in TimeCategory.choices
    ]
    day_totals = [sum(grid.get((d, c), 0) for c in TimeCategory.values) for d in days]
    context = team_context(
        request,
        day=day,
        form=form,
        entries=selectors.time_entries(team=request.team, member=request.user, day=day),
        week=week,
        days=days,
        table=table,
        day_totals=day_totals,
        previous=week_start - timedelta(days=7),
        next=week_start + timedelta(days=7),
    )
    return render(request, "caseload/time.html", context)
