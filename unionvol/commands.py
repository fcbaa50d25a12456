"""The base of unionvol's management commands: they run in the system scope.

An operator's command sees every union, on purpose and in one place; a command
that forgot would otherwise fail on its first query of a union-owned model.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from unionvol.scoping import system_scope


class SystemCommand(BaseCommand):
    def execute(self, *args: Any, **options: Any) -> str | None:
        with system_scope():
            return super().execute(*args, **options)
