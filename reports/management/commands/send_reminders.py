"""E-mail the clerks of unions whose submission is due in 7, 3 or 1 days, or overdue (for cron)."""

from __future__ import annotations

from datetime import date
from typing import Any

from reports.reminders import send_reminders
from unionvol.commands import SystemCommand


class Command(SystemCommand):
    help = "按截止日期（提前7、3、1天及逾期）向未报送单位的经办人发送催报邮件，每个节点只发一次。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--today", help="YYYY-MM-DD（测试用）")

    def handle(self, *args: Any, **options: Any) -> str:
        today = date.fromisoformat(options["today"]) if options.get("today") else None
        sent = send_reminders(today=today)
        return f"reminders sent: {sent}"
