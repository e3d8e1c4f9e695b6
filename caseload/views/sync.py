"""The offline outbox's endpoint, the pages kept offline, and "Needs attention"."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caseload import selectors, services
from caseload import sync as sync_service
from caseload.views.common import (
    team_context,
)
from config.errors import database_unavailable
from teams.access import TeamRequest, keep_private, team_for_member, team_view


def _json_error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def sync(request: HttpRequest, team_slug: str) -> JsonResponse:
    """Apply a batch from a device's outbox; batch-level errors answer JSON, never a login page."""
    if not request.user.is_authenticated:
        return _json_error(403, _("Log in again to send your changes."))
    try:
        team = team_for_member(user=request.user, slug=team_slug)
    except Http404:
        return _json_error(404, _("Not found."))
    if request.method != "POST":
        return _json_error(405, _("Send changes with POST."))
    if request.content_type != "application/json":
        return _json_error(415, _("Send changes as application/json."))
    try:
        device, mutations = sync_service.parse_batch(request.body)
    except sync_service.BatchError as error:
        return _json_error(error.status, str(error))
    try:
        results = sync_service.sync_batch(
            team=team, author=request.user, device=device, mutations=mutations
        )
    except (OperationalError, InterfaceError):
        # The database is busy or away: nothing of this item was stored; the device retries.
        return database_unavailable(request)
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
    keep_private(request)  # the kept changes hold clinical notes and handovers
    return render(request, "caseload/sync_attention.html", team_context(request, rows=rows))


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
        messages.success(request, _("Resolved."))
    except services.CaseloadError as error:
        messages.error(request, str(error))
    return redirect("caseload:sync_attention", team_slug=request.team.slug)
