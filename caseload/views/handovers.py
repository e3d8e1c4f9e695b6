"""Handovers: writing them and acknowledging them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caseload import selectors, services
from caseload.forms import (
    HandoverForm,
)
from caseload.models import Handover
from caseload.views.common import (
    UNREADABLE_FORM,
    audit_read,
    next_url,
    posted_version,
    team_context,
)
from teams.access import Access, TeamRequest, team_view


@team_view()
def handovers(request: TeamRequest) -> HttpResponse:
    form = HandoverForm(
        request.POST or None,
        team=request.team,
        by=request.user,
        initial={"client": request.GET.get("client")},
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
                messages.success(request, _("Your handover was sent."))
                return redirect("caseload:handovers", team_slug=request.team.slug)
    open_handovers = list(selectors.team_handovers(team=request.team))
    audit_read(request, [handover.client for handover in open_handovers], "handovers")
    context = team_context(request, form=form, open_handovers=open_handovers)
    template = "caseload/_handovers.html" if request.htmx else "caseload/handovers.html"
    return render(request, template, context)


@team_view()
def handover_count(request: TeamRequest) -> HttpResponse:
    """Answer the navigation's live count of handovers awaiting the member."""
    return render(request, "caseload/_handover_count.html", team_context(request))


@team_view(write=True)
@require_POST
def handover_acknowledge(request: TeamRequest, handover_id) -> HttpResponse:
    handover = Handover.objects.for_team(request.team).filter(pk=handover_id).first()
    if handover is None:
        raise Http404
    back = next_url(request, reverse("caseload:handovers", kwargs={"team_slug": request.team.slug}))
    base_version = posted_version(request)
    if base_version is None:
        messages.error(request, UNREADABLE_FORM)
        return redirect(back)
    try:
        services.handover_acknowledge(handover=handover, by=request.user, base_version=base_version)
        messages.success(request, _("Handover acknowledged."))
    except services.VersionConflict as conflict:
        messages.error(request, str(conflict))
    except services.CaseloadError as error:
        messages.error(request, str(error))
    return redirect(back)
