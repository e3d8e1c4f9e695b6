"""Private calendar feeds: a secret link per member, stored only as a hash, revocable."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from rota import selectors
from rota.models import CalendarFeed
from rota.services.common import RotaError
from teams import audit
from teams.clock import now_or
from teams.models import Team, User


@transaction.atomic
def feed_create(
    *, team: Team, user: User, by: User, now: datetime | None = None
) -> tuple[CalendarFeed, str]:
    """Make a new feed for ``user`` and revoke the old one; return it and its token (shown once)."""
    if by.pk != user.pk:
        raise RotaError(_("People make their own calendar links."))
    if not selectors.is_member(team=team, user=user):
        raise RotaError(f"{user} is not a member of {team}.")
    at = now_or(now)
    CalendarFeed.objects.for_team(team).filter(user=user, revoked_at__isnull=True).update(
        revoked_at=at
    )
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(
        team=team, user=user, token_hash=hashlib.sha256(token.encode()).hexdigest(), created_at=at
    )
    audit.record(actor=by, team=team, action="rota.feed.create", obj=feed)
    return feed, token


@transaction.atomic
def feed_revoke(*, feed: CalendarFeed, by: User, now: datetime | None = None) -> CalendarFeed:
    if by.pk != feed.user_id:
        raise RotaError(_("Only the owner can revoke a calendar link."))
    if feed.revoked_at is not None:
        raise RotaError(_("This calendar link was already revoked."))
    feed.revoked_at = now_or(now)
    feed.save(update_fields=["revoked_at"])
    audit.record(actor=by, team=feed.team, action="rota.feed.revoke", obj=feed)
    return feed
