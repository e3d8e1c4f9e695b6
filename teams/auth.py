from __future__ import annotations

from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Log in by e-mail address, whatever its case (the manager's natural key is case-blind)."""
