from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from teams.access import Access
from teams.selectors import teams_for_user
from teams.sessions import seconds_left


@dataclass(frozen=True)
class MenuEntry:
    """One section of the team menu: its URL name, label, and how the menu shows it."""

    url_name: str
    label: Promise
    prefix: bool = False  # also active on the pages under it
    members_only: bool = False  # hidden from coaches
    badge: bool = False  # carries the count of handovers awaiting the reader


TEAM_MENU = (
    MenuEntry("caseload:today", _("Today")),
    MenuEntry("caseload:board", _("Board")),
    MenuEntry("caseload:clients", _("Clients"), prefix=True),
    MenuEntry("caseload:handovers", _("Handovers"), badge=True),
    MenuEntry("caseload:time", _("Time"), members_only=True),
    MenuEntry("rota:index", _("Rota"), prefix=True),
    MenuEntry("insights:team", _("Insights"), prefix=True),
    MenuEntry("teams:team", _("Team")),
    MenuEntry("teams:audit", _("Audit log"), members_only=True),
)


@dataclass(frozen=True)
class MenuItem:
    url: str
    label: Promise
    active: bool
    badge: bool


@lru_cache(maxsize=1024)
def _menu_urls(slug: str, script_prefix: str) -> tuple[str, ...]:
    """Reverse the menu's URLs once per team: they change only with the URL configuration."""
    return tuple(reverse(entry.url_name, kwargs={"team_slug": slug}) for entry in TEAM_MENU)


def team_menu(request: HttpRequest) -> list[MenuItem]:
    """The team menu for this page, the section it is in marked active."""
    path = request.path
    coach = request.access is Access.COACH
    return [
        MenuItem(
            url=url,
            label=entry.label,
            active=path == url or (entry.prefix and url in path),
            badge=entry.badge,
        )
        for entry, url in zip(
            TEAM_MENU, _menu_urls(request.team.slug, get_script_prefix()), strict=True
        )
        if not (coach and entry.members_only)
    ]


def navigation(request: HttpRequest) -> dict:
    """Give the header the person's teams for the team switcher, and a team page its menu.

    On a team page the teams are the list ``team_view`` read already; elsewhere they are read
    lazily (one query, if the page shows them).
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    teams = getattr(request, "my_teams", None)
    if teams is None:
        return {"my_teams": teams_for_user(user=user)}
    return {"my_teams": teams, "team_menu": team_menu(request)}


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
