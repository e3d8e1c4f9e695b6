"""Django's Redis cache, answering like an empty cache while Redis is away.

Patch keeps only derived things in its cache (the Insights figures of the running week, their
data version, rate-limit counters, the queued-snapshot marks), so a Redis outage must cost
speed, never a nurse's write: a visit recorded while Redis restarts is saved, and its figures
are recomputed when asked. Each failure is logged once per call; rate limits fail open for
the outage, which the log shows.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _forgiving(method: Callable[..., Any], answer: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def call(self: RedisCache, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except UNREACHABLE as error:
            logger.warning("cache unreachable in %s: %s", method.__name__, error)
            return answer(*args, **kwargs)

    return call


def _default(key: str, default: Any = None, *args: Any, **kwargs: Any) -> Any:
    return default


def _incremented(key: str, delta: int = 1, *args: Any, **kwargs: Any) -> int:
    return delta


class ForgivingRedisCache(RedisCache):
    """A miss for every read and a no-op for every write while Redis cannot be reached."""

    get = _forgiving(RedisCache.get, _default)
    get_many = _forgiving(RedisCache.get_many, lambda *args, **kwargs: {})
    has_key = _forgiving(RedisCache.has_key, lambda *args, **kwargs: False)
    set = _forgiving(RedisCache.set, lambda *args, **kwargs: None)
    set_many = _forgiving(RedisCache.set_many, lambda *args, **kwargs: [])
    add = _forgiving(RedisCache.add, lambda *args, **kwargs: True)
    touch = _forgiving(RedisCache.touch, lambda *args, **kwargs: False)
    delete = _forgiving(RedisCache.delete, lambda *args, **kwargs: False)
    delete_many = _forgiving(RedisCache.delete_many, lambda *args, **kwargs: None)
    incr = _forgiving(RedisCache.incr, _incremented)
