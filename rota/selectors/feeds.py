"""Calendar feeds and the published shifts they serve."""

from __future__ import annotations

import hashlib
from datetime import date

from rota.models import Assignment, CalendarFeed
from teams.models import Team, User


def feed_for_token(token: str) -> CalendarFeed | None:
    """Return the live feed whose token this is, or None (unknown and revoked look the same)."""
    digest = hashlib.sha256(token.encode()).hexdigest()
    return (
        CalendarFeed.objects.filter(token_hash=digest, revoked_at__isnull=True)
        .select_related("user", "team")
        .first()
    )


def live_feed(*, team: Team, user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.for_team(team).filter(user=user, revoked_at__isnull=True).first()


def published_shifts(*, team: Team, user: User, since: date) -> list[Assignment]:
    return list(
        Assignment.objects.for_team(team)
        .filter(user=user, published=True, date__gte=since)
        .select_related("shift_type")
    )
