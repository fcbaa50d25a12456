"""The report forms (报表) of the seeds as classes in one registry.

A form is identified by the same key as ``campaigns.models.ReportSheet`` (the
milestone's ``form``). To add one, subclass :class:`ReportSheet` and decorate it
with :func:`register`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relief import selectors as relief_selectors
from reports.figures import Figures, figures_for
from service.figures import campaign_participations, counted_projects
from service.models import ServiceTeam, TeamMember
from unionvol.forms import TextLengthValidator, TextLimitMixin
from unionvol.scoping import subtree_q
from unionvol.xlsx import Column, SafeSheet, SafeWorkbook
from volunteers.models import QuotaAllocation, Volunteer, VolunteerStatus
from volunteers.privacy import id_column

AggregateRow = tuple[Any, dict[str, Any]]  # (union, data of that union)

PROGRESS_LIMIT = 500
TYPICAL_LIMIT = 2000
SUMMARY_LIMIT = 5000
NARRATIVE_TOO_LONG = gettext_lazy("%(label)s不能超过 %(limit)s 字（现有 %(count)s 字）。")
PHOTOS_RANGE = gettext_lazy("请附 %(min)s—%(max)s 张活动图片（现有 %(count)s 张）。")


class ReportSheet:
    """Base class of a report form.

    Implementers set:

    * ``identifier`` — the key used by milestones, URLs and ``export_sheet``;
    * ``title`` — the sheet's Chinese title as in the seed;
    * ``narrative_label`` / ``narrative_limit`` — the free-text part (None: no text);
    * ``min_photos`` / ``max_photos`` — photos required on submit (0: none).

    and implement:

    * ``prefill(union, milestone) -> dict`` — the figures from live records (JSON-safe);
    * ``form_class(data)`` — a Django form for the editable part; ``apply(data, cleaned)``
      merges its cleaned data back into ``data`` (by default ``narrative`` only);
    * ``validate(data) -> list[str]`` — messages that block submission;
    * ``write_xlsx(workbook, union, data)`` — one union's sheet in the seed's layout;
    * ``write_aggregate(workbook, parent_union, rows)`` — one row or block per
      subordinate union plus 合计.

    ``render(data)`` / ``template_name`` show ``data`` as HTML on the submission page.
    ``data`` is plain JSON (it is frozen as the snapshot of each submitted version);
    a union's ``narrative`` and photo count are merged into it on submission.
    """

    identifier: ClassVar[str]
    title: ClassVar[str]
    narrative_label: ClassVar[str | None] = None
    narrative_limit: ClassVar[int | None] = None
    min_photos: ClassVar[int] = 0
    max_photos: ClassVar[int] = 0
    template_name: ClassVar[str] = "reports/forms/figures.html"

    # --- data -----------------------------------------------------------------
    def prefill(self, union: Any, milestone: Any) -> dict[str, Any]:
        figures = figures_for(union, campaign=milestone.campaign, until=milestone.due_date)
        return {"figures": figures.as_json()}

    def prefill_campaign(self, union: Any, campaign: Any) -> dict[str, Any]:
        """Data for a union without a milestone (used by ``export_sheet``)."""

        class _Period:
            pass

        period = _Period()
        period.campaign = campaign  # type: ignore[attr-defined]
        period.due_date = campaign.period_end  # type: ignore[attr-defined]
        return self.prefill(union, period)

    def form_class(self, data: dict[str, Any]) -> type[forms.Form]:
        label = self.narrative_label
        limit = self.narrative_limit

        class NarrativeForm(TextLimitMixin, forms.Form):
            pass

        if label:
            NarrativeForm.base_fields["narrative"] = forms.CharField(
                label=label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 8}),
                help_text=_("不超过 %(limit)s 字") % {"limit": limit} if limit else "",
                validators=[_length_validator(label, limit)] if limit else [],
            )
        return NarrativeForm

    def initial(self, data: dict[str, Any], narrative: str) -> dict[str, Any]:
        return {"narrative": narrative}

    def apply(self, data: dict[str, Any], cleaned: dict[str, Any]) -> dict[str, Any]:
        return data

    def validate(self, data: dict[str, Any], *, narrative: str = "", photos: int = 0) -> list[str]:
        errors: list[str] = []
        if self.narrative_label and self.narrative_limit and len(narrative) > self.narrative_limit:
            errors.append(
                str(NARRATIVE_TOO_LONG)
                % {
                    "label": self.narrative_label,
                    "limit": self.narrative_limit,
                    "count": len(narrative),
                }
            )
        if self.min_photos and not (self.min_photos <= photos <= self.max_photos):
            errors.append(
                str(PHOTOS_RANGE)
                % {"min": self.min_photos, "max": self.max_photos, "count": photos}
            )
        return errors

    def figures_of(self, data: dict[str, Any]) -> dict[str, Any]:
        return data.get("figures") or {}

    def render(self, data: dict[str, Any], *, submission: Any = None, request: Any = None) -> str:
        """The form as an HTML fragment (the submission page includes ``template_name``)."""
        from django.template.loader import render_to_string

        from reports.selectors import figure_items

        context = {
            "report_form": self,
            "data": data,
            "figures": figure_items(data.get("figures") or {}),
            "submission": submission,
        }
        return render_to_string(self.template_name, context, request=request)

    # --- xlsx -----------------------------------------------------------------
    short_title: ClassVar[str] = ""

    def sheet_title(self) -> str:
        return str(self.short_title or self.title)

    def write_xlsx(self, workbook: SafeWorkbook, union: Any, data: dict[str, Any]) -> SafeSheet:
        raise NotImplementedError

    def write_aggregate(
        self, workbook: SafeWorkbook, parent_union: Any, rows: Sequence[AggregateRow]
    ) -> SafeSheet:
        raise NotImplementedError


def _length_validator(label: str, limit: int) -> TextLengthValidator:
    return TextLengthValidator(limit, label=label)


REGISTRY: dict[str, ReportSheet] = {}


def register(cls: type[ReportSheet]) -> type[ReportSheet]:
    REGISTRY[cls.identifier] = cls()
    return cls


def get_sheet(identifier: str) -> ReportSheet:
    return REGISTRY[identifier]


def _today() -> str:
    return f"{timezone.localdate():%Y年%m月%d日}"


def _meta_header(sheet: SafeSheet, union_label: str, width: int) -> None:
    half = max(width // 2, 1)
    sheet.meta([(_("填表单位:") + union_label, half), (_("填表日期:") + _today(), width - half)])


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
        for union, data in rows:
            sheet.append([sheet.cell(_("填报单位：") + union.name, "uv_meta")], height=24)
            for block in data.get("blocks") or [dict(EMPTY_BLOCK)]:
                self._block(sheet, block)
                totals["blocks"] += 1 if block.get("project") else 0
                for key in ("team_size", "person_times", "beneficiaries"):
                    totals[key] += int(block.get(key) or 0)
            sheet.append([])
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


@register
class WarmthStatsSheet(TableSheet):
    """送温暖活动统计表 (seed 004). Figures from relief records when that app has them."""

    identifier = "warmth_stats"
    title = "教育工会春节送温暖活动统计表"
    columns = [
        ("aided", "春节送温暖帮困受助人数", 14),
        ("amount_wan", "帮困金额（万元）", 12),
        ("donations", "一日捐筹措资金", 12),
        ("visits", "慰问走访人数", 12),
        ("prev_people", "上年度帮困总人数", 14),
        ("prev_amount", "上年度帮困总金额", 14),
    ]
    sum_keys = ("aided", "amount_wan", "donations", "visits", "prev_people", "prev_amount")

    def prefill(self, union: Any, milestone: Any) -> dict[str, Any]:
        data = super().prefill(union, milestone)
        data["stats"] = _warmth_stats(union, milestone.campaign)
        return data

    def rows_of(self, union: Any, data: dict[str, Any]) -> list[dict[str, Any]]:
        return [data.get("stats") or {}]

    def figures_of(self, data: dict[str, Any]) -> dict[str, Any]:
        return data.get("stats") or {}

    def sheet_title(self) -> str:
        return _("送温暖活动统计表")

    def labels(self, data: dict[str, Any]) -> list[tuple[str, str, float]]:
        year = (data.get("stats") or {}).get("year")
        if not year:
            return list(self.columns)
        named = {
            "aided": f"{year}年春节送温暖帮困受助人数",
            "prev_people": f"{year - 1}年度帮困总人数",
            "prev_amount": f"{year - 1}年度帮困总金额",
        }
        return [(k, named.get(k, label), w) for k, label, w in self.columns]

    def title_of(self, data: dict[str, Any]) -> str:
        year = (data.get("stats") or {}).get("year")
        return f"{year}年{self.title}" if year else str(self.title)


WARMTH_KEYS = ("aided", "amount_wan", "donations", "visits", "prev_people", "prev_amount")


def _warmth_stats(union: Any, campaign: Any) -> dict[str, Any]:
    """The statistics sheet's figures of ``union``, from relief (within the active scope)."""
    empty: dict[str, Any] = dict.fromkeys(WARMTH_KEYS, 0)
    stats = relief_selectors.warmth_stats(user=None, union=union, campaign=campaign)
    row = stats.rows[0] if stats.rows else None
    out = {k: _plain_number(getattr(row, k, 0)) for k in WARMTH_KEYS} if row else empty
    out["year"] = stats.year
    return out


def _warmth_year(campaign: Any) -> int:
    return relief_selectors.campaign_year(campaign)


def _plain_number(value: Any) -> Any:
    from decimal import Decimal

    return float(value) if isinstance(value, Decimal) else (value or 0)


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


def identifiers() -> list[str]:
    return list(REGISTRY)


def describe() -> list[tuple[str, str]]:
    return [(key, str(form.title)) for key, form in REGISTRY.items()]


def empty_figures() -> dict[str, Any]:
    return Figures().as_json()
