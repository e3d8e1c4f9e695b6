"""Fill the embedded hub with simulated teams (deterministic; safe to run again)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from commons import publish
from commons.demo import demo_seed


class Command(BaseCommand):
    help = "Seed the commons hub with ~40 simulated teams × 52 weeks of protected figures."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--teams", type=int, default=40)
        parser.add_argument("--weeks", type=int, default=52)

    def handle(self, *args, teams: int, weeks: int, **options) -> None:
        added = demo_seed(teams=teams, weeks=weeks)
        # Publish now, before the server listens, so the first visitor does not wait for it.
        weeks_published = publish.weeks_publish()
        self.stdout.write(
            f"Commons demo: {added} team-weeks added, {weeks_published} weeks published."
        )
