"""Extend every team's planned visits over a rolling horizon; run it nightly (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from caseload.services import visits_generate
from teams import clock
from teams.models import Team

MAX_DAYS = 366


class Command(BaseCommand):
    help = "Plan visits from care-plan frequencies for the next DAYS days (default 14)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=14)
        parser.add_argument("--team", help="Only this team's slug")

    def handle(self, *args, days: int, team: str | None, **options) -> None:
        if not 1 <= days <= MAX_DAYS:
            raise CommandError(f"--days must be between 1 and {MAX_DAYS}.")
        if team and not Team.objects.filter(slug=team).exists():
            raise CommandError(f"No team with the slug {team!r}.")
        teams = Team.objects.filter(slug=team) if team else Team.objects.all()
        for each in teams:
            created = visits_generate(team=each, start=clock.today(), days=days)
            self.stdout.write(f"{each.name}: {created} visits planned")
