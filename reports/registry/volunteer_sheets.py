"""名额分配表, 花名册 and 登记表 (seed 001), from volunteers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from reports.registry.base import AggregateRow, ReportSheet, _meta_header, register
from reports.registry.tables import TableSheet
from unionvol.scoping import subtree_q
from unionvol.xlsx import Column, SafeSheet, SafeWorkbook
from volunteers.models import QuotaAllocation, Volunteer, VolunteerStatus
from volunteers.privacy import id_column


@register
class QuotaSheet(TableSheet):
    """名额分配表 (seed 001 附件1)."""

    identifier = "quota"
    short_title = "名额分配表"
    title = "工会服务帮扶志愿者名额分配表"
    columns = [("union", "区市县、产业工会", 28), ("quota", "人数", 10), ("note", "备注", 24)]
    sum_keys = ("quota",)

    def prefill(self, union: Any, milestone: Any) -> dict[str, Any]:
        data = super().prefill(union, milestone)
        qs = (
            QuotaAllocation.objects.filter(campaign=milestone.campaign)
            .filter(subtree_q(union, "union"))
            .select_related("union")
            .order_by("order", "pk")
        )
        rows = [{"union": q.union.name, "quota": q.quota, "note": q.note} for q in qs]
        data["quotas"] = rows
        return data

    def rows_of(self, union: Any, data: dict[str, Any]) -> list[dict[str, Any]]:
        return data.get("quotas") or []

    def write_xlsx(self, workbook: SafeWorkbook, union: Any, data: dict[str, Any]) -> SafeSheet:
        sheet = super().write_xlsx(workbook, union, data)
        total = sum(int(r.get("quota") or 0) for r in self.rows_of(union, data))
        sheet.row([_("合计"), "", total, ""], style="uv_total")
        return sheet


ROSTER_COLUMNS = [
    ("name", "姓名", 10),
    ("gender", "性别", 6),
    ("id_number", "身份证号码", 22),
    ("workplace", "工作单位", 24),
    ("political_status", "政治面貌", 10),
    ("identity", "身份", 10),
    ("specialties", "特长", 16),
]


def _volunteer_rows(union: Any, campaign: Any, *, volunteer_id: int | None = None) -> list[dict]:
    # A submission goes up the tree and is read there by people who hold no right to
    # full numbers: its ID column is always masked, whoever fills it in.
    id_text = id_column(full=False)
    # The roster of a campaign is its approved volunteers (the ones the chain accepted).
    qs = (
        Volunteer.objects.filter(subtree_q(union, "union"), campaign=campaign)
        .filter(status=VolunteerStatus.APPROVED)
        .order_by("union__path", "pk")
        .prefetch_related("specialties")
    )
    if volunteer_id is not None:
        qs = qs.filter(pk=volunteer_id)
    rows = []
    for v in qs:
        specialties = (
            "、".join(str(s) for s in v.specialties.all()) if hasattr(v, "specialties") else ""
        )
        rows.append(
            {
                "name": v.name,
                "gender": _display(v, "gender"),
                "id_number": id_text(v.id_number),
                "workplace": getattr(v, "workplace", ""),
                "political_status": _display(v, "political_status"),
                "identity": _display(v, "identity"),
                "specialties": specialties,
                "phone": getattr(v, "phone", ""),
                "education": _display(v, "education"),
                "health": _display(v, "health"),
            }
        )
    return rows


def _display(obj: Any, name: str) -> str:
    getter = getattr(obj, f"get_{name}_display", None)
    return str(getter()) if getter else str(getattr(obj, name, "") or "")


@register
class RosterSheet(TableSheet):
    """服务帮扶志愿者花名册 (seed 001 附件3). ID numbers are masked."""

    identifier = "roster"
    short_title = "花名册"
    title = "服务帮扶志愿者花名册"
    columns = ROSTER_COLUMNS

    def prefill(self, union: Any, milestone: Any) -> dict[str, Any]:
        data = super().prefill(union, milestone)
        data["volunteers"] = _volunteer_rows(union, milestone.campaign)
        return data

    def rows_of(self, union: Any, data: dict[str, Any]) -> list[dict[str, Any]]:
        return data.get("volunteers") or []


@register
class RegistrationSheet(ReportSheet):
    """工会服务帮扶志愿者登记表 (seed 001 附件2): one block per volunteer."""

    identifier = "registration"
    short_title = "登记表"
    title = "工会服务帮扶志愿者登记表"
    labels = [
        ("name", "姓  名"),
        ("gender", "性别"),
        ("political_status", "政治面貌"),
        ("id_number", "身份证号"),
        ("phone", "联系电话"),
        ("education", "学历"),
        ("health", "健康状况"),
        ("workplace", "工作单位"),
        ("specialties", "特 长"),
    ]

    def prefill(self, union: Any, milestone: Any) -> dict[str, Any]:
        data = super().prefill(union, milestone)
        data["volunteers"] = _volunteer_rows(union, milestone.campaign)
        return data

    def _write(self, sheet: SafeSheet, rows: list[dict[str, Any]]) -> None:
        for i, v in enumerate(rows):
            if i:
                sheet.append([])
            for key, label in self.labels:
                sheet.append(
                    [
                        sheet.cell(label, "uv_header"),
                        sheet.cell(v.get(key, ""), "uv_cell", text=True),
                    ]
                )
            for label in ("本人申请", "单位工会意见"):
                sheet.append([sheet.cell(label, "uv_header"), sheet.cell("", "uv_cell")], height=40)

    def write_xlsx(self, workbook: SafeWorkbook, union: Any, data: dict[str, Any]) -> SafeSheet:
        sheet = workbook.add_sheet(_("登记表"), [Column("", 16), Column("", 50)])
        sheet.title(self.title)
        _meta_header(sheet, union.name, 2)
        self._write(sheet, data.get("volunteers") or [{}])
        return sheet

    def write_aggregate(
        self, workbook: SafeWorkbook, parent_union: Any, rows: Sequence[AggregateRow]
    ) -> SafeSheet:
        sheet = workbook.add_sheet(_("登记表（汇总）"), [Column("", 16), Column("", 50)])
        sheet.title(self.title)
        _meta_header(sheet, parent_union.name, 2)
        count = 0
        for _union, data in rows:
            vols = data.get("volunteers") or []
            count += len(vols)
            self._write(sheet, vols)
        sheet.append([sheet.cell(_("合计"), "uv_total"), sheet.cell(count, "uv_total")])
        return sheet
