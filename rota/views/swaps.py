"""Swaps and open shifts."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rota import forms, selectors, services
from rota.models import Assignment, ShiftType, Swap, SwapStatus
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
        has_rota=bool(periods),
        open_shifts=[(p, *gap) for p in periods for gap in selectors.open_shifts(period=p)],
        mine=selectors.coming_shifts(team=team, user=request.user, since=today),
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
        messages.success(
            request, _("Your shift is on offer. It stays yours until a colleague takes it.")
        )
    except RotaError as error:
        messages.error(request, str(error))
    return _to_swaps(request)


@team_view(write=True)
@require_POST
def swap_withdraw(request: TeamRequest, swap_id: int) -> HttpResponse:
    swap = get_object_or_404(Swap.objects.for_team(request.team), pk=swap_id)
    try:
        services.swap_withdraw(swap=swap, by=request.user)
        messages.success(request, _("You withdrew your offer. The shift is still yours."))
    except RotaError as error:
        messages.error(request, str(error))
    return _to_swaps(request)


@team_view(write=True)
@require_POST
def swap_accept(request: TeamRequest, swap_id: int) -> HttpResponse:
    swap = get_object_or_404(Swap.objects.for_team(request.team), pk=swap_id)
    try:
        swap = services.swap_accept(swap=swap, by=request.user)
        if swap.status == SwapStatus.CONFIRMED:
            messages.success(request, _("The shift is now yours."))
        else:
            messages.success(
                request, _("You will take the shift once the planner confirms the swap.")
            )
    except RotaError as error:
        messages.error(request, str(error))
    return _to_swaps(request)


@team_view(write=True)
@require_POST
def swap_confirm(request: TeamRequest, swap_id: int) -> HttpResponse:
    swap = get_object_or_404(Swap.objects.for_team(request.team), pk=swap_id)
    try:
        swap = services.swap_confirm(
            swap=swap, by=request.user, approve=request.POST.get("approve") == "1"
        )
        names = {"taker": swap.accepted_by.name, "holder": swap.offered_by.name}
        if swap.status == SwapStatus.CONFIRMED:
            messages.success(request, _("Swap confirmed: the shift is now %(taker)s's.") % names)
        else:
            messages.success(request, _("Swap declined: the shift stays with %(holder)s.") % names)
    except RotaError as error:
        messages.error(request, str(error))
    return _to_swaps(request)


@team_view(write=True)
@require_POST
def open_shift_claim(request: TeamRequest, period_id: int) -> HttpResponse:
    period = period_for(request, period_id)
    form = forms.CellForm({**request.POST.dict(), "user": request.user.pk})
    if not form.is_valid() or not form.cleaned_data["shift_type"]:
        messages.error(request, _("Choose a shift to claim."))
        return _to_swaps(request)
    shift_type = get_object_or_404(
        ShiftType.objects.for_team(request.team), pk=form.cleaned_data["shift_type"]
    )
    try:
        services.open_shift_claim(
            period=period, day=form.cleaned_data["date"], shift_type=shift_type, by=request.user
        )
        messages.success(request, _("The shift is yours."))
    except RotaError as error:
        messages.error(request, str(error))
    return _to_swaps(request)
