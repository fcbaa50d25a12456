"""``manage.py backup [-o FILE]``: a consistent copy of the database.

* SQLite: the sqlite3 online-backup API (safe while the portal runs), written to a
  temporary file, checked with ``PRAGMA integrity_check`` and renamed into place.
* PostgreSQL: ``pg_dump --format=custom`` (restore with ``manage.py restore``).

The file holds personal data: it is created readable by its owner only (0600).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from unionvol.commands import SystemCommand

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


def default_backup_path(vendor: str) -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    suffix = "sqlite3" if vendor == "sqlite" else "dump"
    return Path(settings.BASE_DIR) / "backups" / f"unionvol-{stamp}.{suffix}"


def table_counts(connection: BaseDatabaseWrapper) -> dict[str, int]:
    """Row count of every table Django knows in this database."""
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def pg_environment(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for pg_dump / pg_restore."""
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    options = settings_dict.get("OPTIONS") or {}
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    return args, env


def run_tool(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(  # noqa: S603 - fixed program, argument list
            command, env=env, capture_output=True, text=True, check=False
        )
    except FileNotFoundError as exc:
        raise CommandError(
            f"{command[0]} not found: install the PostgreSQL client tools (postgresql-client)."
        ) from exc
    if result.returncode != 0:
        raise CommandError(f"{command[0]} failed ({result.returncode}): {result.stderr.strip()}")


def private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 (replacing a stale one)."""
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


class Command(SystemCommand):
    help = "Back up the database to a file (SQLite: online backup; PostgreSQL: pg_dump -Fc)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o",
            "--output",
            help="File to write (default: backups/unionvol-<date-time>.sqlite3 or .dump).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[options["database"]]
        vendor = connection.vendor
        if vendor not in ("sqlite", "postgresql"):
            raise CommandError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
        output = Path(options["output"] or default_backup_path(vendor)).resolve()
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        private_file(partial)
        try:
            if vendor == "sqlite":
                self._sqlite(connection, partial)
            else:
                self._postgresql(connection, partial)
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)
        counts = table_counts(connection)
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {output} ({output.stat().st_size:,} bytes; "
                f"{len(counts)} tables, {sum(counts.values()):,} rows)."
            )
        )

    def _sqlite(self, connection: BaseDatabaseWrapper, target: Path) -> None:
        if connection.in_atomic_block:
            # The copy would wait forever for this connection's own write lock.
            raise CommandError("Cannot back up SQLite from inside a transaction.")
        connection.ensure_connection()
        dest = sqlite3.connect(target)
        try:
            connection.connection.backup(dest)
            # One self-contained file, whatever the live database's journal mode.
            dest.execute("PRAGMA journal_mode=DELETE")
            (status,) = dest.execute("PRAGMA integrity_check").fetchone()
            if status != "ok":
                raise CommandError(f"The backup failed its integrity check: {status}")
        finally:
            dest.close()

    def _postgresql(self, connection: BaseDatabaseWrapper, target: Path) -> None:
        args, env = pg_environment(connection.settings_dict)
        run_tool(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(target),
                *args,
                "--dbname",
                str(connection.settings_dict["NAME"]),
            ],
            env,
        )
