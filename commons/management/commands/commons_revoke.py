"""Revoke a team's key: the hub answers 401 to anything it signs from now on."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from commons import services
from commons.models import RegisteredTeam


class Command(BaseCommand):
    help = "Revoke a registered team's key (its reference, e.g. t-3f9c2a71d0)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("ref")

    def handle(self, *args, ref: str, **options) -> None:
        try:
            team = services.team_revoke(ref=ref)
        except RegisteredTeam.DoesNotExist:
            raise CommandError(f"No registered team {ref}.") from None
        self.stdout.write(f"Revoked {team.ref} at {team.revoked_at:%Y-%m-%d %H:%M %Z}.")
