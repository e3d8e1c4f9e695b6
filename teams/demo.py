"""Demo data hooks: each app registers a seeder that ``seed_demo`` runs after the teams exist.

Apps register from their ``AppConfig.ready`` so that ``teams`` never imports the apps that
build on it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

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
HISTORY_DAYS = 42  # how far back the invented history goes
AHEAD_DAYS = 14  # how far ahead visits are planned


def members(team: Team) -> list[Membership]:
    """Return the current memberships in the order people joined (the demo's rota order)."""
    return list(Membership.objects.for_team(team).current().select_related("user").order_by("pk"))


def shift_on(*, position: int, day: date, today: date) -> str | None:
    """Name the shift that the member at ``position`` works on ``day`` (None: a day off)."""
    return ROTA_TURN[((day - today).days + position) % len(ROTA_TURN)]
