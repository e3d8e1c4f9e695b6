"""The ranges Patch accepts from people, and the one parser for a date in an address.

A typo such as year 9999 or a version number past what a database column holds is refused as
an input error at the edge, never reaching a calculation or a query that would fail.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)
# The smallest integer column any database we run on has (PostgreSQL's integer).
LARGEST_INTEGER = 2**31 - 1


def parse_day(value: str) -> date | None:
    """Return the ISO date in ``value`` if it exists and lies in the accepted range."""
    try:
        day = parse_date(value)
    except ValueError:  # well-formed but impossible, such as 2026-02-30
        return None
    if day is None or not EARLIEST_DATE <= day <= LATEST_DATE:
        return None
    return day


def date_param(request: HttpRequest, name: str = "date") -> date:
    """Read the day a page shows from its address; today when absent, with a message when bad."""
    raw = request.GET.get(name, "")
    day = parse_day(raw) if raw else None
    if raw and day is None and not getattr(request, "htmx", False):
        messages.warning(
            request,
            _("“%(value)s” is not a date Patch can show, so this page shows today.")
            % {"value": raw[:40]},
        )
    return day or timezone.localdate()
