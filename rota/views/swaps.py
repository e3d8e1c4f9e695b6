"""Swaps and open shifts."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from rota import forms, selectors, services
from rota.models import Assignment, ShiftType, Swap
from rota.services import RotaError
from rota.views.common import period_for
from teams.access import TeamRequest, team_context, team_view


@team_view()
def swaps_page(request: TeamRequest) -> HttpResponse:
    team = request.team
    today = timezone.localdate()
    periods = [p for p in selectors.periods(team=team) if p.end >= today]
    context = team_context(
        request,
        swaps=selectors.open_swaps(team=team),
        open_shifts=[(p, selectors.open_shifts(period=p)) for p in periods],
        mine=list(
            Assignment.objects.for_team(team)
            .filter(user=request.user, date__gte=today)
            .select_related("shift_type")
        ),
        is_planner=selectors.is_planner(team=team, user=request.user),
    )
    return render(request, "rota/swaps.html", context)


def _to_swaps(request: TeamRequest) -> HttpResponse:
    return redirect("rota:swaps", team_slug=request.team.slug)


@team_view(write=True)
@require_POST
def swap_offer(request: TeamRequest, assignment_id: int) -> HttpResponse:
    assignment = get_object_or_404(Assignment.objects.for_team(request.team), pk=assignment_id)
    try:
        services.swap_offer(assignment=assignment, by=request.user)
        messages.success(request, "Your shift is on offer to the team.")
    except RotaError as error:
        messages.error(request, str(error))
    return _to_swaps(request)


@team_view(write=True)
@require_POST
def swap_accept(request: TeamRequest, swap_id: int) -> HttpResponse:
    swap = get_object_or_404(Swap.objects.for_team(request.team), pk=swap_id)
    try:
        swap = services.swap_accept(swap=swap, by=request.user)
        messages.success(request, f"You took the shift ({swap.get_status_display()}).")
    except RotaError as error:
        messages.error(request, str(error))
    return _to_swaps(request)


@team_view(write=True)
@require_POST
def swap_confirm(request: TeamRequest, swap_id: int) -> HttpResponse:
    swap = get_object_or_404(Swap.objects.for_team(request.team), pk=swap_id)
    try:
        services.swap_confirm(
            swap=swap, by=request.user, approve=request.POST.get("approve") == "1"
        )
        messages.success(request, "The swap was decided.")
    except RotaError as error:
        messages.error(request, str(error))
    return _to_swaps(request)


@team_view(write=True)
@require_POST
def open_shift_claim(request: TeamRequest, period_id: int) -> HttpResponse:
    period = period_for(request, period_id)
    form = forms.CellForm({**request.POST.dict(), "user": request.user.pk})
    if not form.is_valid() or not form.cleaned_data["shift_type"]:
        messages.error(request, "Choose a shift to claim.")
        return _to_swaps(request)
    shift_type = get_object_or_404(
        ShiftType.objects.for_team(request.team), pk=form.cleaned_data["shift_type"]
    )
    try:
        services.open_shift_claim(
            period=period, day=form.cleaned_data["date"], shift_type=shift_type, by=request.user
        )
        messages.success(request, "The shift is yours.")
    except RotaError as error:
        messages.error(request, str(error))
    return _to_swaps(request)
