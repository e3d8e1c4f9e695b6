"""Start, watch and stop the planner on a rota period."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rota import forms, services
from rota.models import PlanRun
from rota.services import RotaError
from rota.views.common import period_for
from teams.access import TeamRequest, team_context, team_view


@team_view(write=True)
@require_POST
def plan_start(request: TeamRequest, period_id: int) -> HttpResponse:
    period = period_for(request, period_id)
    form = forms.PlanForm(request.POST)
    if form.is_valid():
        try:
            services.plan_start(period=period, by=request.user, **form.cleaned_data)
            messages.success(request, _("The planner has started. Progress shows below."))
        except RotaError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Give the planner between 1 and 600 seconds."))
    return redirect("rota:period", team_slug=request.team.slug, period_id=period.pk)


@team_view()
def plan_status(request: TeamRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(PlanRun.objects.for_team(request.team), pk=run_id)
    return render(request, "rota/_plan.html", team_context(request, run=run, period=run.period))


@team_view(write=True)
@require_POST
def plan_stop(request: TeamRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(PlanRun.objects.for_team(request.team), pk=run_id)
    try:
        services.plan_stop(run=run, by=request.user)
        messages.success(request, _("The planner will stop and keep the best rota so far."))
    except RotaError as error:
        messages.error(request, str(error))
    return redirect("rota:period", team_slug=request.team.slug, period_id=run.period_id)
