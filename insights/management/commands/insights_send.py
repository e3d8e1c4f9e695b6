"""Send the commons payloads that are due now (what the background task does), for operators."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from insights.export import services


class Command(BaseCommand):
    help = "Send every commons payload that is due; does nothing when COMMONS_URL is empty."

    def handle(self, *args, **options) -> None:
        if not services.hub_url():
            self.stdout.write("COMMONS_URL is not set: nothing is sent.")
            return
        sent = services.send_due()
        self.stdout.write(f"{sent} sent.")
