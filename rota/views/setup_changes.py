"""Change or remove what the set-up page lists: shift types, skills and cover needs."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rota import forms, selectors, services
from rota.models import CoverNeed, ShiftType, Skill
from rota.services import RotaError
from teams.access import TeamRequest, team_context, team_view


def _to_setup(request: TeamRequest, section: str) -> HttpResponse:
    return redirect(f"{reverse('rota:setup', kwargs={'team_slug': request.team.slug})}#{section}")


def _change(
    request: TeamRequest,
    form: Form,
    save: Callable[[dict], object],
    *,
    title: str,
    section: str,
    success: str,
    hint: str = "",
) -> HttpResponse:
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except RotaError as error:
            form.add_service_error(error)
        else:
            messages.success(request, success)
            return _to_setup(request, section)
    context = team_context(request, form=form, title=title, section=section, hint=hint)
    return render(request, "rota/setup_change.html", context)


def _posted(request: TeamRequest) -> dict | None:
    return request.POST if request.method == "POST" else None


def _shift_type(request: TeamRequest, shift_type_id: int) -> ShiftType:
    shift_type = get_object_or_404(ShiftType.objects.for_team(request.team), pk=shift_type_id)
    shift_type.team = request.team  # the same row: spare a query
    return shift_type


@team_view(write=True)
def shift_type_change(request: TeamRequest, shift_type_id: int) -> HttpResponse:
    shift_type = _shift_type(request, shift_type_id)
    locked = selectors.shift_type_use(shift_type=shift_type).published > 0
    form = forms.ShiftTypeForm(
        _posted(request),
        initial={f: getattr(shift_type, f) for f in ("name", "start", "end", "colour")},
        times_locked=locked,
    )
    hint = (
        f"{shift_type.name} is on published rotas, so its times stay as they are: changing them "
        f"would change the shifts already worked. To use new times from now on, retire "
        f"{shift_type.name} (rename it first if the new one should have its name) and add a "
        f"new shift type."
        if locked
        else ""
    )
    return _change(
        request,
        form,
        lambda data: services.shift_type_save(
            team=request.team, by=request.user, shift_type=shift_type, **data
        ),
        title=_("Change %(name)s") % {"name": shift_type.name},
        section="shift-types",
        success="The shift type was changed.",
        hint=hint,
    )


@team_view(write=True)
def shift_type_remove(request: TeamRequest, shift_type_id: int) -> HttpResponse:
    """Confirm, then delete a shift type never on a rota; one that was can only be retired."""
    shift_type = _shift_type(request, shift_type_id)
    if request.method == "POST":
        try:
            services.shift_type_delete(shift_type=shift_type, by=request.user)
        except RotaError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{shift_type.name} was deleted.")
            return _to_setup(request, "shift-types")
    use = selectors.shift_type_use(shift_type=shift_type)
    return render(
        request,
        "rota/shift_type_remove.html",
        team_context(request, shift_type=shift_type, use=use),
    )


@team_view(write=True)
@require_POST
def shift_type_retire(request: TeamRequest, shift_type_id: int) -> HttpResponse:
    shift_type = services.shift_type_retire(
        shift_type=_shift_type(request, shift_type_id), by=request.user
    )
    messages.success(
        request,
        f"{shift_type.name} is retired. Shifts already on rotas keep it; it is not used for new "
        f"ones.",
    )
    return _to_setup(request, "shift-types")


@team_view(write=True)
@require_POST
def shift_type_reinstate(request: TeamRequest, shift_type_id: int) -> HttpResponse:
    shift_type = _shift_type(request, shift_type_id)
    try:
        services.shift_type_reinstate(shift_type=shift_type, by=request.user)
        messages.success(request, f"{shift_type.name} is back in use.")
    except RotaError as error:
        messages.error(request, str(error))
    return _to_setup(request, "shift-types")


def _skill(request: TeamRequest, skill_id: int) -> Skill:
    skill = get_object_or_404(Skill.objects.for_team(request.team), pk=skill_id)
    skill.team = request.team
    return skill


@team_view(write=True)
def skill_change(request: TeamRequest, skill_id: int) -> HttpResponse:
    skill = _skill(request, skill_id)
    return _change(
        request,
        forms.SkillForm(_posted(request), initial={"name": skill.name}),
        lambda data: services.skill_save(team=request.team, by=request.user, skill=skill, **data),
        title=_("Rename %(name)s") % {"name": skill.name},
        section="skills",
        success="The skill was renamed.",
    )


@team_view(write=True)
def skill_remove(request: TeamRequest, skill_id: int) -> HttpResponse:
    skill = _skill(request, skill_id)
    if request.method == "POST":
        services.skill_delete(skill=skill, by=request.user)
        messages.success(request, f"{skill.name} was removed.")
        return _to_setup(request, "skills")
    context = team_context(
        request,
        skill=skill,
        holders=selectors.skill_holders(skill=skill),
        cover_needs=selectors.cover_needs(team=request.team, skill=skill),
    )
    return render(request, "rota/skill_remove.html", context)


def _cover_need(request: TeamRequest, cover_need_id: int) -> CoverNeed:
    need = get_object_or_404(
        CoverNeed.objects.for_team(request.team).select_related("shift_type"), pk=cover_need_id
    )
    need.team = request.team
    return need


@team_view(write=True)
def cover_need_change(request: TeamRequest, cover_need_id: int) -> HttpResponse:
    need = _cover_need(request, cover_need_id)
    form = forms.CoverNeedForm(
        _posted(request),
        team=request.team,
        initial={
            "shift_type": need.shift_type,
            "weekday": need.weekday,
            "day": need.date,
            "minimum": need.minimum,
            "preferred": need.preferred,
            "required_skills": list(need.required_skills.all()),
        },
    )
    return _change(
        request,
        form,
        lambda data: services.cover_need_save(
            team=request.team, by=request.user, cover_need=need, **data
        ),
        title=_("Change the cover need for %(need)s") % {"need": need.label},
        section="cover",
        success="The cover need was changed.",
    )


@team_view(write=True)
def cover_need_remove(request: TeamRequest, cover_need_id: int) -> HttpResponse:
    need = _cover_need(request, cover_need_id)
    if request.method == "POST":
        services.cover_need_delete(cover_need=need, by=request.user)
        messages.success(request, _("The cover need was removed."))
        return _to_setup(request, "cover")
    return render(request, "rota/cover_need_remove.html", team_context(request, need=need))
