"""Today and the team page show what waits for the member in the ideas board (one query)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from ideas import selectors
from teams.clock import today

register = template.Library()


@register.inclusion_tag("ideas/_waiting_region.html", takes_context=True)
def ideas_waiting(context: template.Context) -> dict:
    """Render the live region of rounds to answer and reviews due for this page's reader."""
    request = context["request"]
    return {
        "team": context["team"],
        "is_coach": context.get("is_coach", False),
        "csrf_token": context.get("csrf_token"),
        "waiting": selectors.waiting(
            team=context["team"], user=request.user, now=timezone.now(), today=today()
        ),
    }
