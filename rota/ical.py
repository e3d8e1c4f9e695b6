"""A member's published shifts as an RFC 5545 calendar, built with ``icalendar``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone
from icalendar import Calendar, Event

from rota.models import Assignment
from rota.rules import shift_interval
from teams.models import Team, User


def calendar_bytes(
    *, team: Team, user: User, assignments: Iterable[Assignment], now: datetime | None = None
) -> bytes:
    """Return the calendar; times are UTC so every client shows them right across DST."""
    stamp = now or timezone.now()
    cal = Calendar()
    cal.add("prodid", "-//Patch//Rota//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{team.name} rota – {user.name}")
    cal.add("refresh-interval;value=duration", "P1D")
    for a in assignments:
        st = a.shift_type
        start, end = shift_interval(a.date, st.start, st.end)
        event = Event()
        event.add("uid", f"rota-{a.pk}-{a.date.isoformat()}@patch")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", f"{st.name} shift ({team.name})")
        event.add("categories", ["Rota"])
        cal.add_component(event)
    return cal.to_ical()
