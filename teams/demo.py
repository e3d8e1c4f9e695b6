"""Demo data hooks: each app registers a seeder that ``seed_demo`` runs after the teams exist.

Apps register from their ``AppConfig.ready`` so that ``teams`` never imports the apps that
build on it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from teams.models import Membership, Team

Seeder = Callable[[Team], None]
SEEDERS: list[tuple[str, Seeder]] = []


def register(name: str, seeder: Seeder) -> None:
    """Add ``seeder`` (idempotent: it may run on a team it has already seeded)."""
    if name not in {existing for existing, _ in SEEDERS}:
        SEEDERS.append((name, seeder))


# The demo rota, one week's turn that each member starts at a different day: the member who
# joined first (the README's example login) works an Early on the day the demo is seeded. The
# rota seeder writes it and the caseload seeder gives each visit to someone on shift for it.
ROTA_TURN: tuple[str | None, ...] = ("Early", "Early", "Late", "Late", "Night", None, None)
SHIFT_TIMES: dict[str, tuple[time, time]] = {
    "Early": (time(7, 30), time(15, 30)),
    "Late": (time(14, 30), time(22, 0)),
    "Night": (time(21, 30), time(7, 45)),
}
HISTORY_DAYS = 84  # how far back the invented history goes: twelve weeks of Insights
AHEAD_DAYS = 14  # how far ahead visits are planned


def history_start(today: date) -> date:
    """The Monday the invented history starts on, so its first week is a whole week."""
    first = today - timedelta(days=HISTORY_DAYS)
    return first - timedelta(days=first.weekday())


def shift_minutes(name: str) -> int:
    """A demo shift's length in minutes (a night ends the next morning)."""
    start, end = (t.hour * 60 + t.minute for t in SHIFT_TIMES[name])
    return end - start if end > start else end + 24 * 60 - start


def members(team: Team) -> list[Membership]:
    """Return the current memberships in the order people joined (the demo's rota order)."""
    return list(Membership.objects.for_team(team).current().select_related("user").order_by("pk"))


def shift_on(*, position: int, day: date, today: date) -> str | None:
    """Name the shift that the member at ``position`` works on ``day`` (None: a day off)."""
    return ROTA_TURN[((day - today).days + position) % len(ROTA_TURN)]


def members_joined_before_history(team: Team, today: date) -> None:
    """Date the demo members' joining to the history's first day, so the invented weeks count
    them as members (and pay them); bulk, like the rest of the invented history."""
    first = history_start(today)
    Membership.objects.for_team(team).filter(joined_at__date__gt=first).update(
        joined_at=timezone.make_aware(datetime.combine(first, time(0)))
    )
