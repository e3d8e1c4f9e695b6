from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from teams import selectors, services
from teams.models import PRESENCE_TIMEOUT, Presence


def test_a_socket_silent_past_the_timeout_no_longer_counts_as_online(team, alice, bob):
    now = timezone.now()
    Presence.objects.create(team=team, user=alice, channel_name="a", seen_at=now)
    Presence.objects.create(
        team=team, user=bob, channel_name="b", seen_at=now - PRESENCE_TIMEOUT - timedelta(seconds=1)
    )
    assert selectors.online_user_ids(team=team, now=now) == {alice.pk}


def test_a_heartbeat_keeps_a_socket_online(team, alice):
    long_ago = timezone.now() - timedelta(hours=1)
    Presence.objects.create(team=team, user=alice, channel_name="a", seen_at=long_ago)
    services.presence_seen(channel_name="a")
    assert selectors.online_user_ids(team=team) == {alice.pk}
