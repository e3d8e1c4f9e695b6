"""Each member's private calendar link, and the feed it serves."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from rota import selectors, services
from rota.ical import calendar_bytes
from rota.services import RotaError
from teams.access import TeamRequest, team_context, team_view

FEED_DAYS_BACK = 60


@team_view(write=True)
def calendar_page(request: TeamRequest) -> HttpResponse:
    """Show, make or revoke the member's own private calendar link."""
    team, token = request.team, None
    if request.method == "POST":
        feed = selectors.live_feed(team=team, user=request.user)
        try:
            if request.POST.get("action") == "revoke" and feed is not None:
                services.feed_revoke(feed=feed, by=request.user)
                messages.success(request, _("Your calendar link no longer works."))
            else:
                token = services.feed_create(team=team, user=request.user, by=request.user)[1]
        except RotaError as error:
            messages.error(request, str(error))
    link = request.build_absolute_uri(f"/calendar/{token}.ics") if token else None
    context = team_context(
        request,
        feed=selectors.live_feed(team=team, user=request.user),
        link=link,
        webcal=_webcal(link) if link else None,
    )
    return render(request, "rota/calendar.html", context)


def _webcal(link: str) -> str:
    """Return the link with the ``webcal`` scheme, which calendar apps open as a subscription."""
    return "webcal://" + link.split("://", 1)[1]


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Serve a member's published shifts to a calendar app; unknown or revoked tokens get 404."""
    feed = selectors.feed_for_token(token)
    if feed is None or not selectors.is_member(team=feed.team, user=feed.user):
        raise Http404
    since = timezone.localdate() - timedelta(days=FEED_DAYS_BACK)
    shifts = selectors.published_shifts(team=feed.team, user=feed.user, since=since)
    body = calendar_bytes(team=feed.team, user=feed.user, assignments=shifts)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=3600"
    return response
