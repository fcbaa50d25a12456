"""export_sheet roster|quota|registration [--campaign DOC] [--union CODE_OR_NAME] [--volunteer ID] -o FILE"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from unions.models import Union
from unions.selectors import union_lookup
from volunteers.exports import build_sheet
from volunteers.management.commands.import_roster import find_campaign
from volunteers.models import Volunteer
from volunteers.sheets import SHEETS


class Command(BaseCommand):
    help = "把一张表格导出为 .xlsx（花名册 roster、名额分配表 quota、登记表 registration）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("sheet", choices=sorted(SHEETS), help="表格标识")
        parser.add_argument("--campaign", help="通知的文号（quota 必填；roster 可选）")
        parser.add_argument("--union", help="工会的编码或名称（roster 必填）")
        parser.add_argument("--volunteer", type=int, help="志愿者编号（registration 必填）")
        parser.add_argument("-o", "--output", required=True, help="输出文件（.xlsx）")

    def handle(self, *args: Any, **options: Any) -> str:
        union: Union | None = None
        if options.get("union"):
            union = union_lookup(term=options["union"])
            if union is None:
                raise CommandError(f"没有编码或名称为「{options['union']}」的工会。")
        campaign = find_campaign(options.get("campaign"))
        volunteer = None
        if options.get("volunteer") is not None:
            volunteer = (
                Volunteer.objects.select_related("union", "campaign__issuer")
                .filter(pk=options["volunteer"])
                .first()
            )
            if volunteer is None:
                raise CommandError(f"没有编号为 {options['volunteer']} 的志愿者。")
        try:
            sheet, wb = build_sheet(
                options["sheet"], user=None, union=union, campaign=campaign, volunteer=volunteer
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        wb.save(options["output"])
        return f"{sheet.verbose_name}：{sheet.rows} 行 → {options['output']}"
