"""情况调度表 (seed 000): one block per counted project, figures editable with a reason."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext as _

from reports.registry.base import (
    NARRATIVE_TOO_LONG,
    PROGRESS_LIMIT,
    AggregateRow,
    ReportSheet,
    _length_validator,
    _meta_header,
    register,
)
from service.figures import campaign_participations, counted_projects
from service.models import TeamMember
from unionvol.forms import TextLimitMixin
from unionvol.scoping import subtree_q
from unionvol.xlsx import Column, SafeSheet, SafeWorkbook

# --- 情况调度表 (seed 000) ----------------------------------------------------------
DISPATCH_LABELS = {
    "team": "志愿服务队名称",
    "project": "志愿服务项目名称",
    "team_size": "志愿服务队组成人数",
    "period": "项目执行时间",
    "person_times": "参与项目总人次",
    "support": "物质或资金支持情况",
    "leader_name": "负责人姓名",
    "leader_position": "职务",
    "leader_phone": "电话",
    "paired_unit": "结对志愿服务单位、社区",
    "beneficiaries": "服务对象人数",
    "progress": "志愿服务进展情况（500字以内，主要做法、特色内容等）",
}
DISPATCH_TITLE = "全省教育系统工会助力脱贫攻坚教职工志愿服务活动情况调度表"
EMPTY_BLOCK = dict.fromkeys(DISPATCH_LABELS, "") | {
    "team_size": 0,
    "person_times": 0,
    "beneficiaries": 0,
}


# The dispatch figures a clerk may correct (with a reason) and the message when none given.
DISPATCH_FIGURES = ("team_size", "person_times", "beneficiaries")
REASON_LIMIT = 200
REASON_REQUIRED = _("“%(name)s”的%(figures)s与系统记录不同，请填写原因。")


def _dispatch_blocks(union: Any, campaign: Any, until: Any) -> list[dict[str, Any]]:
    """One block per counted project (service.figures: past proposal), its 人次 counted
    as service.figures counts them (participations inside the campaign's period)."""
    from django.db.models import Count, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    qs = counted_projects(campaign).filter(subtree_q(union, "team__union")).select_related("team")
    # Subqueries keep the counts independent of each other (no join fan-out).
    qs = qs.annotate(
        _size=Coalesce(
            Subquery(
                TeamMember.objects.filter(team=OuterRef("team"))
                .order_by()
                .values("team")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            0,
        ),
        _times=Coalesce(
            Subquery(
                campaign_participations(campaign, until)
                .filter(activity__project=OuterRef("pk"))
                .order_by()
                .values("activity__project")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            0,
        ),
    )
    blocks = []
    for p in qs.order_by("team__union__path", "team__name", "pk"):
        period = f"{p.period_start:%Y-%m-%d}"
        if getattr(p, "period_end", None):
            period += f" 至 {p.period_end:%Y-%m-%d}"
        support = getattr(p, "support_items", "") or ""
        amount = getattr(p, "support_amount", None)
        if amount:
            support = f"{support}（{amount}元）" if support else f"{amount}元"
        blocks.append(
            {
                "project_id": p.pk,
                "team": p.team.name,
                "project": p.name,
                "team_size": getattr(p, "_size", 0),
                "period": period,
                "person_times": getattr(p, "_times", 0),
                "support": support,
                "funds": float(amount or 0),
                "leader_name": p.leader_name,
                "leader_position": getattr(p, "leader_position", ""),
                "leader_phone": getattr(p, "leader_phone", ""),
                "paired_unit": getattr(p, "paired_unit", ""),
                "beneficiaries": p.beneficiaries,
                "progress": (getattr(p, "progress", "") or "")[:PROGRESS_LIMIT],
            }
        )
    return blocks


@register
class DispatchSheet(ReportSheet):
    identifier = "dispatch"
    short_title = "情况调度表"
    title = DISPATCH_TITLE
    template_name = "reports/forms/dispatch.html"

    def prefill(self, union: Any, milestone: Any) -> dict[str, Any]:
        data = super().prefill(union, milestone)
        blocks = _dispatch_blocks(union, milestone.campaign, milestone.due_date)
        for block in blocks:
            # What the records say, kept beside what the clerk reports (the reviewer
            # sees both; a figure that differs needs a reason).
            block["records"] = {k: block[k] for k in DISPATCH_FIGURES}
        data["blocks"] = blocks or [dict(EMPTY_BLOCK)]
        return data

    def form_class(self, data: dict[str, Any]) -> type[forms.Form]:
        label = DISPATCH_LABELS["progress"]
        blocks = data.get("blocks") or [dict(EMPTY_BLOCK)]

        class DispatchEditForm(TextLimitMixin, forms.Form):
            def clean(self) -> dict[str, Any]:
                cleaned = super().clean() or {}
                for i, block in enumerate(blocks):
                    records = block.get("records")
                    if not records:
                        continue
                    differs = [
                        DISPATCH_LABELS[k]
                        for k in DISPATCH_FIGURES
                        if cleaned.get(f"{k}_{i}") is not None
                        and cleaned.get(f"{k}_{i}") != records.get(k)
                    ]
                    if differs and not (cleaned.get(f"reason_{i}") or "").strip():
                        self.add_error(
                            f"reason_{i}",
                            REASON_REQUIRED
                            % {
                                "name": block.get("project") or block.get("team") or "—",
                                "figures": "、".join(differs),
                            },
                        )
                return cleaned

        for i, block in enumerate(blocks):
            name = block.get("project") or block.get("team") or ""
            if block.get("records"):
                for key in DISPATCH_FIGURES:
                    DispatchEditForm.base_fields[f"{key}_{i}"] = forms.IntegerField(
                        label=f"{DISPATCH_LABELS[key]} · {name}",
                        required=False,  # left empty: the figure stays as it is
                        min_value=0,
                        max_value=10_000_000,
                        help_text=_("系统记录：%(n)s") % {"n": block["records"][key]},
                    )
                DispatchEditForm.base_fields[f"reason_{i}"] = forms.CharField(
                    label=_("与系统记录不同的原因 · %(name)s") % {"name": name},
                    required=False,
                    max_length=REASON_LIMIT,
                )
            DispatchEditForm.base_fields[f"progress_{i}"] = forms.CharField(
                label=f"{label} · {name}" if name else label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
                help_text=_("不超过 %(limit)s 字") % {"limit": PROGRESS_LIMIT},
                validators=[_length_validator("志愿服务进展情况", PROGRESS_LIMIT)],
            )
        return DispatchEditForm

    def initial(self, data: dict[str, Any], narrative: str) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for i, b in enumerate(data.get("blocks") or []):
            initial[f"progress_{i}"] = b.get("progress", "")
            if b.get("records"):
                for key in DISPATCH_FIGURES:
                    initial[f"{key}_{i}"] = b.get(key)
                initial[f"reason_{i}"] = b.get("reason", "")
        return initial

    def apply(self, data: dict[str, Any], cleaned: dict[str, Any]) -> dict[str, Any]:
        blocks = data.get("blocks") or [dict(EMPTY_BLOCK)]
        for i, block in enumerate(blocks):
            if f"progress_{i}" in cleaned:
                block["progress"] = cleaned[f"progress_{i}"]
            for key in DISPATCH_FIGURES:
                if cleaned.get(f"{key}_{i}") is not None:
                    block[key] = cleaned[f"{key}_{i}"]
            if f"reason_{i}" in cleaned:
                block["reason"] = cleaned[f"reason_{i}"].strip()
        data["blocks"] = blocks
        return data

    def validate(self, data: dict[str, Any], *, narrative: str = "", photos: int = 0) -> list[str]:
        errors = super().validate(data, narrative=narrative, photos=photos)
        for block in data.get("blocks") or []:
            text = block.get("progress") or ""
            if len(text) > PROGRESS_LIMIT:
                errors.append(
                    str(NARRATIVE_TOO_LONG)
                    % {"label": "志愿服务进展情况", "limit": PROGRESS_LIMIT, "count": len(text)}
                )
            if not text.strip():
                errors.append(
                    _("请填写“%(name)s”的志愿服务进展情况。")
                    % {"name": block.get("project") or block.get("team") or "—"}
                )
        return errors

    def _columns(self) -> list[Column]:
        return [
            Column("", 20),
            Column("", 16),
            Column("", 14),
            Column("", 16),
            Column("", 10),
            Column("", 16),
        ]

    def _block(self, sheet: SafeSheet, block: dict[str, Any]) -> None:
        L = DISPATCH_LABELS
        h, c = "uv_header", "uv_cell"

        def row(cells: list[tuple[Any, str, int]], height: float | None = None) -> None:
            out: list[Any] = []
            col = 1
            merges = []
            for value, style, span in cells:
                out.append(sheet.cell(value, style))
                for _i in range(span - 1):
                    out.append(sheet.cell(None, style))
                if span > 1:
                    merges.append((col, col + span - 1))
                col += span
            sheet.append(out, height=height)
            for a, b in merges:
                sheet.merge(sheet.rows_written, a, sheet.rows_written, b)

        row([(L["team"], h, 1), (block.get("team"), c, 5)])
        row(
            [
                (L["project"], h, 1),
                (block.get("project"), c, 2),
                (L["team_size"], h, 1),
                (block.get("team_size"), c, 2),
            ]
        )
        row(
            [
                (L["period"], h, 1),
                (block.get("period"), c, 2),
                (L["person_times"], h, 1),
                (block.get("person_times"), c, 2),
            ]
        )
        row([(L["support"], h, 1), (block.get("support"), c, 5)])
        row(
            [
                (L["leader_name"], h, 1),
                (block.get("leader_name"), c, 1),
                (L["leader_position"], h, 1),
                (block.get("leader_position"), c, 1),
                (L["leader_phone"], h, 1),
                (block.get("leader_phone"), c, 1),
            ]
        )
        row(
            [
                (L["paired_unit"], h, 1),
                (block.get("paired_unit"), c, 2),
                (L["beneficiaries"], h, 1),
                (block.get("beneficiaries"), c, 2),
            ]
        )
        row([(L["progress"], h, 1), (block.get("progress"), c, 5)], height=120)

    def write_xlsx(self, workbook: SafeWorkbook, union: Any, data: dict[str, Any]) -> SafeSheet:
        sheet = workbook.add_sheet(_("情况调度表"), self._columns())
        sheet.title(self.title, height=48)
        _meta_header(sheet, union.name, 6)
        for i, block in enumerate(data.get("blocks") or [dict(EMPTY_BLOCK)]):
            if i:
                sheet.append([])
            self._block(sheet, block)
        return sheet

    def write_aggregate(
        self, workbook: SafeWorkbook, parent_union: Any, rows: Sequence[AggregateRow]
    ) -> SafeSheet:
        sheet = workbook.add_sheet(_("情况调度表（汇总）"), self._columns())
        sheet.title(self.title, height=48)
        _meta_header(sheet, parent_union.name, 6)
        totals = {"blocks": 0, "team_size": 0, "person_times": 0, "beneficiaries": 0}
        for i, (union, data) in enumerate(rows):
            if i:  # each union's blocks start a printed page: no block is cut in two
                sheet.page_break()
            sheet.append([sheet.cell(_("填报单位：") + union.name, "uv_meta")], height=24)
            for block in data.get("blocks") or [dict(EMPTY_BLOCK)]:
                self._block(sheet, block)
                totals["blocks"] += 1 if block.get("project") else 0
                for key in ("team_size", "person_times", "beneficiaries"):
                    totals[key] += int(block.get(key) or 0)
        sheet.page_break()
        header = [
            _("合计"),
            _("填报单位数"),
            _("志愿服务项目数"),
            DISPATCH_LABELS["team_size"],
            DISPATCH_LABELS["person_times"],
            DISPATCH_LABELS["beneficiaries"],
        ]
        sheet.append([sheet.cell(x, "uv_header") for x in header])
        sheet.append(
            [
                sheet.cell(_("合计"), "uv_total"),
                sheet.cell(len(rows), "uv_total"),
                sheet.cell(totals["blocks"], "uv_total"),
                sheet.cell(totals["team_size"], "uv_total"),
                sheet.cell(totals["person_times"], "uv_total"),
                sheet.cell(totals["beneficiaries"], "uv_total"),
            ]
        )
        return sheet
