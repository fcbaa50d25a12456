"""``manage.py check_rollups [--fix] [--campaign ID …]``: recompute every rollup cell
from the records and list each difference (exit status 1 when there is one); ``--fix``
rebuilds the rollups from the records, then checks again."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import CommandError, CommandParser

from unionvol.commands import SystemCommand
from unionvol.rollups import rebuild_rollups, rollup_differences, tables

SHOWN = 50  # differences printed in full; the rest are counted


class Command(SystemCommand):
    help = "核对汇总数据：按记录重算每个工会每个活动的统计数并列出不一致（--fix 重建）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fix", action="store_true", help="rebuild the rollups from the records first"
        )
        parser.add_argument(
            "--campaign", type=int, action="append", help="only this campaign id (repeatable)"
        )

    def handle(self, *args: Any, **options: Any) -> str:
        campaigns = options["campaign"]
        started = time.perf_counter()
        if options["fix"]:
            kept = rebuild_rollups(campaigns)
            cells = ", ".join(f"{name} {n}" for name, n in kept.items())
            self.stdout.write(f"check_rollups: rebuilt ({cells} cells)")
        lines = rollup_differences(campaigns)
        for line in lines[:SHOWN]:
            self.stdout.write(line)
        if len(lines) > SHOWN:
            self.stdout.write(f"… and {len(lines) - SHOWN} more")
        seconds = time.perf_counter() - started
        names = ", ".join(t.name for t in tables())
        if lines:
            raise CommandError(
                f"check_rollups: {len(lines)} differences ({names}); "
                "run `manage.py check_rollups --fix` to rebuild"
            )
        return f"check_rollups: no difference ({names}; {seconds:.1f}s)"
