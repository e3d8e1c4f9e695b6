"""Rota periods: the list, the people × days grid, cell edits, publishing and the PDF."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rota import forms, selectors, services
from rota.models import RotaPeriod, ShiftType
from rota.pdf import rota_pdf
from rota.services import RotaError
from rota.views.common import member_for, period_for
from teams.access import Access, TeamRequest, team_context, team_view


@team_view()
def index(request: TeamRequest) -> HttpResponse:
    return _index(request, forms.PeriodForm())


def _index(request: TeamRequest, form: forms.PeriodForm) -> HttpResponse:
    context = team_context(request, periods=selectors.periods(team=request.team), form=form)
    return render(request, "rota/index.html", context)


@team_view(write=True)
@require_POST
def period_create(request: TeamRequest) -> HttpResponse:
    form = forms.PeriodForm(request.POST)
    if form.is_valid():
        try:
            period = services.period_create(team=request.team, by=request.user, **form.cleaned_data)
        except RotaError as error:
            form.add_service_error(error)
        else:
            return redirect("rota:period", team_slug=request.team.slug, period_id=period.pk)
    return _index(request, form)


def _grid_context(request: TeamRequest, period: RotaPeriod) -> dict:
    grid = selectors.period_grid(period=period)
    return team_context(
        request,
        period=period,
        grid=grid,
        editable=request.access is Access.MEMBER and not period.is_published,
        run=selectors.latest_plan_run(period=period),
        plan_form=forms.PlanForm(),
    )


@team_view()
def period_page(request: TeamRequest, period_id: int) -> HttpResponse:
    period = period_for(request, period_id)
    context = _grid_context(request, period)
    context["is_planner"] = selectors.is_planner(team=request.team, user=request.user)
    return render(request, "rota/period.html", context)


@team_view()
def grid_fragment(request: TeamRequest, period_id: int) -> HttpResponse:
    """Serve the grid region again after a live event (`rota-changed`)."""
    period = period_for(request, period_id)
    return render(request, "rota/_grid.html", _grid_context(request, period))


@team_view(write=True)
@require_POST
def cell_save(request: TeamRequest, period_id: int) -> HttpResponse:
    """Set one cell; answer with the person's row plus the cover and violations (out of band)."""
    period = period_for(request, period_id)
    form = forms.CellForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Choose a shift.", status=400)
    user = member_for(request, form.cleaned_data["user"])
    shift_type = None
    if form.cleaned_data["shift_type"]:
        shift_type = get_object_or_404(
            ShiftType.objects.for_team(request.team), pk=form.cleaned_data["shift_type"]
        )
    error = ""
    try:
        services.assignment_set(
            period=period,
            user=user,
            day=form.cleaned_data["date"],
            shift_type=shift_type,
            by=request.user,
            seen=form.cleaned_data["seen"],
        )
    except RotaError as exc:
        error = str(exc)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("rota:period", team_slug=request.team.slug, period_id=period.pk)
    context = _grid_context(request, period)
    context["row"] = next(r for r in context["grid"].rows if r.member.pk == user.pk)
    context["cell_error"] = error
    return render(request, "rota/_cell_response.html", context)


@team_view(write=True)
@require_POST
def period_publish(request: TeamRequest, period_id: int) -> HttpResponse:
    period = period_for(request, period_id)
    try:
        services.period_publish(period=period, by=request.user)
        messages.success(request, _("The rota is published. Everyone has been told."))
    except RotaError as error:
        messages.error(request, str(error))
    return redirect("rota:period", team_slug=request.team.slug, period_id=period.pk)


@team_view(write=True)
def period_reopen(request: TeamRequest, period_id: int) -> HttpResponse:
    """Ask first (GET), then reopen (POST): a reopened rota can be changed under everyone."""
    period = period_for(request, period_id)
    if request.method != "POST":
        is_planner = selectors.is_planner(team=request.team, user=request.user)
        context = team_context(request, period=period, is_planner=is_planner)
        return render(request, "rota/period_reopen.html", context)
    try:
        services.period_reopen(period=period, by=request.user)
        messages.success(request, _("The rota is a draft again. Publish it when it is ready."))
    except RotaError as error:
        messages.error(request, str(error))
    return redirect("rota:period", team_slug=request.team.slug, period_id=period.pk)


@team_view()
def period_pdf(request: TeamRequest, period_id: int) -> HttpResponse:
    period = period_for(request, period_id)
    pdf = rota_pdf(grid=selectors.period_grid(period=period))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="rota-{period.start:%Y-%m-%d}.pdf"'
    return response
