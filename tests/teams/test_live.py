from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer  # noqa: TID251 - checks the real layer
from django.db import transaction

from teams import live


@pytest.mark.django_db(transaction=True)
def test_event_is_sent_only_after_commit(team, live_events):
    with transaction.atomic():
        live.publish(team, "members-changed")
        assert live_events == []
    assert live_events == [{"type": "team.event", "event": "members-changed"}]


@pytest.mark.django_db(transaction=True)
def test_event_travels_through_the_channel_layer_to_the_team_group(team):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(live.team_group(team.pk), channel)
    live.publish(team, "members-changed")
    assert async_to_sync(layer.receive)(channel) == {
        "type": "team.event",
        "event": "members-changed",
    }


@pytest.mark.django_db(transaction=True)
def test_event_is_dropped_when_the_transaction_rolls_back(team, live_events):
    with pytest.raises(RuntimeError), transaction.atomic():
        live.publish(team, "members-changed")
        raise RuntimeError
    assert live_events == []


def test_unknown_event_names_are_refused(team):
    with pytest.raises(ValueError, match="Unknown live event"):
        live.publish(team, "made-up")
