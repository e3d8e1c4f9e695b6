"""Back up the whole database to a file (docs/backups.md)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from teams import backups


class Command(BaseCommand):
    help = "Write a checked backup of the database to PATH (SQLite online backup, or pg_dump)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--check", action="store_true", help="only check that PATH is a usable backup"
        )

    def handle(self, *args, path: Path, check: bool, **options) -> None:
        try:
            backups.check(path) if check else backups.backup(path)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{path}: {'a usable backup' if check else 'backed up'}")
