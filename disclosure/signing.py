"""HMAC-SHA256 signatures on team-to-hub requests.

The team signs ``"{timestamp}.{nonce}."`` followed by the exact body bytes with the key the hub
issued at enrolment. The timestamp and nonce are inside the signature, so the hub can refuse a
replay (a nonce seen before, or a timestamp more than ``MAX_SKEW`` seconds away) without anyone
being able to move a captured body to a fresh timestamp.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

TEAM_HEADER = "X-Commons-Team"
TIMESTAMP_HEADER = "X-Commons-Timestamp"
NONCE_HEADER = "X-Commons-Nonce"
SIGNATURE_HEADER = "X-Commons-Signature"
MAX_SKEW = 300  # seconds either way between the team's clock and the hub's
PREFIX = "sha256="
NONCE_BYTES = 16


def new_nonce() -> str:
    """Return a fresh random nonce (hex) for one request."""
    return secrets.token_hex(NONCE_BYTES)


def new_key() -> str:
    """Return a fresh team key (what the hub issues once at enrolment)."""
    return secrets.token_urlsafe(32)


def _message(body: bytes, timestamp: int, nonce: str) -> bytes:
    return f"{timestamp}.{nonce}.".encode() + body


def sign(key: str, body: bytes, timestamp: int, nonce: str) -> str:
    """Return the ``X-Commons-Signature`` value for this body, time and nonce."""
    digest = hmac.new(key.encode(), _message(body, timestamp, nonce), hashlib.sha256)
    return PREFIX + digest.hexdigest()


def verify(key: str, body: bytes, timestamp: int, nonce: str, signature: str) -> bool:
    """Return whether ``signature`` is this key's signature (constant-time compare).

    Replay checks (the nonce, the skew) are the hub's: they need its memory and its clock.
    """
    expected = sign(key, body, timestamp, nonce)
    return hmac.compare_digest(expected.encode(), str(signature).encode(errors="replace"))


def headers(
    *, team: str, key: str, body: bytes, timestamp: int, nonce: str | None = None
) -> dict[str, str]:
    """Return the four request headers for a signed body (the team side's one way to sign)."""
    nonce = nonce or new_nonce()
    return {
        TEAM_HEADER: team,
        TIMESTAMP_HEADER: str(timestamp),
        NONCE_HEADER: nonce,
        SIGNATURE_HEADER: sign(key, body, timestamp, nonce),
    }


def within_skew(timestamp: int, now: int) -> bool:
    """Return whether a request's timestamp is close enough to ``now`` to be accepted."""
    return abs(now - timestamp) <= MAX_SKEW
