"""The export worker: builds queued workbooks (``--once`` processes the queue and exits)."""

from __future__ import annotations

import time
from typing import Any

from unionvol.commands import SystemCommand
from unionvol.jobs import run_pending


class Command(SystemCommand):
    help = "生成排队中的导出工作簿（--once 处理完当前队列后退出）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true")
        parser.add_argument("--sleep", type=float, default=2.0)

    def handle(self, *args: Any, **options: Any) -> str:
        total = 0
        while True:
            done = run_pending()
            total += done
            if options["once"]:
                break
            if not done:
                time.sleep(options["sleep"])
        return f"export jobs processed: {total}"
