"""Load the demo data of every app, idempotently, and print the demo logins."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings

from unions.demo import DEMO_PASSWORD, DEMO_USERS
from unionvol.commands import SystemCommand


class Command(SystemCommand):
    help = "Load the demo unions, users and records (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> str:
        # Each local app may have a demo module with load(stdout); run them in app order.
        for app in settings.LOCAL_APPS:
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            module.load(self.stdout)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD})"))
        self.stdout.write(f"  {'admin':<16} 系统管理员 (Django admin, superuser)")
        for spec in DEMO_USERS:
            self.stdout.write(f"  {spec.username:<16} {spec.note}")
        return ""
