"""Caseload pages: thin views over caseload.services and caseload.selectors."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from caseload import pdf, selectors, services
from caseload import sync as sync_service
from caseload.charts import kbs_chart
from caseload.forms import (
    CareProblemForm,
    ClientForm,
    DischargeForm,
    HandoverForm,
    InterventionForm,
    NoteForm,
    RatingForm,
    ReassignForm,
    TimeEntryForm,
    VisitEditForm,
    VisitForm,
    VisitRecordForm,
    VisitStatusForm,
)
from caseload.models import KBS_LABELS, ClientStatus, Handover, Note, TimeCategory
from teams.access import Access, TeamRequest, team_for_member, team_view


def _context(request: TeamRequest, **extra) -> dict:
    return {"team": request.team, "is_coach": request.access is Access.COACH, **extra}


def _day(request: TeamRequest) -> date:
    return parse_date(request.GET.get("date", "")) or timezone.localdate()


def _next(request: TeamRequest, default: str) -> str:
    """Where to go after a POST: the page it came from, if that is on this site."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _what(request: HttpRequest, page: str) -> str:
    """Name a read for the audit log; the service worker marks the copies it keeps offline."""
    return f"{page}, kept for offline use" if request.headers.get("X-Patch-Offline-Copy") else page


def _apply_errors(form: Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _conflict(
    request: TeamRequest, conflict: services.VersionConflict, *, back: str
) -> HttpResponse:
    """Show what is saved now beside what the person tried to save; nothing was overwritten."""
    current = conflict.current
    saved = {
        name: getattr(current, name, None)
        for name in conflict.attempted
        if hasattr(current, name) and not callable(getattr(current, name))
    }
    return render(
        request,
        "caseload/conflict.html",
        _context(request, conflict=conflict, saved=saved, attempted=conflict.attempted, back=back),
        status=409,
    )


def _form_page(request: TeamRequest, form: Form, *, title: str, submit: str, back: str, **extra):
    return render(
        request,
        "caseload/form_page.html",
        _context(request, form=form, title=title, submit=submit, back=back, **extra),
    )


# Today and the board ---------------------------------------------------------------------


@team_view()
def today(request: TeamRequest) -> HttpResponse:
    day = _day(request)
    context = _context(
        request,
        day=day,
        visits=selectors.today_for_member(team=request.team, member=request.user, day=day),
        handovers=selectors.open_handovers(team=request.team, member=request.user),
    )
    template = "caseload/_today.html" if request.htmx else "caseload/today.html"
    return render(request, template, context)


@team_view()
def board(request: TeamRequest) -> HttpResponse:
    day = _day(request)
    context = _context(
        request,
        day=day,
        columns=selectors.team_board(team=request.team, day=day),
        members=selectors.team_members(team=request.team),
        previous=day - timedelta(days=1),
        next=day + timedelta(days=1),
    )
    template = "caseload/_board.html" if request.htmx else "caseload/board.html"
    return render(request, template, context)


# Clients ---------------------------------------------------------------------------------


@team_view()
def client_list(request: TeamRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    status = request.GET.get("status", "")
    page = selectors.client_search(
        team=request.team, query=query, status=status, page=request.GET.get("page", 1)
    )
    return render(
        request,
        "caseload/client_list.html",
        _context(request, page=page, query=query, status=status, statuses=ClientStatus.choices),
    )


@team_view(write=True)
def client_create(request: TeamRequest) -> HttpResponse:
    form = ClientForm(request.POST or None, team=request.team)
    if request.method == "POST" and form.is_valid():
        try:
            client = services.client_create(team=request.team, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"{client} was added to your caseload.")
            return redirect(client)
    back = reverse("caseload:clients", kwargs={"team_slug": request.team.slug})
    return _form_page(request, form, title="Add a client", submit="Add client", back=back)


@team_view()
def client_detail(request: TeamRequest, client_id: int) -> HttpResponse:
    client = selectors.client_for_member(team=request.team, client_id=client_id)
    services.client_record_viewed(client=client, by=request.user, what=_what(request, "page"))
    today_date = timezone.localdate()
    plan = selectors.care_plan(client=client)
    charts = {
        view.care_problem.pk: kbs_chart(
            view.ratings, title=f"Ratings over time: {view.care_problem.problem}"
        )
        for view in plan
    }
    context = _context(
        request,
        client=client,
        plan=plan,
        charts=charts,
        kbs_labels=KBS_LABELS,
        visitors=selectors.recent_visitors(client=client, today=today_date),
        upcoming=selectors.client_upcoming_visits(client=client, today=today_date),
        notes=selectors.client_notes(client=client),
        access_log=selectors.client_access_log(client=client),
        handovers=client.handovers.filter(acknowledged_at__isnull=True).select_related(
            "author", "to"
        ),
        note_form=NoteForm(),
        discharge_form=DischargeForm(
            initial={"status": client.status, "base_version": client.version}
        ),
    )
    return render(request, "caseload/client_detail.html", context)


@team_view(write=True)
def client_edit(request: TeamRequest, client_id: int) -> HttpResponse:
    client = selectors.client_for_member(team=request.team, client_id=client_id)
    form = ClientForm(request.POST or None, instance=client, team=request.team)
    if request.method == "POST" and form.is_valid():
        try:
            services.client_update(
                client=client,
                by=request.user,
                base_version=int(request.POST.get("base_version", 0)),
                **form.cleaned_data,
            )
        except services.VersionConflict as conflict:
            return _conflict(request, conflict, back=client.get_absolute_url())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"{client}'s details were saved.")
            return redirect(client)
    return _form_page(
        request,
        form,
        title=f"Change {client}'s details",
        submit="Save",
        back=client.get_absolute_url(),
        base_version=client.version,
    )


@team_view(write=True)
@require_POST
def client_status(request: TeamRequest, client_id: int) -> HttpResponse:
    client = selectors.client_for_member(team=request.team, client_id=client_id)
    form = DischargeForm(request.POST)
    if form.is_valid():
        try:
            services.client_set_status(
                client=client,
                by=request.user,
                base_version=form.cleaned_data["base_version"],
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, f"{client} is now {form.cleaned_data['status']}.")
        except services.VersionConflict as conflict:
            return _conflict(request, conflict, back=client.get_absolute_url())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect(client)


@team_view()
def client_summary_pdf(request: TeamRequest, client_id: int) -> HttpResponse:
    client = selectors.client_for_member(team=request.team, client_id=client_id)
    services.client_record_viewed(client=client, by=request.user, what="summary pdf")
    return pdf.client_summary(request, client)


# Care plan -------------------------------------------------------------------------------


def _care_plan_form(
    request: TeamRequest, client_id: int, make_form, save, *, title: str, submit: str, **extra
):
    """Show a care-plan form and, once valid, save it through ``save`` and return to the client."""
    client = selectors.client_for_member(team=request.team, client_id=client_id)
    form = make_form(request.POST or None, client)
    if request.method == "POST" and form.is_valid():
        try:
            save(client, form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return redirect(client)
    return _form_page(
        request,
        form,
        title=title.format(client=client),
        submit=submit,
        back=client.get_absolute_url(),
        **extra,
    )


@team_view(write=True)
def care_problem_add(request: TeamRequest, client_id: int) -> HttpResponse:
    return _care_plan_form(
        request,
        client_id,
        lambda data, client: CareProblemForm(data),
        lambda client, data: services.care_problem_add(client=client, by=request.user, **data),
        title="Add a problem to {client}'s care plan",
        submit="Add problem",
    )


@team_view(write=True)
def intervention_add(request: TeamRequest, client_id: int) -> HttpResponse:
    return _care_plan_form(
        request,
        client_id,
        lambda data, client: InterventionForm(data, client=client),
        lambda client, data: services.intervention_add(by=request.user, **data),
        title="Add an intervention for {client}",
        submit="Add intervention",
    )


@team_view(write=True)
def rating_add(request: TeamRequest, client_id: int) -> HttpResponse:
    return _care_plan_form(
        request,
        client_id,
        lambda data, client: RatingForm(data, client=client),
        lambda client, data: services.rating_add(by=request.user, **data),
        title="Rate {client}'s progress",
        submit="Save rating",
        kbs_labels=KBS_LABELS,
    )


@team_view(write=True)
@require_POST
def note_add(request: TeamRequest, client_id: int) -> HttpResponse:
    client = selectors.client_for_member(team=request.team, client_id=client_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        original = None
        if form.cleaned_data["addendum_to"]:
            original = Note.objects.filter(
                client=client, pk=form.cleaned_data["addendum_to"]
            ).first()
        try:
            services.note_add(
                client=client, by=request.user, text=form.cleaned_data["text"], addendum_to=original
            )
            messages.success(request, "Your note was added.")
        except (ValidationError, services.CaseloadError) as error:
            messages.error(request, str(getattr(error, "message", error)))
    else:
        messages.error(request, "Write the note before adding it.")
    return redirect(client)


# Visits ----------------------------------------------------------------------------------


@team_view(write=True)
def visit_add(request: TeamRequest, client_id: int) -> HttpResponse:
    client = selectors.client_for_member(team=request.team, client_id=client_id)
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
            _apply_errors(form, error)
        else:
            messages.success(request, "The visit was planned.")
            return redirect(client)
    return _form_page(
        request,
        form,
        title=f"Plan a visit to {client}",
        submit="Plan visit",
        back=client.get_absolute_url(),
    )


@team_view()
def visit_detail(request: TeamRequest, visit_id) -> HttpResponse:
    """The visit and, while planned, the form to record it; posting records it."""
    visit = selectors.visit_for_member(team=request.team, visit_id=visit_id)
    services.client_record_viewed(
        client=visit.client, by=request.user, what=_what(request, "visit")
    )
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
                )
            except services.VersionConflict as conflict:
                return _conflict(
                    request,
                    conflict,
                    back=reverse("caseload:today", kwargs={"team_slug": request.team.slug}),
                )
            except ValidationError as error:
                _apply_errors(form, error)
            except services.CaseloadError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Visit to {visit.client} recorded.")
                return redirect("caseload:today", team_slug=request.team.slug)
    context = _context(
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
            return _conflict(request, conflict, back=back)
        except ValidationError as error:
            _apply_errors(form, error)
        except services.CaseloadError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The visit was changed.")
            return redirect(back)
    return _form_page(
        request, form, title=f"Change the visit to {visit.client}", submit="Save", back=back
    )


@team_view(write=True)
@require_POST
def visit_done(request: TeamRequest, visit_id) -> HttpResponse:
    """Mark a visit done as planned: one tap on Today."""
    visit = selectors.visit_for_member(team=request.team, visit_id=visit_id)
    back = _next(request, reverse("caseload:today", kwargs={"team_slug": request.team.slug}))
    try:
        services.visit_done_as_planned(
            visit=visit, by=request.user, base_version=int(request.POST.get("base_version", 0))
        )
    except services.VersionConflict as conflict:
        return _conflict(request, conflict, back=back)
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
            return _conflict(
                request,
                conflict,
                back=reverse(
                    "caseload:visit", kwargs={"team_slug": request.team.slug, "visit_id": visit.pk}
                ),
            )
        except (ValidationError, services.CaseloadError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.error(request, "Choose cancelled or missed and say why.")
    return redirect("caseload:visit", team_slug=request.team.slug, visit_id=visit.pk)


@team_view(write=True)
@require_POST
def visit_reassign(request: TeamRequest, visit_id) -> HttpResponse:
    """Give a visit to a colleague (tap-to-reassign on the board)."""
    visit = selectors.visit_for_member(team=request.team, visit_id=visit_id)
    form = ReassignForm(request.POST, team=request.team)
    back = _next(request, reverse("caseload:board", kwargs={"team_slug": request.team.slug}))
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
            return _conflict(request, conflict, back=back)
        except (ValidationError, services.CaseloadError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect(back)


@team_view()
def day_sheet_pdf(request: TeamRequest) -> HttpResponse:
    day = _day(request)
    visits = selectors.today_for_member(team=request.team, member=request.user, day=day)
    for item in visits:
        services.client_record_viewed(
            client=item.visit.client, by=request.user, what="day sheet pdf"
        )
    return pdf.day_sheet(request, day=day, visits=visits)


# Time ------------------------------------------------------------------------------------


@team_view()
def time_view(request: TeamRequest) -> HttpResponse:
    day = _day(request)
    week_start = day - timedelta(days=day.weekday())
    form = TimeEntryForm(request.POST or None, initial={"date": day})
    if request.method == "POST":
        if request.access is not Access.MEMBER:
            raise Http404
        if form.is_valid():
            try:
                services.time_entry_save(
                    team=request.team, member=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, "Time added.")
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
    context = _context(
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


# Handovers -------------------------------------------------------------------------------


@team_view()
def handovers(request: TeamRequest) -> HttpResponse:
    form = HandoverForm(
        request.POST or None, team=request.team, initial={"client": request.GET.get("client")}
    )
    if request.method == "POST":
        if request.access is not Access.MEMBER:
            raise Http404
        if form.is_valid():
            try:
                services.handover_create(team=request.team, by=request.user, **form.cleaned_data)
            except (ValidationError, services.CaseloadError) as error:
                form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
            else:
                messages.success(request, "Your handover was sent.")
                return redirect("caseload:handovers", team_slug=request.team.slug)
    context = _context(
        request,
        form=form,
        open_handovers=selectors.team_handovers(team=request.team),
    )
    template = "caseload/_handovers.html" if request.htmx else "caseload/handovers.html"
    return render(request, template, context)


@team_view(write=True)
@require_POST
def handover_acknowledge(request: TeamRequest, handover_id) -> HttpResponse:
    handover = Handover.objects.for_team(request.team).filter(pk=handover_id).first()
    if handover is None:
        raise Http404
    back = _next(request, reverse("caseload:handovers", kwargs={"team_slug": request.team.slug}))
    try:
        services.handover_acknowledge(
            handover=handover,
            by=request.user,
            base_version=int(request.POST.get("base_version", 0)),
        )
        messages.success(request, "Handover acknowledged.")
    except services.VersionConflict as conflict:
        messages.error(request, str(conflict))
    except services.CaseloadError as error:
        messages.error(request, str(error))
    return redirect(back)


# Offline sync ------------------------------------------------------------------------------


def _json_error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def sync(request: HttpRequest, team_slug: str) -> JsonResponse:
    """Apply a batch from a device's outbox; batch-level errors answer JSON, never a login page."""
    if not request.user.is_authenticated:
        return _json_error(403, "Log in again to send your changes.")
    try:
        team = team_for_member(user=request.user, slug=team_slug)
    except Http404:
        return _json_error(404, "Not found.")
    if request.method != "POST":
        return _json_error(405, "Send changes with POST.")
    try:
        device, mutations = sync_service.parse_batch(request.body)
    except sync_service.BatchError as error:
        return _json_error(error.status, str(error))
    results = sync_service.sync_batch(
        team=team, author=request.user, device=device, mutations=mutations
    )
    return JsonResponse({"results": results})


@team_view(write=True)
def offline_pages(request: TeamRequest) -> JsonResponse:
    """List the pages this member needs for the next 48 hours, for the service worker to keep."""
    now = timezone.now()
    today_date = timezone.localdate(now)
    days = [today_date + timedelta(days=n) for n in range(3)]
    visits = selectors.visits_for_member_between(
        team=request.team, member=request.user, start=days[0], end=days[-1]
    )
    slug = {"team_slug": request.team.slug}
    today_url = reverse("caseload:today", kwargs=slug)
    urls = [today_url, *[f"{today_url}?date={d.isoformat()}" for d in days]]
    for visit in visits:
        urls.append(reverse("caseload:visit", kwargs={**slug, "visit_id": visit.pk}))
        urls.append(reverse("caseload:client", kwargs={**slug, "client_id": visit.client_id}))
    return JsonResponse(
        {
            "generated_at": now.isoformat(),
            "expires_at": (now + timedelta(hours=48)).isoformat(),
            "urls": list(dict.fromkeys(urls)),
        }
    )


@team_view(write=True)
def sync_attention(request: TeamRequest) -> HttpResponse:
    rows = list(sync_service.needs_attention(team=request.team, author=request.user))
    return render(request, "caseload/sync_attention.html", _context(request, rows=rows))


@team_view(write=True)
@require_POST
def sync_resolve(request: TeamRequest, mutation_pk: int) -> HttpResponse:
    row = (
        sync_service.needs_attention(team=request.team, author=request.user)
        .filter(pk=mutation_pk)
        .first()
    )
    if row is None:
        raise Http404
    try:
        sync_service.sync_resolve(row=row, by=request.user, keep=request.POST.get("keep", ""))
        messages.success(request, "Resolved.")
    except services.CaseloadError as error:
        messages.error(request, str(error))
    return redirect("caseload:sync_attention", team_slug=request.team.slug)
