"""Rota pages. Thin: parse, authorise with ``team_view``, call one service, render."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from rota import forms, selectors, services
from rota.ical import calendar_bytes
from rota.models import (
    Assignment,
    LeaveRequest,
    PlanRun,
    RotaPeriod,
    ShiftType,
    Skill,
    Swap,
)
from rota.pdf import rota_pdf
from rota.services import RotaError
from teams.access import Access, TeamRequest, team_view
from teams.models import User

FEED_DAYS_BACK = 60


def _context(request: TeamRequest, **extra) -> dict:
    return {"team": request.team, "is_coach": request.access is Access.COACH, **extra}


def _period(request: TeamRequest, period_id: int) -> RotaPeriod:
    period = get_object_or_404(RotaPeriod.objects.for_team(request.team), pk=period_id)
    period.team = request.team  # the same row: spare a query
    return period


def _member(request: TeamRequest, user_id: int | None) -> User:
    members = {m.pk: m for m in selectors.current_members(team=request.team)}
    if user_id not in members:
        raise Http404
    return members[user_id]


@team_view()
def index(request: TeamRequest) -> HttpResponse:
    return _index(request, forms.PeriodForm())


def _index(request: TeamRequest, form: forms.PeriodForm) -> HttpResponse:
    context = _context(request, periods=selectors.periods(team=request.team), form=form)
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
    return _context(
        request,
        period=period,
        grid=grid,
        editable=request.access is Access.MEMBER and not period.is_published,
        run=selectors.latest_plan_run(period=period),
        plan_form=forms.PlanForm(),
    )


@team_view()
def period_page(request: TeamRequest, period_id: int) -> HttpResponse:
    period = _period(request, period_id)
    return render(request, "rota/period.html", _grid_context(request, period))


@team_view()
def grid_fragment(request: TeamRequest, period_id: int) -> HttpResponse:
    """Serve the grid region again after a live event (`rota-changed`)."""
    period = _period(request, period_id)
    return render(request, "rota/_grid.html", _grid_context(request, period))


@team_view(write=True)
@require_POST
def cell_save(request: TeamRequest, period_id: int) -> HttpResponse:
    """Set one cell; answer with the person's row plus the cover and violations (out of band)."""
    period = _period(request, period_id)
    form = forms.CellForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Choose a shift.", status=400)
    user = _member(request, form.cleaned_data["user"])
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
    period = _period(request, period_id)
    try:
        services.period_publish(period=period, by=request.user)
        messages.success(request, "The rota is published. Everyone has been told.")
    except RotaError as error:
        messages.error(request, str(error))
    return redirect("rota:period", team_slug=request.team.slug, period_id=period.pk)


@team_view(write=True)
@require_POST
def period_reopen(request: TeamRequest, period_id: int) -> HttpResponse:
    period = _period(request, period_id)
    try:
        services.period_reopen(period=period, by=request.user)
        messages.success(request, "The rota is a draft again.")
    except RotaError as error:
        messages.error(request, str(error))
    return redirect("rota:period", team_slug=request.team.slug, period_id=period.pk)


@team_view()
def period_pdf(request: TeamRequest, period_id: int) -> HttpResponse:
    period = _period(request, period_id)
    pdf = rota_pdf(grid=selectors.period_grid(period=period))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="rota-{period.start:%Y-%m-%d}.pdf"'
    return response


@team_view(write=True)
@require_POST
def plan_start(request: TeamRequest, period_id: int) -> HttpResponse:
    period = _period(request, period_id)
    form = forms.PlanForm(request.POST)
    if form.is_valid():
        try:
            services.plan_start(period=period, by=request.user, **form.cleaned_data)
            messages.success(request, "The planner has started. Progress shows below.")
        except RotaError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, "Give the planner between 1 and 600 seconds.")
    return redirect("rota:period", team_slug=request.team.slug, period_id=period.pk)


@team_view()
def plan_status(request: TeamRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(PlanRun.objects.for_team(request.team), pk=run_id)
    return render(request, "rota/_plan.html", _context(request, run=run, period=run.period))


@team_view(write=True)
@require_POST
def plan_stop(request: TeamRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(PlanRun.objects.for_team(request.team), pk=run_id)
    try:
        services.plan_stop(run=run, by=request.user)
        messages.success(request, "The planner will stop and keep the best rota so far.")
    except RotaError as error:
        messages.error(request, str(error))
    return redirect("rota:period", team_slug=request.team.slug, period_id=run.period_id)


def _setup(request: TeamRequest, **forms_given) -> HttpResponse:
    team = request.team
    team_rules = selectors.team_rules(team=team)
    initial_rules = {
        f: getattr(team_rules, f) for f in forms.TeamRulesForm.base_fields if hasattr(team_rules, f)
    }
    context = _context(
        request,
        shift_types=selectors.shift_types(team=team),
        skills=list(Skill.objects.for_team(team)),
        cover_needs=list(
            team.cover_needs.select_related("shift_type").prefetch_related("required_skills")
        ),
        contracts=sorted(selectors.contracts(team=team).values(), key=lambda c: c.user.name),
        shift_type_form=forms_given.get("shift_type_form") or forms.ShiftTypeForm(),
        skill_form=forms_given.get("skill_form") or forms.SkillForm(),
        cover_form=forms_given.get("cover_form") or forms.CoverNeedForm(team=team),
        contract_form=forms_given.get("contract_form") or forms.ContractForm(team=team),
        member_skills_form=forms_given.get("member_skills_form")
        or forms.MemberSkillsForm(team=team),
        member_skills=selectors.member_skills(team=team),
        rules_form=forms_given.get("rules_form") or forms.TeamRulesForm(initial=initial_rules),
    )
    return render(request, "rota/setup.html", context)


@team_view()
def setup(request: TeamRequest) -> HttpResponse:
    return _setup(request)


def _setup_post(request: TeamRequest, form, form_name: str, call, success: str) -> HttpResponse:
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except RotaError as error:
            form.add_service_error(error)
        else:
            messages.success(request, success)
            return redirect("rota:setup", team_slug=request.team.slug)
    return _setup(request, **{form_name: form})


@team_view(write=True)
@require_POST
def shift_type_create(request: TeamRequest) -> HttpResponse:
    return _setup_post(
        request,
        forms.ShiftTypeForm(request.POST),
        "shift_type_form",
        lambda data: services.shift_type_save(team=request.team, by=request.user, **data),
        "The shift type was added.",
    )


@team_view(write=True)
@require_POST
def skill_create(request: TeamRequest) -> HttpResponse:
    return _setup_post(
        request,
        forms.SkillForm(request.POST),
        "skill_form",
        lambda data: services.skill_create(team=request.team, by=request.user, **data),
        "The skill was added.",
    )


@team_view(write=True)
@require_POST
def cover_need_create(request: TeamRequest) -> HttpResponse:
    return _setup_post(
        request,
        forms.CoverNeedForm(request.POST, team=request.team),
        "cover_form",
        lambda data: services.cover_need_save(
            team=request.team,
            by=request.user,
            shift_type=data["shift_type"],
            weekday=data["weekday"],
            day=data["day"],
            minimum=data["minimum"],
            preferred=data["preferred"],
            required_skills=list(data["required_skills"]),
        ),
        "The cover need was saved.",
    )


@team_view(write=True)
@require_POST
def contract_save(request: TeamRequest) -> HttpResponse:
    return _setup_post(
        request,
        forms.ContractForm(request.POST, team=request.team),
        "contract_form",
        lambda data: services.contract_save(team=request.team, by=request.user, **data),
        "The contract was saved.",
    )


@team_view(write=True)
@require_POST
def member_skills_save(request: TeamRequest) -> HttpResponse:
    return _setup_post(
        request,
        forms.MemberSkillsForm(request.POST, team=request.team),
        "member_skills_form",
        lambda data: services.member_skills_set(
            team=request.team, user=data["user"], skills=list(data["skills"]), by=request.user
        ),
        "The member's skills were saved.",
    )


@team_view(write=True)
@require_POST
def rules_save(request: TeamRequest) -> HttpResponse:
    return _setup_post(
        request,
        forms.TeamRulesForm(request.POST),
        "rules_form",
        lambda data: services.team_rules_save(team=request.team, by=request.user, **data),
        "The team's rules were saved.",
    )


def _requests(request: TeamRequest, **forms_given) -> HttpResponse:
    team = request.team
    today = timezone.localdate()
    context = _context(
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
            messages.success(request, "Your leave request was sent to the planner.")
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
            messages.success(request, "Your request was saved.")
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
            messages.success(request, "Your availability was saved.")
            return redirect("rota:requests", team_slug=request.team.slug)
    return _requests(request, availability_form=form)


@team_view()
def swaps_page(request: TeamRequest) -> HttpResponse:
    team = request.team
    today = timezone.localdate()
    periods = [p for p in selectors.periods(team=team) if p.end >= today]
    context = _context(
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
    period = _period(request, period_id)
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


@team_view(write=True)
def calendar_page(request: TeamRequest) -> HttpResponse:
    """Show, make or revoke the member's own private calendar link."""
    team, token = request.team, None
    if request.method == "POST":
        feed = selectors.live_feed(team=team, user=request.user)
        try:
            if request.POST.get("action") == "revoke" and feed is not None:
                services.feed_revoke(feed=feed, by=request.user)
                messages.success(request, "Your calendar link no longer works.")
            else:
                _, token = services.feed_create(team=team, user=request.user, by=request.user)
        except RotaError as error:
            messages.error(request, str(error))
    link = request.build_absolute_uri(f"/calendar/{token}.ics") if token else None
    context = _context(request, feed=selectors.live_feed(team=team, user=request.user), link=link)
    return render(request, "rota/calendar.html", context)


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Serve a member's published shifts to a calendar app; unknown or revoked tokens get 404."""
    feed = selectors.feed_for_token(token)
    if feed is None or not selectors.is_member(team=feed.team, user=feed.user):
        raise Http404
    since = timezone.localdate() - timedelta(days=FEED_DAYS_BACK)
    shifts = selectors.published_shifts(team=feed.team, user=feed.user, since=since)
    body = calendar_bytes(team=feed.team, user=feed.user, assignments=shifts)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=3600"
    return response
