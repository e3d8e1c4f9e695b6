"""What a request gets when the server fails: 503 with Retry-After while the database is away."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import server_error as django_server_error

# Seconds a client (the outbox, a proxy, a browser) is asked to wait before trying again.
RETRY_AFTER = 5


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """Answer 503 asking to retry: nothing was stored, and the same request will work later.

    JSON for the outbox's sync endpoint (which keeps every item and sends it again), plain
    text for pages.
    """
    message = _("Patch cannot reach its database just now. Your changes are kept; try again.")
    if request.path.endswith("/sync/"):
        response: HttpResponse = JsonResponse({"error": message}, status=503)
    else:
        response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """Handle an uncaught exception (Django calls this inside its ``except`` block).

    A database that is restarting or unreachable fails the request wherever it is first
    touched (often the session middleware, before any view), so this is the one place that
    sees every such failure.
    """
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return database_unavailable(request)
    return django_server_error(request)
