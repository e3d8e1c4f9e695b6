from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from teams.selectors import teams_for_user
from teams.sessions import seconds_left


def navigation(request: HttpRequest) -> dict:
    """Give the header the person's teams for the team switcher (lazily: one query if used)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"my_teams": teams_for_user(user=user)}


def session_clock(request: HttpRequest) -> dict:
    """Give the page the seconds left in the session, for the warning before it times out."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    idle, lifetime = seconds_left(request.session)
    return {
        "session_clock": {
            "idle": idle,
            "lifetime": lifetime,
            "warning": settings.SESSION_WARNING_SECONDS,
            "warning_minutes": settings.SESSION_WARNING_SECONDS // 60,
        }
    }
