"""Write any official sheet (``unionvol.sheets`` registry) to xlsx, with full ID numbers
(the operator's command).

``export_sheet FORM --campaign DOC [--union X] [--aggregate] -o FILE``; ``--list``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from reports import exports
from unionvol.audit import audit
from unionvol.commands import SystemCommand
from unionvol.models import AuditAction
from unionvol.sheets import SHEETS, describe
from unionvol.xlsx import SafeWorkbook


class Command(SystemCommand):
    help = (
        "导出报表：export_sheet FORM --campaign 文号 [--union 编码或名称] [--aggregate] -o 文件；"
        "--list 列出报表。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("form", nargs="?", help="报表标识：" + " | ".join(SHEETS))
        parser.add_argument("--list", action="store_true", help="列出所有报表")
        parser.add_argument("--campaign", help="活动通知文号，如 鲁教工〔2019〕13号")
        parser.add_argument("--union", help="工会编码或名称（默认发文单位）")
        parser.add_argument(
            "--aggregate", action="store_true", help="汇总表：下级工会逐一列出并合计"
        )
        parser.add_argument(
            "--volunteer", type=int, help="只导出一名志愿者（roster / registration）"
        )
        parser.add_argument("-o", "--output", help="输出文件 .xlsx")

    def handle(self, *args: Any, **options: Any) -> str:
        if options["list"]:
            for key, title in describe():
                self.stdout.write(f"{key}\t{title}")
            return ""
        form_id = options["form"]
        if form_id not in SHEETS:
            raise CommandError(f"未知的报表「{form_id}」，可选：{', '.join(SHEETS)}")
        if not options["output"]:
            raise CommandError("请用 -o 指定输出文件。")
        from campaigns.models import Campaign
        from unions.selectors import union_lookup

        campaign = None
        if options["campaign"]:
            matches = list(Campaign.objects.filter(doc_number=options["campaign"])[:2])
            if not matches:
                raise CommandError(f"没有文号为「{options['campaign']}」的通知。")
            if len(matches) > 1:
                raise CommandError(f"文号「{options['campaign']}」对应多份通知。")
            campaign = matches[0]
        if options["volunteer"] is None and campaign is None and form_id != "roster":
            raise CommandError("请用 --campaign 指定通知文号。")
        if options["union"]:
            union = union_lookup(term=options["union"])
            if union is None:
                raise CommandError(f"没有编码或名称为「{options['union']}」的工会。")
        elif campaign is not None:
            union = campaign.issuer
        elif options["volunteer"] is None:
            raise CommandError("请用 --union 或 --campaign 指定工会或通知。")
        else:
            from volunteers.models import Volunteer

            found = (
                Volunteer.objects.select_related("union").filter(pk=options["volunteer"]).first()
            )
            if found is None:
                raise CommandError(f"没有编号为 {options['volunteer']} 的志愿者。")
            union = found.union
        if options["volunteer"] is not None and form_id not in ("roster", "registration"):
            raise CommandError("--volunteer 只适用于 roster 和 registration。")
        if options["volunteer"] is not None:
            wb = self._one_volunteer(form_id, options["volunteer"])
        elif campaign is None and form_id == "roster" and not options["aggregate"]:
            from volunteers.exports import build_sheet

            _sheet, wb = build_sheet("roster", user=None, union=union)  # every approved one
        else:
            if campaign is None:
                raise CommandError("请用 --campaign 指定通知文号。")
            wb = exports.form_workbook(
                form_id,
                union=union,
                campaign=campaign,
                aggregate=options["aggregate"],
                full_ids=True,
            )
            audit(
                user=None,
                action=AuditAction.EXPORT,
                target=campaign,
                rows=wb.rows_written,
                form=form_id,
                union=union.pk,
                aggregate=options["aggregate"],
                full_ids=True,
                via="export_sheet",
            )
        wb.save(options["output"])
        return f"{form_id}: {wb.rows_written} rows -> {options['output']}"

    def _one_volunteer(self, form_id: str, pk: int) -> SafeWorkbook:
        """One volunteer's 登记表 or 花名册 row (the volunteers app audits the export)."""
        from volunteers.exports import build_sheet
        from volunteers.models import Volunteer

        volunteer = Volunteer.objects.filter(pk=pk).first()
        if volunteer is None:
            raise CommandError(f"没有编号为 {pk} 的志愿者。")
        _sheet, wb = build_sheet(
            form_id,
            user=None,
            union=volunteer.union,
            volunteer=volunteer,
            volunteers=Volunteer.objects.filter(pk=volunteer.pk),
        )
        return wb
