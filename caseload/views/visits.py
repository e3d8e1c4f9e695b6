"""Planning, recording and reassigning visits, and the printed day sheet."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caseload import selectors, services
from caseload.forms import (
    ReassignForm,
    VisitEditForm,
    VisitForm,
    VisitRecordForm,
    VisitStatusForm,
)
from caseload.views.common import (
    UNREADABLE_FORM,
    apply_errors,
    audit_read,
    conflict_response,
    form_page,
    next_url,
    posted_version,
    team_context,
)
from teams.access import Access, TeamRequest, team_view


@team_view(write=True)
def visit_add(request: TeamRequest, client_id: int) -> HttpResponse:
    client = selectors.client_for_member(team=request.team, client_id=client_id)
    audit_read(request, [client], "visit form")
    form = VisitForm(
        request.POST or None,
        team=request.team,
        client=client,
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_create(client=client, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The visit was planned."))
            return redirect(client)
    return form_page(
        request,
        form,
        title=_("Plan a visit to %(client)s") % {"client": client},
        submit=_("Plan visit"),
        back=client.get_absolute_url(),
    )


@team_view()
def visit_detail(request: TeamRequest, visit_id) -> HttpResponse:
    """The visit and, while planned, the form to record it; posting records it."""
    visit = selectors.visit_for_member(team=request.team, visit_id=visit_id)
    audit_read(request, [visit.client], "visit")
    initial = {
        "base_version": visit.version,
        "actual_minutes": visit.planned_minutes,
        "travel_minutes": 0,
        "interventions_done": list(visit.interventions.all()),
    }
    form = VisitRecordForm(request.POST or None, visit=visit, initial=initial)
    if request.method == "POST":
        if request.access is not Access.MEMBER:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.visit_record_save(
                    visit=visit,
                    by=request.user,
                    base_version=data["base_version"],
                    actual_minutes=data["actual_minutes"],
                    travel_minutes=data["travel_minutes"],
                    interventions_done=data["interventions_done"],
                    note=data["note"],
                    ratings=[
                        services.RatingInput(
                            care_problem=problem, knowledge=k, behaviour=b, status=st
                        )
                        for problem, (k, b, st) in form.ratings
                    ],
                )
            except services.VersionConflict as conflict:
                return conflict_response(
                    request,
                    conflict,
                    back=reverse("caseload:today", kwargs={"team_slug": request.team.slug}),
                )
            except ValidationError as error:
                apply_errors(form, error)
            except services.CaseloadError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Visit to {visit.client} recorded.")
                return redirect("caseload:today", team_slug=request.team.slug)
    context = team_context(
        request,
        visit=visit,
        form=form,
        status_form=VisitStatusForm(initial={"base_version": visit.version}),
        reassign_form=ReassignForm(
            team=request.team,
            initial={"base_version": visit.version, "assigned_to": visit.assigned_to},
        ),
    )
    return render(request, "caseload/visit_detail.html", context)


@team_view(write=True)
def visit_edit(request: TeamRequest, visit_id) -> HttpResponse:
    """Change one planned visit's day, time window or minutes."""
    visit = selectors.visit_for_member(team=request.team, visit_id=visit_id)
    audit_read(request, [visit.client], "visit form")
    initial = {
        "base_version": visit.version,
        "date": visit.date,
        "window_start": visit.window_start,
        "window_end": visit.window_end,
        "planned_minutes": visit.planned_minutes,
    }
    form = VisitEditForm(request.POST or None, initial=initial)
    back = reverse("caseload:visit", kwargs={"team_slug": request.team.slug, "visit_id": visit.pk})
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_update(visit=visit, by=request.user, **form.cleaned_data)
        except services.VersionConflict as conflict:
            return conflict_response(request, conflict, back=back)
        except ValidationError as error:
            apply_errors(form, error)
        except services.CaseloadError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The visit was changed."))
            return redirect(back)
    return form_page(
        request,
        form,
        title=_("Change the visit to %(client)s") % {"client": visit.client},
        submit=_("Save"),
        back=back,
    )


@team_view(write=True)
@require_POST
def visit_done(request: TeamRequest, visit_id) -> HttpResponse:
    """Mark a visit done as planned: one tap on Today."""
    visit = selectors.visit_for_member(team=request.team, visit_id=visit_id)
    back = next_url(request, reverse("caseload:today", kwargs={"team_slug": request.team.slug}))
    base_version = posted_version(request)
    if base_version is None:
        messages.error(request, UNREADABLE_FORM)
        return redirect(back)
    try:
        services.visit_done_as_planned(visit=visit, by=request.user, base_version=base_version)
    except services.VersionConflict as conflict:
        return conflict_response(request, conflict, back=back)
    except services.CaseloadError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Visit to {visit.client} recorded as planned.")
    return redirect(back)


@team_view(write=True)
@require_POST
def visit_status(request: TeamRequest, visit_id) -> HttpResponse:
    visit = selectors.visit_for_member(team=request.team, visit_id=visit_id)
    form = VisitStatusForm(request.POST)
    if form.is_valid():
        try:
            services.visit_set_status(visit=visit, by=request.user, **form.cleaned_data)
            messages.success(request, f"The visit is marked {form.cleaned_data['status']}.")
        except services.VersionConflict as conflict:
            return conflict_response(
                request,
                conflict,
                back=reverse(
                    "caseload:visit", kwargs={"team_slug": request.team.slug, "visit_id": visit.pk}
                ),
            )
        except (ValidationError, services.CaseloadError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.error(request, _("Choose cancelled or missed and say why."))
    return redirect("caseload:visit", team_slug=request.team.slug, visit_id=visit.pk)


@team_view(write=True)
@require_POST
def visit_reassign(request: TeamRequest, visit_id) -> HttpResponse:
    """Give a visit to a colleague (tap-to-reassign on the board)."""
    visit = selectors.visit_for_member(team=request.team, visit_id=visit_id)
    form = ReassignForm(request.POST, team=request.team)
    back = next_url(request, reverse("caseload:board", kwargs={"team_slug": request.team.slug}))
    if form.is_valid():
        try:
            services.visit_reassign(
                visit=visit,
                by=request.user,
                base_version=form.cleaned_data["base_version"],
                to=form.cleaned_data["assigned_to"],
            )
            messages.success(
                request,
                f"Visit to {visit.client} given to {form.cleaned_data['assigned_to'] or 'nobody'}.",
            )
        except services.VersionConflict as conflict:
            return conflict_response(request, conflict, back=back)
        except (ValidationError, services.CaseloadError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect(back)
