"""import_roster FILE --union CODE_OR_NAME [--campaign DOC_NUMBER] [--dry-run]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from campaigns.models import Campaign
from unions.selectors import union_lookup
from unionvol.commands import SystemCommand
from volunteers.imports import commit_roster, read_roster


def find_campaign(doc_number: str | None) -> Campaign | None:
    if not doc_number:
        return None
    matches = list(Campaign.objects.select_related("issuer").filter(doc_number=doc_number)[:2])
    if not matches:
        raise CommandError(f"没有文号为「{doc_number}」的通知。")
    if len(matches) > 1:
        raise CommandError(f"文号「{doc_number}」对应多份通知，请在系统中处理。")
    return matches[0]


class Command(SystemCommand):
    help = "导入按花名册格式填写的 Excel 文件：先校验全部行，有任何错误则不写入并以非零状态退出。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="花名册 .xlsx 文件")
        parser.add_argument("--union", required=True, help="登记工会的编码或名称")
        parser.add_argument("--campaign", help="招募通知的文号")
        parser.add_argument("--dry-run", action="store_true", help="只校验并打印报告，不写入")

    def handle(self, *args: Any, **options: Any) -> str:
        union = union_lookup(term=options["union"])
        if union is None:
            raise CommandError(f"没有编码或名称为「{options['union']}」的工会。")
        campaign = find_campaign(options.get("campaign"))
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        try:
            with path.open("rb") as fileobj:
                report = read_roster(fileobj, union=union, campaign=campaign, user=None)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(f"有 {len(report.errors)} 处错误，未写入任何数据。")
        if options["dry_run"]:
            return "试运行：未写入任何数据。"
        try:
            commit_roster(report, union=union, campaign=campaign, by=None)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        return f"已导入：新增 {len(report.creates)}，更新 {len(report.updates)}。"
