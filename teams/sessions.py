"""Session lifetime on shared tablets: at most a working day, and ended after idle time.

A session records when its person logged in and when they were last active (epoch seconds).
Django's own expiry only covers the cookie; these two rules are checked on every request
(``SessionTimeoutMiddleware``) and by the team socket.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from teams import services, twofactor

LOGIN_AT = "patch_login_at"
ACTIVE_AT = "patch_active_at"
# Write the session for activity at most once a minute, not on every request.
ACTIVITY_RESOLUTION = 60
# Called by the outbox and the service worker on their own (replays, keeping pages fresh).
PASSIVE_VIEWS = frozenset({"caseload:sync", "caseload:offline_pages"})
# Requests the page or the service worker make by themselves: htmx refreshes (session.js) and
# the offline copies of pages (sw.js).
PASSIVE_HEADERS = ("X-Patch-Background", "X-Patch-Offline-Copy")


def _epoch(now: datetime | None) -> int:
    return int((now or timezone.now()).timestamp())


def session_started(session: SessionBase, *, now: datetime | None = None) -> None:
    session[LOGIN_AT] = session[ACTIVE_AT] = _epoch(now)


def session_touched(session: SessionBase, *, now: datetime | None = None) -> None:
    """Record activity: something the person did, not a page refreshing itself."""
    at = _epoch(now)
    if at - session.get(ACTIVE_AT, 0) >= ACTIVITY_RESOLUTION:
        session[ACTIVE_AT] = at


def seconds_left(session: SessionBase, *, now: datetime | None = None) -> tuple[int, int]:
    """Return the seconds until the idle timeout and until the absolute end (<= 0: ended).

    A session without a login time (made before these rules) counts as ended.
    """
    at = _epoch(now)
    login_at = session.get(LOGIN_AT)
    if not isinstance(login_at, int):
        return 0, 0
    active_at = session.get(ACTIVE_AT, login_at)
    return (
        active_at + settings.SESSION_IDLE_SECONDS - at,
        login_at + settings.SESSION_LIFETIME_SECONDS - at,
    )


def session_expired(session: SessionBase, *, now: datetime | None = None) -> bool:
    return min(seconds_left(session, now=now)) <= 0


def session_is_current(session_key: str, *, now: datetime | None = None) -> bool:
    """Say whether the stored session still has a logged-in person within both limits, who
    owes no second factor (``teams.twofactor``)."""
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    return (
        SESSION_KEY in session
        and not session_expired(session, now=now)
        and not session.get(twofactor.PENDING)
    )


def on_login(sender, request, user, **kwargs) -> None:
    """Start the session's clocks (connected to ``user_logged_in`` by the app config)."""
    session_started(request.session)


class SessionTimeoutMiddleware:
    """Log out a session past its idle timeout or its working-day lifetime; note activity.

    Not activity: requests the page or its service worker make by themselves
    (``PASSIVE_HEADERS``) and the views a device calls by itself (``PASSIVE_VIEWS``). After a
    timeout the request goes on logged out: pages redirect to the login page and the sync
    endpoint answers 403, so the device keeps its outbox for the next login.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and session_expired(request.session):
            session_key = request.session.session_key
            logout(request)
            services.session_end(session_key=session_key)
            messages.info(
                request,
                _(
                    "You were logged out to keep your clients' details safe. Log in again to "
                    "carry on: anything waiting to be sent is kept."
                ),
            )
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        if (
            request.user.is_authenticated
            and not any(header in request.headers for header in PASSIVE_HEADERS)
            and request.resolver_match.view_name not in PASSIVE_VIEWS
        ):
            session_touched(request.session)
