"""Limits on guessing passwords and on password-reset mail, kept in Django's cache.

Failed logins are counted per account (the e-mail typed, whether or not it exists, so a lock
reveals nothing) and per network address. When either count reaches its limit within the
lockout period, logins for that account or from that address are refused, even with the right
password, until the period has passed since the lock began.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone


def _key(kind: str, value: str) -> str:
    return f"throttle:{kind}:{hashlib.sha256(value.strip().lower().encode()).hexdigest()}"


def _login_keys(*, email: str, address: str) -> list[tuple[str, int]]:
    return [
        (_key("login-account", email), settings.LOGIN_ACCOUNT_FAILURE_LIMIT),
        (_key("login-address", address), settings.LOGIN_ADDRESS_FAILURE_LIMIT),
    ]


def _now() -> int:
    return int(timezone.now().timestamp())


def login_locked_for(*, email: str, address: str) -> int:
    """Return the seconds until logins for this account or from this address work again."""
    keys = [f"{key}:locked" for key, _ in _login_keys(email=email, address=address)]
    return max([until - _now() for until in cache.get_many(keys).values()] + [0])


def login_failed(*, email: str, address: str) -> None:
    lockout = settings.LOGIN_LOCKOUT_SECONDS
    for key, limit in _login_keys(email=email, address=address):
        cache.add(key, 0, timeout=lockout)
        try:
            failures = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, failures := 1, timeout=lockout)
        if failures >= limit:
            cache.set(f"{key}:locked", _now() + lockout, timeout=lockout)
            cache.delete(key)


def login_succeeded(*, email: str) -> None:
    cache.delete(_key("login-account", email))


def allowed(*, kind: str, value: str, limit: int, seconds: int) -> bool:
    """Count one more ``kind`` for ``value``; say whether it is within ``limit`` this period."""
    key = _key(kind, value)
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr: a new period has begun
        return True


def reset_mail_allowed(*, to: str) -> bool:
    """Count a password-reset mail to ``to``; say whether it may still be sent this hour."""
    return allowed(
        kind="reset-mail", value=to, limit=settings.PASSWORD_RESET_MAILS_PER_HOUR, seconds=3600
    )


def _two_factor_key(user_id: int) -> str:
    return _key("two-factor", str(user_id))


def two_factor_locked(*, user_id: int) -> bool:
    """Say whether this person has entered too many wrong codes this period."""
    failures = cache.get(_two_factor_key(user_id)) or 0
    return failures >= settings.TWO_FACTOR_FAILURE_LIMIT


def two_factor_failed(*, user_id: int) -> None:
    """Count a wrong code; the period starts at the first wrong code."""
    key = _two_factor_key(user_id)
    cache.add(key, 0, timeout=settings.TWO_FACTOR_LOCKOUT_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.TWO_FACTOR_LOCKOUT_SECONDS)
