"""The set-up page: shift types, skills, cover needs, contracts and the team's rules."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rota import forms, selectors, services
from rota.services import RotaError
from teams.access import TeamRequest, team_context, team_view


def _setup(request: TeamRequest, **forms_given) -> HttpResponse:
    team = request.team
    team_rules = selectors.team_rules(team=team)
    initial_rules = {
        f: getattr(team_rules, f) for f in forms.TeamRulesForm.base_fields if hasattr(team_rules, f)
    }
    shift_types = selectors.shift_types(team=team, include_retired=True)
    context = team_context(
        request,
        shift_types=[st for st in shift_types if st.retired_at is None],
        retired_shift_types=[st for st in shift_types if st.retired_at is not None],
        skills=selectors.skills(team=team),
        cover_needs=selectors.cover_needs(team=team),
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
        lambda data: services.skill_save(team=request.team, by=request.user, **data),
        "The skill was added.",
    )


@team_view(write=True)
@require_POST
def cover_need_create(request: TeamRequest) -> HttpResponse:
    return _setup_post(
        request,
        forms.CoverNeedForm(request.POST, team=request.team),
        "cover_form",
        lambda data: services.cover_need_save(team=request.team, by=request.user, **data),
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
