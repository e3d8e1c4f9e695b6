"""While Redis is away the cache answers like an empty one, so no write or page fails on it."""

from __future__ import annotations

import pytest

from config.cache import ForgivingRedisCache


@pytest.fixture
def unreachable() -> ForgivingRedisCache:
    # Nothing listens on port 1: every call is refused at once.
    return ForgivingRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 1}})


def test_reads_are_misses(unreachable):
    assert unreachable.get("key", "default") == "default"
    assert unreachable.get_many(["a", "b"]) == {}
    assert unreachable.has_key("key") is False


def test_writes_do_nothing_and_raise_nothing(unreachable):
    unreachable.set("key", 1)
    unreachable.set_many({"a": 1})
    unreachable.delete("key")
    unreachable.delete_many(["a"])
    assert unreachable.add("key", 1) is True


def test_a_counter_starts_again_from_its_first_step(unreachable):
    assert unreachable.incr("attempts") == 1
