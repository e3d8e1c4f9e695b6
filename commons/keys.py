"""Each team's signing key, derived from the server secret so the database never stores one.

HMAC verification needs the key itself, so a one-way hash cannot be kept; deriving the key
from ``SECRET_KEY``, the team's reference and a per-team salt means a copied database is
useless without the secret, and issuing a new salt replaces the key.
"""

from __future__ import annotations

import secrets

from django.utils.crypto import salted_hmac

KEY_SALT = "patch.commons.team-key"


def new_salt() -> str:
    return secrets.token_hex(16)


def team_key(*, ref: str, salt: str) -> str:
    return salted_hmac(KEY_SALT, f"{ref}:{salt}", algorithm="sha256").hexdigest()


def new_ref() -> str:
    return f"t-{secrets.token_hex(5)}"


def adopter_key(*, practice: str, team_ref: str) -> str:
    """Return who adopted a practice as a keyed hash: one per team and practice, never the team.

    Keyed with the server secret and scoped to the practice, so the database alone cannot tell
    which team adopted it, nor link one team's adoptions across practices.
    """
    return salted_hmac(
        "patch.commons.adopter", f"{practice}:{team_ref}", algorithm="sha256"
    ).hexdigest()
