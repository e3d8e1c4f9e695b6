"""Create an organisation (or network) and put teams in it; sharing stays off until each team
opts in from its insights page."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from teams import services
from teams.models import OrganisationKind, Team


class Command(BaseCommand):
    help = "Create an organisation or network (if new) and add teams to it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name")
        parser.add_argument("--kind", choices=OrganisationKind.values, default="organisation")
        parser.add_argument("--team", action="append", default=[], help="a team's slug")

    def handle(self, *args, name: str, kind: str, team: list[str], **options) -> None:
        teams = list(Team.objects.filter(slug__in=team))
        missing = set(team) - {t.slug for t in teams}
        if missing:
            raise CommandError(f"No team with the slug(s): {', '.join(sorted(missing))}.")
        organisation = services.organisation_get_or_create(name=name, kind=kind)
        for each in teams:
            if each.organisation_id != organisation.pk:
                services.organisation_join(team=each, organisation=organisation)
        self.stdout.write(f"{organisation.name}: {len(teams)} team(s) added")
