"""Leave, shift requests and availability."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rota import forms, selectors, services
from rota.models import LeaveRequest
from rota.services import RotaError
from teams.access import TeamRequest, team_context, team_view


def _requests(request: TeamRequest, **forms_given) -> HttpResponse:
    team = request.team
    today = timezone.localdate()
    context = team_context(
        request,
        leave=selectors.leave_requests(team=team),
        balance=selectors.leave_balance(team=team, user=request.user, year=today.year),
        is_planner=selectors.is_planner(team=team, user=request.user),
        leave_form=forms_given.get("leave_form") or forms.LeaveForm(),
        request_form=forms_given.get("request_form") or forms.ShiftRequestForm(team=team),
        availability_form=forms_given.get("availability_form") or forms.AvailabilityForm(),
        availability=selectors.availability(team=team, user=request.user, since=today),
    )
    return render(request, "rota/requests.html", context)


@team_view()
def requests_page(request: TeamRequest) -> HttpResponse:
    return _requests(request)


@team_view(write=True)
@require_POST
def leave_create(request: TeamRequest) -> HttpResponse:
    form = forms.LeaveForm(request.POST)
    if form.is_valid():
        try:
            services.leave_request(team=request.team, user=request.user, **form.cleaned_data)
        except RotaError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Your leave request was sent to the planner."))
            return redirect("rota:requests", team_slug=request.team.slug)
    return _requests(request, leave_form=form)


@team_view(write=True)
@require_POST
def leave_decide(request: TeamRequest, leave_id: int) -> HttpResponse:
    leave = get_object_or_404(LeaveRequest.objects.for_team(request.team), pk=leave_id)
    try:
        services.leave_decide(
            leave=leave, by=request.user, approve=request.POST.get("approve") == "1"
        )
        messages.success(request, f"The leave of {leave.user} was decided.")
    except RotaError as error:
        messages.error(request, str(error))
    return redirect("rota:requests", team_slug=request.team.slug)


@team_view(write=True)
@require_POST
def shift_request_create(request: TeamRequest) -> HttpResponse:
    form = forms.ShiftRequestForm(request.POST, team=request.team)
    if form.is_valid():
        try:
            services.shift_request_create(team=request.team, user=request.user, **form.cleaned_data)
        except RotaError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Your request was saved."))
            return redirect("rota:requests", team_slug=request.team.slug)
    return _requests(request, request_form=form)


@team_view(write=True)
@require_POST
def availability_save(request: TeamRequest) -> HttpResponse:
    form = forms.AvailabilityForm(request.POST)
    if form.is_valid():
        try:
            services.availability_set(
                team=request.team, user=request.user, by=request.user, **form.cleaned_data
            )
        except RotaError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Your availability was saved."))
            return redirect("rota:requests", team_slug=request.team.slug)
    return _requests(request, availability_form=form)
