"""Write any registry form to xlsx.

``export_sheet FORM --campaign DOC [--union X] [--aggregate] -o FILE``; ``--list``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from reports import exports
from reports.registry import REGISTRY, describe
from unionvol.xlsx import SafeWorkbook


class Command(BaseCommand):
    help = (
        "导出报表：export_sheet FORM --campaign 文号 [--union 编码或名称] [--aggregate] -o 文件；"
        "--list 列出报表。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("form", nargs="?", help="报表标识：" + " | ".join(REGISTRY))
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
        if form_id not in REGISTRY:
            raise CommandError(f"unknown form {form_id!r}; choose from: {', '.join(REGISTRY)}")
        if not options["output"]:
            raise CommandError("-o FILE is required")
        from campaigns.models import Campaign
        from unions.models import Union

        campaign = None
        if options["campaign"]:
            campaign = Campaign.objects.filter(doc_number=options["campaign"]).first()
            if campaign is None:
                raise CommandError(f"no campaign with doc number {options['campaign']!r}")
        if options["volunteer"] is None and campaign is None and form_id != "roster":
            raise CommandError("--campaign is required")
        if options["union"]:
            union = Union.objects.filter(
                Q(code=options["union"]) | Q(name=options["union"])
            ).first()
            if union is None:
                raise CommandError(f"no union {options['union']!r}")
        elif campaign is not None:
            union = campaign.issuer
        elif options["volunteer"] is None:
            raise CommandError("--union or --campaign is required")
        else:
            from volunteers.models import Volunteer

            union = Volunteer.objects.get(pk=options["volunteer"]).union
        if options["volunteer"] is not None and form_id not in ("roster", "registration"):
            raise CommandError("--volunteer only applies to roster and registration")
        wb = self._volunteers_sheet(form_id, options, union, campaign)
        if wb is None:
            if campaign is None:
                raise CommandError("--campaign is required")
            wb = exports.form_workbook(
                form_id, union=union, campaign=campaign, aggregate=options["aggregate"]
            )
        wb.save(options["output"])
        return f"{form_id}: {wb.rows_written} rows -> {options['output']}"

    def _volunteers_sheet(
        self, form_id: str, options: dict[str, Any], union: Any, campaign: Any
    ) -> SafeWorkbook | None:
        """roster / quota / registration of one union: the volunteers app's own sheets."""
        if options["aggregate"] or form_id not in ("roster", "quota", "registration"):
            return None
        try:
            from volunteers.exports import build_sheet
        except ImportError:  # pragma: no cover - volunteers app without sheets
            return None
        from django.core.exceptions import ValidationError

        volunteer = None
        if options["volunteer"] is not None:
            from volunteers.models import Volunteer

            volunteer = Volunteer.objects.filter(pk=options["volunteer"]).first()
            if volunteer is None:
                raise CommandError(f"no volunteer {options['volunteer']}")
            if form_id == "roster":
                _sheet, wb = build_sheet(
                    form_id,
                    user=None,
                    union=volunteer.union,
                    volunteers=Volunteer.objects.filter(pk=volunteer.pk),
                )
                return wb
        if form_id == "registration" and volunteer is None:
            return None  # every volunteer of the union: the registry's blocks
        try:
            _sheet, wb = build_sheet(
                form_id, user=None, union=union, campaign=campaign, volunteer=volunteer
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        return wb
