"""Enrol a team at the hub from the command line and print its reference and key once."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from commons import services


class Command(BaseCommand):
    help = "Enrol a team with the commons hub; prints its reference and its key (shown once)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--region", required=True)
        parser.add_argument("--service-type", required=True)
        parser.add_argument("--size-band", required=True)

    def handle(self, *args, region: str, service_type: str, size_band: str, **options) -> None:
        attributes = {"region": region, "serviceType": service_type, "sizeBand": size_band}
        try:
            team, key = services.team_enrol(attributes=attributes)
        except services.EnrolError as problem:
            raise CommandError(str(problem)) from None
        self.stdout.write(f"orgUnit: {team.ref}\nkey: {key}\n")
        self.stdout.write("Keep the key secret; the hub will not show it again.")
