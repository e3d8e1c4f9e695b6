"""Cached page fragments: a part of a page rendered once per version of what it shows.

A fragment's key names everything its HTML depends on (the caller's version of the data, the
reader's language, whether the reader may write), so a cached fragment is never stale: a change
moves the version and the next read renders afresh. Forms inside a fragment still carry the
reader's own CSRF token, put in after the cache.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from teams.access import Access, TeamRequest

# Long enough for a nurse's repeated looks during a visit; short enough that a fragment does
# not linger in a shared cache long after its data has moved on.
FRAGMENT_SECONDS = 60 * 60


def _csrf_slot() -> str:
    """Stands for the reader's token in cached HTML; secret-derived, so text cannot forge it."""
    return salted_hmac("teams.fragments", "csrf slot").hexdigest()


def cached_fragment(
    request: TeamRequest, *, name: str, version: object, template: str, context: Callable[[], dict]
) -> SafeString:
    """Render ``template`` with ``context()`` once per version, language and kind of reader.

    ``context`` is only called on a miss, so the queries behind a fragment run only then.
    """
    coach = request.access is Access.COACH
    team = request.team
    key = f"fragment:{name}:{team.pk}:{team.slug}:{version}:{get_language()}:{coach}"
    slot = _csrf_slot()
    html: Any = cache.get(key)
    if html is None:
        html = render_to_string(template, {**context(), "csrf_token": slot})
        cache.set(key, html, FRAGMENT_SECONDS)
    return mark_safe(html.replace(slot, get_token(request)))  # noqa: S308 - our own render
