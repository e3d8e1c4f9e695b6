from __future__ import annotations

from datetime import datetime

from django.utils import timezone


class RotaError(Exception):
    """A domain rule was broken; the message is for the person who tried.

    ``field`` names the form field the message belongs next to, when there is one.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def now_or(now: datetime | None) -> datetime:
    return now or timezone.now()
