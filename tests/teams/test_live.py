from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import (
    channel_layers,
    get_channel_layer,  # noqa: TID251 - checks the real layer
)
from django.db import transaction
from django.utils import timezone

from teams import live, relay
from teams.models import RelayedEvent


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


def _written_elsewhere(group: str, event: str, *, origin: str = "worker", now=None) -> None:
    """Write a relay row as another process (the task worker, another server) would."""
    RelayedEvent.objects.create(
        group=group,
        message={"type": "team.event", "event": event},
        origin=origin,
        created_at=now or timezone.now(),
    )


@pytest.fixture
def in_memory_layer(settings):
    """The embedded default's channel layer, even when the run sets REDIS_URL."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.mark.django_db(transaction=True)
def test_a_published_event_is_written_to_the_relay_for_other_processes(team, in_memory_layer):
    live.publish(team, "rota-plan-progress", run=7, gaps=2)
    row = RelayedEvent.objects.get()
    assert (row.group, row.origin) == (live.team_group(team.pk), relay.ORIGIN)
    assert row.message == {
        "type": "team.event",
        "event": "rota-plan-progress",
        "run": "7",
        "gaps": "2",
    }


@pytest.mark.django_db(transaction=True)
def test_the_relay_is_not_written_when_the_transaction_rolls_back(team):
    with pytest.raises(RuntimeError), transaction.atomic():
        live.publish(team, "members-changed")
        raise RuntimeError
    assert not RelayedEvent.objects.exists()


@pytest.mark.django_db
def test_a_reader_returns_other_processes_events_in_the_order_written():
    reader = relay.Reader()
    for event in ("rota-plan-progress", "rota-changed", "rota-plan-finished"):
        _written_elsewhere("team.1", event)
    assert [m["event"] for _, m in reader.read()] == [
        "rota-plan-progress",
        "rota-changed",
        "rota-plan-finished",
    ]


@pytest.mark.django_db
def test_a_reader_returns_each_event_once():
    reader = relay.Reader()
    _written_elsewhere("team.1", "rota-changed")
    assert len(reader.read()) == 1
    assert reader.read() == []


@pytest.mark.django_db
def test_a_reader_skips_its_own_processes_events_which_it_delivered_itself():
    reader = relay.Reader(origin="server-a")
    _written_elsewhere("team.1", "rota-changed", origin="server-a")
    assert reader.read() == []


@pytest.mark.django_db
def test_a_reader_starts_after_the_events_written_before_it():
    _written_elsewhere("team.1", "rota-changed")
    assert relay.Reader().read() == []


@pytest.mark.django_db
def test_a_row_that_commits_after_a_later_id_is_still_read():
    reader = relay.Reader()
    _written_elsewhere("team.1", "rota-changed")
    late = RelayedEvent.objects.get()
    RelayedEvent.objects.create(
        pk=late.pk + 2, group="team.1", message={"event": "second"}, origin="w"
    )
    assert [m["event"] for _, m in reader.read()] == ["rota-changed", "second"]
    # The row with the id between them becomes visible only now.
    RelayedEvent.objects.create(
        pk=late.pk + 1, group="team.1", message={"event": "late"}, origin="w"
    )
    assert [m["event"] for _, m in reader.read()] == ["late"]


@pytest.mark.django_db
def test_two_server_processes_each_receive_every_event_of_the_other():
    a, b = relay.Reader(origin="server-a"), relay.Reader(origin="server-b")
    for n in range(5):
        _written_elsewhere("team.1", f"from-a-{n}", origin="server-a")
        _written_elsewhere("team.1", f"from-b-{n}", origin="server-b")
        _written_elsewhere("team.1", f"from-worker-{n}")
        if n == 2:
            assert relay.prune() == 0  # nothing is old enough to go yet
    a_got = [m["event"] for _, m in a.read()]
    b_got = [m["event"] for _, m in b.read()]
    assert a_got == [e for n in range(5) for e in (f"from-b-{n}", f"from-worker-{n}")]
    assert b_got == [e for n in range(5) for e in (f"from-a-{n}", f"from-worker-{n}")]


@pytest.mark.django_db
def test_pruning_deletes_only_rows_older_than_the_keep_time():
    now = timezone.now()
    _written_elsewhere("team.1", "old", now=now - relay.KEEP - timedelta(seconds=1))
    _written_elsewhere("team.1", "recent", now=now - relay.KEEP + timedelta(seconds=1))
    assert relay.prune(now=now) == 1
    assert list(RelayedEvent.objects.values_list("message__event", flat=True)) == ["recent"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_the_server_poller_hands_another_processes_event_to_its_sockets():
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add("team.1", channel)
    poller = asyncio.create_task(live.forward_relayed(layer))
    try:
        await asyncio.sleep(relay.POLL_SECONDS)  # the poller has taken its place
        await database_sync_to_async(_written_elsewhere)("team.1", "rota-plan-finished")
        received = await asyncio.wait_for(layer.receive(channel), timeout=10)
    finally:
        poller.cancel()
    assert received == {"type": "team.event", "event": "rota-plan-finished"}
