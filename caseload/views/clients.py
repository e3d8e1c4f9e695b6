"""Clients and their care plans."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caseload import pdf, selectors, services
from caseload.charts import kbs_chart
from caseload.forms import (
    CareProblemForm,
    ClientForm,
    DischargeForm,
    InterventionForm,
    NoteForm,
    RatingForm,
)
from caseload.models import Client, ClientStatus, Note
from caseload.views.common import (
    UNREADABLE_FORM,
    apply_errors,
    audit_read,
    conflict_response,
    form_page,
    posted_version,
    team_context,
)
from teams.access import TeamRequest, team_view
from teams.fragments import cached_fragment


@team_view(searches=True)
def client_list(request: TeamRequest) -> HttpResponse:
    """List clients; the search form and its page links POST, keeping names out of URLs."""
    terms = request.POST if request.method == "POST" else request.GET
    query = terms.get("q", "")
    status = terms.get("status", "")
    page = selectors.client_search(
        team=request.team, query=query, status=status, page=terms.get("page", 1)
    )
    audit_read(request, page.object_list, "client list")
    return render(
        request,
        "caseload/client_list.html",
        team_context(request, page=page, query=query, status=status, statuses=ClientStatus.choices),
    )


@team_view(write=True)
def client_create(request: TeamRequest) -> HttpResponse:
    form = ClientForm(request.POST or None, team=request.team)
    if request.method == "POST" and form.is_valid():
        try:
            client = services.client_create(team=request.team, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{client} was added to your caseload.")
            return redirect(client)
    back = reverse("caseload:clients", kwargs={"team_slug": request.team.slug})
    return form_page(request, form, title=_("Add a client"), submit=_("Add client"), back=back)


@team_view()
def client_detail(request: TeamRequest, client_id: int) -> HttpResponse:
    client = selectors.client_for_member(team=request.team, client_id=client_id)
    audit_read(request, [client], "page")
    today_date = timezone.localdate()
    body = cached_fragment(
        request,
        name="client",
        # The database moves page_version on every change the body shows (migration 0004);
        # the day is in the key for "last 30 days" and "next visits".
        version=f"{client.pk}:{client.page_version}:{today_date}",
        template="caseload/_client_body.html",
        context=lambda: _client_body(request, client, today_date),
    )
    context = team_context(
        request, client=client, body=body, access_log=selectors.client_access_log(client=client)
    )
    return render(request, "caseload/client_detail.html", context)


def _client_body(request: TeamRequest, client: Client, today_date: date) -> dict:
    plan = selectors.care_plan(client=client)
    return team_context(
        request,
        client=client,
        plan=plan,
        charts={
            view.care_problem.pk: kbs_chart(view.ratings, problem=view.care_problem.problem)
            for view in plan
        },
        visitors=selectors.recent_visitors(client=client, today=today_date),
        upcoming=selectors.client_upcoming_visits(client=client, today=today_date),
        notes=selectors.client_notes(client=client),
        handovers=selectors.client_open_handovers(client=client),
        note_form=NoteForm(),
        discharge_form=DischargeForm(
            initial={"status": client.status, "base_version": client.version}
        ),
    )


@team_view(write=True)
def client_edit(request: TeamRequest, client_id: int) -> HttpResponse:
    client = selectors.client_for_member(team=request.team, client_id=client_id)
    audit_read(request, [client], "edit form")
    form = ClientForm(request.POST or None, instance=client, team=request.team)
    base_version = posted_version(request)
    if request.method == "POST" and base_version is None:
        form.add_error(None, UNREADABLE_FORM)
    if request.method == "POST" and form.is_valid():
        try:
            services.client_update(
                client=client, by=request.user, base_version=base_version, **form.cleaned_data
            )
        except services.VersionConflict as conflict:
            return conflict_response(request, conflict, back=client.get_absolute_url())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{client}'s details were saved.")
            return redirect(client)
    return form_page(
        request,
        form,
        title=_("Change %(client)s’s details") % {"client": client},
        submit=_("Save"),
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
            return conflict_response(request, conflict, back=client.get_absolute_url())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect(client)


@team_view()
def client_summary_pdf(request: TeamRequest, client_id: int) -> HttpResponse:
    client = selectors.client_for_member(team=request.team, client_id=client_id)
    audit_read(request, [client], "summary pdf")
    return pdf.client_summary(request, client)


# Care plan -------------------------------------------------------------------------------


def _care_plan_form(
    request: TeamRequest, client_id: int, make_form, save, *, title: str, submit: str, **extra
):
    """Show a care-plan form and, once valid, save it through ``save`` and return to the client."""
    client = selectors.client_for_member(team=request.team, client_id=client_id)
    audit_read(request, [client], "care plan form")
    form = make_form(request.POST or None, client)
    if request.method == "POST" and form.is_valid():
        try:
            save(client, form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect(client)
    return form_page(
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
        title=_("Add a problem to {client}’s care plan"),
        submit=_("Add problem"),
    )


@team_view(write=True)
def intervention_add(request: TeamRequest, client_id: int) -> HttpResponse:
    return _care_plan_form(
        request,
        client_id,
        lambda data, client: InterventionForm(data, client=client),
        lambda client, data: services.intervention_add(by=request.user, **data),
        title=_("Add an intervention for {client}"),
        submit=_("Add intervention"),
    )


@team_view(write=True)
def rating_add(request: TeamRequest, client_id: int) -> HttpResponse:
    return _care_plan_form(
        request,
        client_id,
        lambda data, client: RatingForm(data, client=client),
        lambda client, data: services.rating_add(by=request.user, **data),
        title=_("Rate {client}’s progress"),
        submit=_("Save rating"),
        outbox_kind="rating.add",
        outbox_label=_("Rating"),
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
            messages.success(request, _("Your note was added."))
        except (ValidationError, services.CaseloadError) as error:
            messages.error(request, str(getattr(error, "message", error)))
    else:
        messages.error(request, _("Write the note before adding it."))
    return redirect(client)
