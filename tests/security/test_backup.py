"""Issue 7 item 7 (brief item 6): a backup restores into an empty database with the same rows."""

from __future__ import annotations

import io
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.factories import make_member, make_volunteer
from unions.models import Role
from unionvol.audit import audit
from unionvol.management.commands.backup import table_counts
from unionvol.models import AuditAction

ROOT = Path(__file__).resolve().parents[2]


def sqlite_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


@pytest.fixture
def some_data(tree: Any) -> None:
    user = make_member(tree.district_a, Role.ADMIN, username="backup_admin")
    for _ in range(3):
        make_volunteer(tree.grassroots_a)
    audit(user=user, action=AuditAction.EXPORT, what="名册", rows=3)


def run_manage(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(UNIONVOL_TESTING="1", DATABASE_URL=database_url)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite variant")
@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_restores_into_a_fresh_database(some_data: None, tmp_path: Path) -> None:
    expected = table_counts(connection)
    assert expected["volunteers_volunteer"] == 3
    assert expected["unions_union"] == 5

    backup = tmp_path / "unionvol.sqlite3"
    call_command("backup", "-o", str(backup), stdout=io.StringIO())
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600  # personal data: owner only
    assert not list(tmp_path.glob("*.partial"))
    assert sqlite_counts(backup) == expected

    fresh = tmp_path / "fresh.sqlite3"
    assert not fresh.exists()
    result = run_manage("restore", str(backup), "--noinput", database_url=f"sqlite:///{fresh}")
    assert result.returncode == 0, result.stderr
    assert "Restored" in result.stdout
    assert sqlite_counts(fresh) == expected

    # The restored file is a working database for the portal.
    result = run_manage("migrate", "--check", database_url=f"sqlite:///{fresh}")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite variant")
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path, db: Any) -> None:
    with pytest.raises(CommandError, match="inside a transaction"):
        call_command("backup", "-o", str(tmp_path / "x.sqlite3"))
    assert not (tmp_path / "x.sqlite3").exists()
    bogus = tmp_path / "not-a-backup.sqlite3"
    bogus.write_bytes(b"PGDMP this is a PostgreSQL dump")
    with pytest.raises(CommandError, match="not an SQLite database"):
        call_command("restore", str(bogus), "--noinput")
    with pytest.raises(CommandError, match="No such backup file"):
        call_command("restore", str(tmp_path / "missing"), "--noinput")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite variant")
@pytest.mark.django_db(transaction=True)
def test_restore_asks_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    backup = tmp_path / "b.sqlite3"
    call_command("backup", "-o", str(backup), stdout=io.StringIO())
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(backup))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs DATABASE_URL=postgres://…")
@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_and_restore(some_data: None, tmp_path: Path) -> None:
    from volunteers.models import Volunteer

    expected = table_counts(connection)
    backup = tmp_path / "unionvol.dump"
    call_command("backup", "-o", str(backup), stdout=io.StringIO())
    assert backup.read_bytes().startswith(b"PGDMP")
    # Empty the data, then restore it (pg_restore --clean drops and recreates every table).
    Volunteer.history.all().delete()
    Volunteer.objects.all().delete()
    assert table_counts(connection)["volunteers_volunteer"] == 0
    call_command("restore", str(backup), "--noinput", stdout=io.StringIO())
    assert table_counts(connection) == expected
