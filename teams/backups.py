"""Back up and restore the whole database: SQLite's online backup API, or PostgreSQL's tools.

SQLite copies page by page through ``sqlite3.Connection.backup`` while the app keeps running
(writers wait a moment; readers do not), into a temporary file renamed into place only when
complete and checked. PostgreSQL uses ``pg_dump -Fc`` (a consistent snapshot, compressed) and
``pg_restore --clean --if-exists --single-transaction``, so a failed restore changes nothing.
A restore replaces everything, including the record of sync mutation ids, so devices that
replay their outboxes afterwards get ``duplicate`` for what the backup already holds and
``applied`` for what it does not.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection, connections


class BackupError(Exception):
    """The backup could not be written or the file is not a usable backup."""


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _run(args: list[str], **kwargs) -> None:
    try:
        subprocess.run(args, env=_pg_env(), check=True, capture_output=True, text=True, **kwargs)  # noqa: S603
    except FileNotFoundError as error:
        raise BackupError(f"{args[0]} is not installed: {error}") from None
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{args[0]} failed: {error.stderr.strip()}") from None


def check(path: Path) -> None:
    """Raise ``BackupError`` unless ``path`` is a readable, intact backup for this database."""
    if not path.is_file():
        raise BackupError(f"No backup at {path}.")
    if not _is_sqlite():
        _run(["pg_restore", "--list", str(path)])
        return
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            (result,) = source.execute("PRAGMA integrity_check").fetchone()
        finally:
            source.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not an SQLite database: {error}") from None
    if result != "ok":
        raise BackupError(f"{path} is damaged: {result}")


def backup(path: Path) -> None:
    """Write a complete, checked copy of the database to ``path`` (replacing any file there)."""
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    if _is_sqlite():
        connection.ensure_connection()
        target = sqlite3.connect(partial)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        _run(["pg_dump", "--format=custom", "--file", str(partial)])
    check(partial)
    partial.replace(path)


def restore(path: Path) -> None:
    """Replace the whole database with the backup at ``path``, after checking it.

    Stop the server processes and task workers first on PostgreSQL: ``--clean`` drops tables
    they may hold locks on. SQLite is restored in place through the backup API.
    """
    check(path)
    if _is_sqlite():
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        connection.ensure_connection()
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        connections.close_all()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                connection.settings_dict["NAME"],
                str(path),
            ]
        )
    connections.close_all()
