"""The one clock: every service reads "now" and "today" here, so a caller or a test can fix it.

"Today" is the date in the current time zone (``TIME_ZONE``, where the team works), not UTC.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


def now_or(now: datetime | None = None) -> datetime:
    return now or timezone.now()


def today(now: datetime | None = None) -> date:
    return timezone.localdate(now_or(now))
