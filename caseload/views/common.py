"""What every caseload page shares: the team context, dates, errors and conflicts."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme

from caseload import services
from teams.access import TeamRequest, team_context


def day_from(request: TeamRequest) -> date:
    return parse_date(request.GET.get("date", "")) or timezone.localdate()


def next_url(request: TeamRequest, default: str) -> str:
    """Where to go after a POST: the page it came from, if that is on this site."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def read_label(request: HttpRequest, page: str) -> str:
    """Name a read for the audit log; the service worker marks the copies it keeps offline."""
    return f"{page}, kept for offline use" if request.headers.get("X-Patch-Offline-Copy") else page


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
