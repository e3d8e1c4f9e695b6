"""Team scoping: the one place that decides whether a person may see a team.

Outsiders always get 404, never 403, so a foreign slug or id is not confirmed to exist.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from teams.models import Team, User
from teams.selectors import reachable_teams


class Access(enum.Enum):
    MEMBER = "member"
    COACH = "coach"


class TeamRequest(HttpRequest):
    team: Team
    access: Access
    user: User
    my_teams: list[Team]


def team_access(*, user: User, slug: str, teams: list[Team] | None = None) -> tuple[Team, Access]:
    """Return the team and how ``user`` may see it, or raise Http404.

    ``teams`` is ``reachable_teams`` for ``user`` when the caller has read it already: a slug
    outside it, whether a foreign team's or no team's, is the same 404.
    """
    if not user.is_authenticated:
        raise Http404
    for team in reachable_teams(user=user) if teams is None else teams:
        if team.slug == slug:
            return team, Access.MEMBER if team.as_member else Access.COACH
    raise Http404


def team_context(request: TeamRequest, **extra: object) -> dict[str, object]:
    """Start every team page's context: the team, and whether the reader is a coach."""
    return {"team": request.team, "is_coach": request.access is Access.COACH, **extra}


def team_for_member(*, user: User, slug: str) -> Team:
    """Return the team only to a current member (coaches cannot write), else raise Http404."""
    team, access = team_access(user=user, slug=slug)
    if access is not Access.MEMBER:
        raise Http404
    return team


def keep_private(request: HttpRequest) -> None:
    """Mark this request's page as personal data, which no browser or proxy cache may keep.

    ``team_view`` then answers ``Cache-Control: no-store, private``. The service worker's
    offline copies live in Cache Storage, which does not consult this header.
    """
    request.keeps_private = True


def team_view(*, write: bool = False, searches: bool = False) -> Callable:
    """Resolve ``team_slug`` onto ``request.team`` for members (and coaches when read-only).

    A coach may read; any non-safe method from a coach, or any request marked ``write``, needs
    membership. Anyone else gets 404. A view that ``searches`` takes its search terms in a POST
    body, so names and NHS numbers never appear in a URL (nor in access logs or history); that
    POST only reads, so coaches may send it too.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, team_slug: str, *args, **kwargs) -> HttpResponse:
            teams = reachable_teams(user=request.user)
            team, access = team_access(user=request.user, slug=team_slug, teams=teams)
            reads = request.method in ("GET", "HEAD", "OPTIONS") or (
                searches and request.method == "POST"
            )
            needs_member = write or not reads
            if needs_member and access is not Access.MEMBER:
                raise Http404
            request.team = team
            request.access = access
            request.my_teams = teams  # the team menu's list (teams.context_processors)
            response = view(request, *args, **kwargs)
            if getattr(request, "keeps_private", False):
                patch_cache_control(response, no_store=True, private=True)
            return response

        wrapper.searches = searches
        return wrapper

    return decorator
