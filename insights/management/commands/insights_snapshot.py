"""Store weekly snapshots; run it nightly: recent closed weeks are recomputed (idempotent)."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from insights import formulas
from insights.export import services as commons
from insights.selectors import last_closed_week
from insights.services import WeekNotClosed, snapshot_save
from teams.models import Team

RECENT_WEEKS = 4  # late records within this many weeks revise the snapshot


class Command(BaseCommand):
    help = "Snapshot closed ISO weeks for every team (or --team), by default the last four."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--team", help="Only this team's slug")
        parser.add_argument("--week", help="Only this ISO week, e.g. 2026W48")

    def handle(self, *args, team: str | None, week: str | None, **options) -> None:
        teams = Team.objects.filter(slug=team) if team else Team.objects.all()
        if team and not teams.exists():
            raise CommandError(f"No team with the slug {team!r}.")
        weeks = [week] if week else _recent(last_closed_week(), RECENT_WEEKS)
        for each in teams:
            for label in weeks:
                try:
                    snapshot = snapshot_save(team=each, week=label)
                    commons.snapshot_saved(snapshot=snapshot)
                except (WeekNotClosed, ValueError) as error:
                    raise CommandError(str(error)) from None
                self.stdout.write(f"{each.slug} {label}: revision {snapshot.revision}")


def _recent(latest: str, count: int) -> list[str]:
    monday, _ = formulas.week_days(latest)
    return [formulas.iso_week(monday - timedelta(weeks=n)) for n in range(count)]
