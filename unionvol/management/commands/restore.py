"""``manage.py restore FILE``: replace the database's content with a backup.

* SQLite: the file made by ``manage.py backup`` is checked (header and
  ``PRAGMA integrity_check``) and copied into the database with the sqlite3
  backup API; the database may be a fresh, empty file.
* PostgreSQL: ``pg_restore --clean --if-exists`` in one transaction.

Everything in the target database is replaced, so the command asks first
(``--noinput`` for scripts).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from unionvol.commands import SystemCommand
from unionvol.management.commands.backup import (
    PGDUMP_MAGIC,
    SQLITE_MAGIC,
    pg_environment,
    run_tool,
    table_counts,
)


class Command(SystemCommand):
    help = "Restore the database from a file written by `manage.py backup` (replaces all data)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The backup file.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such backup file: {path}")
        connection = connections[options["database"]]
        vendor = connection.vendor
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
        expected = {"sqlite": SQLITE_MAGIC, "postgresql": PGDUMP_MAGIC}.get(vendor)
        if expected is None:
            raise CommandError(f"Restores support SQLite and PostgreSQL, not {vendor}.")
        if not head.startswith(expected):
            kind = "an SQLite database" if vendor == "sqlite" else "a pg_dump custom-format file"
            raise CommandError(f"{path} is not {kind}: it cannot be restored into {vendor}.")
        if options["interactive"]:
            name = connection.settings_dict["NAME"]
            answer = input(f"This replaces ALL data in {name} with {path}. Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        if vendor == "sqlite":
            self._sqlite(connection, path)
        else:
            self._postgresql(connection, path)
        counts = table_counts(connection)
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {path}: {len(counts)} tables, {sum(counts.values()):,} rows."
            )
        )

    def _sqlite(self, connection: BaseDatabaseWrapper, path: Path) -> None:
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            (status,) = source.execute("PRAGMA integrity_check").fetchone()
            if status != "ok":
                raise CommandError(f"{path} failed its integrity check: {status}")
            connection.close()
            connection.ensure_connection()
            source.backup(connection.connection)
        except sqlite3.DatabaseError as exc:
            raise CommandError(f"{path} could not be restored: {exc}") from exc
        finally:
            source.close()
        connection.close()  # the next connection runs the usual init_command again

    def _postgresql(self, connection: BaseDatabaseWrapper, path: Path) -> None:
        args, env = pg_environment(connection.settings_dict)
        connection.close()
        run_tool(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                *args,
                "--dbname",
                str(connection.settings_dict["NAME"]),
                str(path),
            ],
            env,
        )
