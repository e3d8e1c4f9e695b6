"""Demo data hooks: each app registers a seeder that ``seed_demo`` runs after the teams exist.

Apps register from their ``AppConfig.ready`` so that ``teams`` never imports the apps that
build on it.
"""

from __future__ import annotations

from collections.abc import Callable

from teams.models import Team

Seeder = Callable[[Team], None]
SEEDERS: list[tuple[str, Seeder]] = []


def register(name: str, seeder: Seeder) -> None:
    """Add ``seeder`` (idempotent: it may run on a team it has already seeded)."""
    if name not in {existing for existing, _ in SEEDERS}:
        SEEDERS.append((name, seeder))
