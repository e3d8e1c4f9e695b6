from __future__ import annotations

from django.http import HttpRequest

from teams.selectors import teams_for_user


def navigation(request: HttpRequest) -> dict:
    """Give the header the person's teams for the team switcher (lazily: one query if used)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"my_teams": teams_for_user(user=user)}
