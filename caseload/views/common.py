"""What every caseload page shares: the team context, dates, errors and conflicts."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from caseload import services
from caseload.forms import VersionForm
from caseload.models import Client
from teams.access import TeamRequest, keep_private, team_context

UNREADABLE_FORM = _("This form could not be read. Reload the page and try again.")


def posted_version(request: HttpRequest) -> int | None:
    """Return the version a post was based on, or None when it carries no usable one."""
    form = VersionForm(request.POST)
    return form.cleaned_data["base_version"] if form.is_valid() else None


def next_url(request: TeamRequest, default: str) -> str:
    """Where to go after a POST: the page it came from, if that is a path on this site.

    Only a path is taken: ``redirect`` would read any other word as the name of a URL.
    """
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return default


def audit_read(request: TeamRequest, clients: Iterable[Client | None], page: str) -> None:
    """Record that this page shows these clients, and keep the page out of every cache.

    The one call for every page that shows a client's identifying fields (see "What counts as
    reading a client's record" in docs/decisions.md): one INSERT whatever the number shown.
    """
    services.clients_viewed(
        team=request.team,
        clients={client.pk: client for client in clients if client is not None}.values(),
        by=request.user,
        what=page,
        offline_copy=bool(request.headers.get("X-Patch-Offline-Copy")),
    )
    keep_private(request)


def apply_errors(form: Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def conflict_response(
    request: TeamRequest, conflict: services.VersionConflict, *, back: str
) -> HttpResponse:
    """Show what is saved now beside what the person tried to save; nothing was overwritten."""
    current = conflict.current
    client = current if isinstance(current, Client) else getattr(current, "client", None)
    audit_read(request, [client] if client else [], "conflict")
    saved = {
        name: getattr(current, name, None)
        for name in conflict.attempted
        if hasattr(current, name) and not callable(getattr(current, name))
    }
    return render(
        request,
        "caseload/conflict.html",
        team_context(
            request, conflict=conflict, saved=saved, attempted=conflict.attempted, back=back
        ),
        status=409,
    )


def form_page(request: TeamRequest, form: Form, *, title: str, submit: str, back: str, **extra):
    return render(
        request,
        "caseload/form_page.html",
        team_context(request, form=form, title=title, submit=submit, back=back, **extra),
    )
