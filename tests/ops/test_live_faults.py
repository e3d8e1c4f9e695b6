"""A channel layer that fails (Redis away) never fails the write that published the event."""

from __future__ import annotations

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from teams import live


class DownLayer:
    async def group_send(self, group, message):
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


@pytest.mark.django_db
def test_a_publish_while_the_layer_is_down_is_logged_not_raised(
    team, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    monkeypatch.setattr(live, "get_channel_layer", DownLayer)

    with django_capture_on_commit_callbacks(execute=True):
        live.publish(team, "visit-changed", visit="v1")

    assert "not sent" in caplog.text
