"""Sheets written as one table (one row per union when aggregated): 计划, 典型材料, 总结."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django.utils.translation import gettext as _

from reports.registry.base import (
    SUMMARY_LIMIT,
    TYPICAL_LIMIT,
    AggregateRow,
    ReportSheet,
    _meta_header,
    register,
)
from service.models import ServiceTeam
from unionvol.scoping import subtree_q
from unionvol.xlsx import Column, SafeSheet, SafeWorkbook


# --- forms written as one table: one row per union (aggregate) --------------------
class TableSheet(ReportSheet):
    """A form whose aggregate is a table: one row per union plus 合计."""

    columns: ClassVar[list[tuple[str, str, float]]] = []  # (key, label, width)
    sum_keys: ClassVar[tuple[str, ...]] = ()

    def rows_of(self, union: Any, data: dict[str, Any]) -> list[dict[str, Any]]:
        return [self.figures_of(data)]

    def labels(self, data: dict[str, Any]) -> list[tuple[str, str, float]]:
        return list(self.columns)

    def title_of(self, data: dict[str, Any]) -> str:
        return str(self.title)

    def write_xlsx(self, workbook: SafeWorkbook, union: Any, data: dict[str, Any]) -> SafeSheet:
        cols = [Column(_("序号"), 7, center=True)] + [
            Column(label, width) for _k, label, width in self.labels(data)
        ]
        sheet = workbook.add_sheet(self.sheet_title(), cols, landscape=len(cols) > 6)
        sheet.title(self.title_of(data))
        _meta_header(sheet, union.name, len(cols))
        sheet.header()
        for i, row in enumerate(self.rows_of(union, data), start=1):
            sheet.row([i] + [row.get(k, "") for k, _l, _w in self.columns])
        self.write_footer(sheet, union, data)
        return sheet

    def write_footer(self, sheet: SafeSheet, union: Any, data: dict[str, Any]) -> None:
        return None

    def write_aggregate(
        self, workbook: SafeWorkbook, parent_union: Any, rows: Sequence[AggregateRow]
    ) -> SafeSheet:
        first = rows[0][1] if rows else {}
        cols = [Column(_("序号"), 7, center=True), Column(_("工会"), 26)] + [
            Column(label, width) for _k, label, width in self.labels(first)
        ]
        sheet = workbook.add_sheet(
            self.sheet_title() + _("（汇总）"), cols, landscape=len(cols) > 6
        )
        sheet.title(self.title_of(first))
        _meta_header(sheet, parent_union.name, len(cols))
        sheet.header()
        totals: dict[str, float] = dict.fromkeys(self.sum_keys, 0)
        n = 0
        for union, data in rows:
            for row in self.rows_of(union, data):
                n += 1
                sheet.row([n, union.name] + [row.get(k, "") for k, _l, _w in self.columns])
                for key in self.sum_keys:
                    totals[key] += float(row.get(key) or 0)
        sheet.row(
            [_("合计"), ""]
            + [_num(totals[k]) if k in totals else "" for k, _l, _w in self.columns],
            style="uv_total",
        )
        return sheet


def _num(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)


FIGURE_COLUMNS = [
    ("teams", "志愿服务队数", 10),
    ("projects", "志愿服务项目数", 10),
    ("activities", "活动次数", 10),
    ("person_times", "参与人次", 10),
    ("hours", "服务时长（小时）", 12),
    ("beneficiaries", "服务对象人数", 12),
    ("funds", "物质或资金支持（元）", 14),
]


@register
class PlanSheet(TableSheet):
    """分队组建及全年活动计划 (seed 002)."""

    identifier = "plan"
    short_title = "分队组建及全年活动计划"
    title = "职工志愿服务分队组建及全年活动计划"
    narrative_label = "全年志愿服务活动计划安排"
    narrative_limit = 3000
    template_name = "reports/forms/plan.html"
    columns = [
        ("team", "分队名称", 24),
        ("members", "队员人数", 10),
        ("description", "服务内容", 30),
        ("plan", "全年活动计划", 40),
    ]
    sum_keys = ("members",)

    def prefill(self, union: Any, milestone: Any) -> dict[str, Any]:
        from django.db.models import Count

        data = super().prefill(union, milestone)
        teams = []
        qs = (
            ServiceTeam.objects.filter(subtree_q(union, "union"), campaign=milestone.campaign)
            .order_by("union__path", "name")
            .annotate(_n=Count("members"))
        )
        if True:
            for t in qs:
                teams.append(
                    {
                        "team": t.name,
                        "members": getattr(t, "_n", 0),
                        "description": getattr(t, "description", ""),
                    }
                )
        data["teams"] = teams
        return data

    def rows_of(self, union: Any, data: dict[str, Any]) -> list[dict[str, Any]]:
        plan = data.get("narrative", "")
        teams = data.get("teams") or [{"team": "", "members": 0, "description": ""}]
        return [t | {"plan": plan if i == 0 else ""} for i, t in enumerate(teams)]


@register
class TypicalSheet(ReportSheet):
    """典型材料 (seed 003): ≤ 2,000 characters and 2–3 high-resolution photos."""

    identifier = "typical"
    short_title = "典型材料"
    title = "“和你在一起”职工志愿服务活动典型材料"
    narrative_label = "典型材料"
    narrative_limit = TYPICAL_LIMIT
    min_photos = 2
    max_photos = 3
    template_name = "reports/forms/narrative.html"

    def validate(self, data: dict[str, Any], *, narrative: str = "", photos: int = 0) -> list[str]:
        errors = super().validate(data, narrative=narrative, photos=photos)
        if not narrative.strip():
            errors.append(_("请填写典型材料正文。"))
        return errors

    def write_xlsx(self, workbook: SafeWorkbook, union: Any, data: dict[str, Any]) -> SafeSheet:
        sheet = workbook.add_sheet(_("典型材料"), [Column("", 18), Column("", 80)])
        sheet.title(self.title)
        _meta_header(sheet, union.name, 2)
        sheet.row([_("典型材料（2000字以内）"), data.get("narrative", "")], height=300)
        sheet.row([_("活动图片（2—3张）"), data.get("photos", 0)])
        return sheet

    def write_aggregate(
        self, workbook: SafeWorkbook, parent_union: Any, rows: Sequence[AggregateRow]
    ) -> SafeSheet:
        cols = [
            Column(_("序号"), 7, center=True),
            Column(_("工会"), 26),
            Column(_("典型材料（2000字以内）"), 80),
            Column(_("字数"), 8),
            Column(_("图片数"), 8),
        ]
        sheet = workbook.add_sheet(_("典型材料（汇总）"), cols, landscape=True)
        sheet.title(self.title)
        _meta_header(sheet, parent_union.name, len(cols))
        sheet.header()
        photos = 0
        for i, (union, data) in enumerate(rows, start=1):
            text = data.get("narrative", "")
            sheet.row([i, union.name, text, len(text), data.get("photos", 0)])
            photos += int(data.get("photos", 0) or 0)
        sheet.row([_("合计"), len(rows), "", "", photos], style="uv_total")
        return sheet


@register
class SummarySheet(TableSheet):
    """活动总结 / 全年总结: a narrative and the figures of the period."""

    identifier = "summary"
    short_title = "活动总结"
    title = "职工志愿服务活动总结"
    narrative_label = "活动总结"
    narrative_limit = SUMMARY_LIMIT
    template_name = "reports/forms/narrative.html"
    columns = FIGURE_COLUMNS
    sum_keys = tuple(k for k, _l, _w in FIGURE_COLUMNS)

    def validate(self, data: dict[str, Any], *, narrative: str = "", photos: int = 0) -> list[str]:
        errors = super().validate(data, narrative=narrative, photos=photos)
        if not narrative.strip():
            errors.append(_("请填写活动总结。"))
        return errors

    def write_footer(self, sheet: SafeSheet, union: Any, data: dict[str, Any]) -> None:
        sheet.append([])
        sheet.append(
            [
                sheet.cell(_("活动总结"), "uv_header"),
                sheet.cell(data.get("narrative", ""), "uv_cell"),
            ],
            height=300,
        )
        sheet.merge(sheet.rows_written, 2, sheet.rows_written, sheet.width)
