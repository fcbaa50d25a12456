"""The service record's official sheets: 情况调度表 (seed 000), 分队组建及全年活动计划
(seed 002), 典型材料 (seed 003) and 活动总结. One class each, registered in the kernel's
registry (:mod:`unionvol.sheets`); the figures come from :mod:`service.figures`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from service.figures import campaign_participations, counted_projects, service_figures
from service.models import ServiceProject, ServiceTeam, TeamMember
from unionvol.forms import DEFAULT_TEXT_LIMIT, TextLimitMixin, text_limit, text_too_long
from unionvol.scoping import subtree_q
from unionvol.sheets import (
    NARRATIVE_TOO_LONG,
    AggregateRow,
    EditableFiguresMixin,
    OfficialSheet,
    Period,
    ReadResult,
    TableSheet,
    date_text,
    length_validator,
    norm_label,
    parse_int,
    plain,
    records_q,
    register_sheet,
    unit_date_header,
)
from unionvol.xlsx import MONEY, Column, SafeSheet, SafeWorkbook, Span

PROGRESS_LIMIT = 500
TYPICAL_LIMIT = 2000
SUMMARY_LIMIT = 5000
PLAN_LIMIT = 3000
MAX_ROWS = 2000

# --- 情况调度表 (seed 000) ------------------------------------------------------------------
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
# A union without a counted project gets one empty block to fill in (blank, not 0).
EMPTY_BLOCK: dict[str, Any] = dict.fromkeys(DISPATCH_LABELS, "")
# The dispatch figures a clerk may correct (with a reason) and the message when none given.
DISPATCH_FIGURES = ("team_size", "person_times", "beneficiaries")
REASON_LIMIT = 200
REASON_REQUIRED = _("“%(name)s”的%(figures)s与系统记录不同，请填写原因。")
# The longest text each item of a block may hold: what the project's own fields hold
# (支持情况 also carries the amount, "…（1200.00元）").
DISPATCH_TEXT_LIMITS = {
    "team": text_limit(ServiceTeam, "name"),
    "project": text_limit(ServiceProject, "name"),
    "period": 40,
    "support": text_limit(ServiceProject, "support_items") + 30,
    "leader_name": text_limit(ServiceProject, "leader_name"),
    "leader_position": text_limit(ServiceProject, "leader_position"),
    "leader_phone": text_limit(ServiceProject, "leader_phone"),
    "paired_unit": text_limit(ServiceProject, "paired_unit"),
    "progress": PROGRESS_LIMIT,
}
_DISPATCH_BY_LABEL = {norm_label(label): key for key, label in DISPATCH_LABELS.items()}


def dispatch_blocks(union: Any, period: Period, *, own: bool = False) -> list[dict[str, Any]]:
    """One block per counted project (service.figures: past proposal), its 人次 counted
    as service.figures counts them (participations inside the campaign's period)."""
    return _blocks(
        counted_projects(period.campaign).filter(records_q(union, "team__union", own=own)), period
    )


def dispatch_blocks_of(unions: Sequence[Any], period: Period) -> dict[int, list[dict[str, Any]]]:
    """:func:`dispatch_blocks` of each union's subtree, in one query for any number of
    unions (an aggregate of those that have not reported)."""
    if not unions:
        return {}
    within = Q()
    for union in unions:
        within |= subtree_q(union, "team__union")
    qs = counted_projects(period.campaign).filter(within).annotate(_path=F("team__union__path"))
    found: dict[int, list[dict[str, Any]]] = {u.pk: [] for u in unions}
    by_path = {u.path: u.pk for u in unions}
    depths = sorted({len(p) for p in by_path})
    for block, path in _blocks(qs, period, with_path=True):
        for depth in depths:  # every listed union whose subtree holds the project
            if depth > len(path):
                break
            if (pk := by_path.get(path[:depth])) is not None:
                found[pk].append(dict(block))
    return found


def _blocks(qs: Any, period: Any, *, with_path: bool = False) -> list[Any]:
    campaign, until = period.campaign, period.until
    qs = qs.select_related("team")
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
    projects = list(qs.order_by("team__union__path", "team__name", "pk"))
    for p in projects:
        when = date_text(p.period_start)
        if p.period_end:
            when += f"至{date_text(p.period_end)}"
        support = p.support_items or ""
        amount = p.support_amount
        if amount:
            support = f"{support}（{amount}元）" if support else f"{amount}元"
        blocks.append(
            {
                "project_id": p.pk,
                "team": p.team.name,
                "project": p.name,
                "team_size": p._size,  # type: ignore[attr-defined]
                "period": when,
                "person_times": p._times,  # type: ignore[attr-defined]
                "support": support,
                "funds": plain(amount or 0),
                "leader_name": p.leader_name,
                "leader_position": p.leader_position,
                "leader_phone": p.leader_phone,
                "paired_unit": p.paired_unit,
                "beneficiaries": p.beneficiaries,
                "progress": (p.progress or "")[:PROGRESS_LIMIT],
            }
        )
    if with_path:
        return [(b, p._path) for b, p in zip(blocks, projects, strict=True)]  # type: ignore[attr-defined]
    return blocks


def _block_name(block: dict[str, Any]) -> str:
    return str(block.get("project") or block.get("team") or "—")


def _differing(block: dict[str, Any]) -> list[str]:
    records = block.get("records") or {}
    return [
        DISPATCH_LABELS[k]
        for k in DISPATCH_FIGURES
        if k in records and int(block.get(k) or 0) != int(records.get(k) or 0)
    ]


@register_sheet
class DispatchSheet(OfficialSheet):
    """情况调度表: one block per counted project; aggregated, each union's blocks start a
    printed page, then 合计 (填报单位数: the unions listed, the 本级 not among them; a note
    says how many of them reported and how many are printed from their records; a team
    of several projects counted once)."""

    identifier = "dispatch"
    short_title = "情况调度表"
    title = DISPATCH_TITLE
    template_name = "service/sheets/dispatch.html"
    readable = True
    WIDTHS = (20, 16, 14, 16, 10, 16)

    def labels(self) -> dict[str, str]:
        return dict(DISPATCH_LABELS)

    has_own_records = True

    def is_empty(self, data: dict[str, Any]) -> bool:
        return not any(b.get("project") for b in data.get("blocks") or [])

    def prefill(self, union: Any, period: Period, *, own: bool = False) -> dict[str, Any]:
        return self._data(dispatch_blocks(union, period, own=own))

    def prefill_many(self, unions: Sequence[Any], period: Period) -> dict[int, dict[str, Any]]:
        return {pk: self._data(b) for pk, b in dispatch_blocks_of(unions, period).items()}

    @staticmethod
    def _data(blocks: list[dict[str, Any]]) -> dict[str, Any]:
        for block in blocks:
            # What the records say, kept beside what the clerk reports (the reviewer
            # sees both; a figure that differs needs a reason).
            block["records"] = {k: block[k] for k in DISPATCH_FIGURES}
        return {"blocks": blocks or [dict(EMPTY_BLOCK)]}

    # --- the web form -------------------------------------------------------------------
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
                            % {"name": _block_name(block), "figures": "、".join(differs)},
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
                validators=[length_validator("志愿服务进展情况", PROGRESS_LIMIT)],
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
                    _("请填写“%(name)s”的志愿服务进展情况。") % {"name": _block_name(block)}
                )
            differs = _differing(block)
            if differs and not (block.get("reason") or "").strip():
                errors.append(
                    REASON_REQUIRED % {"name": _block_name(block), "figures": "、".join(differs)}
                )
        return errors

    # --- xlsx ---------------------------------------------------------------------------
    def _columns(self) -> list[Column]:
        return [Column("", w) for w in self.WIDTHS]

    def _block(self, sheet: SafeSheet, block: dict[str, Any]) -> None:
        L = DISPATCH_LABELS

        def h(text: str, cols: int = 1) -> Span:
            return Span(text, cols=cols, style="uv_header")

        def c(value: Any, cols: int = 1, *, text: bool = False) -> Span:
            return Span(value, cols=cols, text=text)

        def n(value: Any, cols: int = 2) -> Span:  # a figure, centred in its box
            return Span(value, cols=cols, style="uv_center")

        sheet.spans([h(L["team"]), c(block.get("team"), 5)], height=24)
        sheet.spans(
            [
                h(L["project"]),
                c(block.get("project"), 2),
                h(L["team_size"]),
                n(block.get("team_size")),
            ],
            height=30,
        )
        sheet.spans(
            [
                h(L["period"]),
                c(block.get("period"), 2),
                h(L["person_times"]),
                n(block.get("person_times")),
            ],
            height=24,
        )
        sheet.spans([h(L["support"]), c(block.get("support"), 5)], height=24)
        sheet.spans(
            [
                h(L["leader_name"]),
                c(block.get("leader_name")),
                h(L["leader_position"]),
                c(block.get("leader_position")),
                h(L["leader_phone"]),
                c(block.get("leader_phone"), text=True),
            ],
            height=24,
        )
        sheet.spans(
            [
                h(L["paired_unit"]),
                c(block.get("paired_unit"), 2),
                h(L["beneficiaries"]),
                n(block.get("beneficiaries")),
            ],
            height=30,
        )
        # The box is at least as tall as its label needs, and grows with the text.
        sheet.spans([h(L["progress"]), c(block.get("progress"), 5)], height=120)

    def write(
        self, workbook: SafeWorkbook, union: Any, data: dict[str, Any], *, full_ids: bool = False
    ) -> SafeSheet:
        sheet = workbook.add_sheet(_("情况调度表"), self._columns())
        sheet.title(self.title, height=48)
        unit_date_header(sheet, union.name, data)
        sheet.repeat_rows(1, 2)  # the title and 填表单位/填表日期 on every printed page
        repeated = used = sheet.rows_height(1, 2)
        for i, block in enumerate(data.get("blocks") or [dict(EMPTY_BLOCK)]):
            if i:
                sheet.append([])
            first = sheet.rows_written + 1
            self._block(sheet, block)
            # A block runs onto the next page only when it is taller than a page.
            used = sheet.keep_together(first, used, repeated=repeated)
        return sheet

    def write_aggregate(
        self,
        workbook: SafeWorkbook,
        parent: Any,
        rows: Sequence[AggregateRow],
        *,
        full_ids: bool = False,
    ) -> SafeSheet:
        sheet = workbook.add_sheet(_("情况调度表（汇总）"), self._columns())
        sheet.title(self.title, height=48)
        unit_date_header(sheet, parent.name)
        sheet.repeat_rows(1, 2)  # the title and 填表单位/填表日期 on every printed page
        repeated = used = sheet.rows_height(1, 2)
        totals = {"blocks": 0, "team_size": 0, "person_times": 0, "beneficiaries": 0}
        reported = unreported = 0
        teams: set[tuple[Any, str]] = set()  # a team of several projects is counted once
        for i, entry in enumerate(rows):
            union, data = entry
            reported += 1 if getattr(entry, "submitted", False) else 0
            unreported += 1 if getattr(entry, "mark", "") else 0
            if i:  # each union's blocks start a printed page
                sheet.page_break()
                used = repeated
            # A union that has not reported is marked after its name (reports.exports).
            label = _("填报单位：") + union.name
            first = sheet.rows_written + 1
            sheet.spans([Span(label, cols=6, style="uv_meta")], height=24)
            for n, block in enumerate(data.get("blocks") or [dict(EMPTY_BLOCK)]):
                self._block(sheet, block)
                # No block is cut in two: it starts the next page when it would not fit
                # (the union's name stays with its first block).
                used = sheet.keep_together(first, used, repeated=repeated)
                first = sheet.rows_written + 1
                totals["blocks"] += 1 if block.get("project") else 0
                team = (i, block.get("team") or f"#{n}")
                if team not in teams:
                    teams.add(team)
                    totals["team_size"] += int(block.get("team_size") or 0)
                for key in ("person_times", "beneficiaries"):
                    totals[key] += int(block.get(key) or 0)
        sheet.page_break()
        header = [
            _("汇总"),
            _("填报单位数"),
            _("志愿服务项目数"),
            DISPATCH_LABELS["team_size"],
            DISPATCH_LABELS["person_times"],
            DISPATCH_LABELS["beneficiaries"],
        ]
        sheet.append([sheet.cell(x, "uv_header") for x in header], height=30)
        sheet.append(
            [
                sheet.cell(value, "uv_total")
                for value in (
                    _("合计"),
                    reported + unreported,
                    totals["blocks"],
                    totals["team_size"],
                    totals["person_times"],
                    totals["beneficiaries"],
                )
            ]
        )
        note = _(
            "其中已报送%(reported)s个单位，未报送%(unreported)s个单位（按系统记录列出）；"
            "同一服务队承担多个项目的，人数只计一次。"
        ) % {"reported": reported, "unreported": unreported}
        sheet.spans([Span(note, cols=6, style="uv_meta")], height=24)
        return sheet

    # --- read back ----------------------------------------------------------------------
    def read(self, worksheet: Any) -> ReadResult:
        result = ReadResult(labels=[(k, DISPATCH_LABELS[k]) for k in DISPATCH_LABELS])
        blocks: list[dict[str, Any]] = []
        for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS:
                result.errors.append(_("行数过多（上限 %(max)s 行）。") % {"max": MAX_ROWS})
                break
            cells = list(row)
            for i, cell in enumerate(cells):
                key = _DISPATCH_BY_LABEL.get(norm_label(cell))
                if key is None:
                    continue
                value = next((v for v in cells[i + 1 :] if v not in (None, "")), "")
                if _DISPATCH_BY_LABEL.get(norm_label(value)):
                    value = ""
                if key == "team" or not blocks:
                    blocks.append({})
                if key in DISPATCH_FIGURES:
                    parsed = parse_int(value)
                    if parsed is None:
                        result.errors.append(
                            _("第%(row)s行：“%(label)s”必须是非负整数（现为“%(value)s”）。")
                            % {"row": number, "label": DISPATCH_LABELS[key], "value": value}
                        )
                        parsed = 0
                    blocks[-1][key] = parsed
                else:
                    text = str(value).strip()
                    label = "进展情况" if key == "progress" else DISPATCH_LABELS[key]
                    limit = DISPATCH_TEXT_LIMITS.get(key, DEFAULT_TEXT_LIMIT)
                    too_long = text_too_long(text, limit, label)
                    if too_long:
                        result.errors.append(
                            _("第%(row)s行：%(message)s") % {"row": number, "message": too_long}
                        )
                    blocks[-1][key] = text
        if not blocks:
            result.errors.append(_("文件中没有找到情况调度表的栏目（如“志愿服务队名称”）。"))
        for block in blocks:
            for key in DISPATCH_LABELS:
                block.setdefault(key, 0 if key in DISPATCH_FIGURES else "")
        result.data = {"blocks": blocks}
        result.rows = blocks
        return result

    def merge_read(self, data: dict[str, Any], read: dict[str, Any]) -> dict[str, Any]:
        """Blocks read from a file, matched to the current ones by project name (else by
        position), keep what the records say so a changed figure still asks for a reason."""
        current = data.get("blocks") or []
        by_name = {b.get("project"): b for b in current if b.get("project")}
        merged = []
        for i, block in enumerate(read.get("blocks") or []):
            old = by_name.get(block.get("project")) or (current[i] if i < len(current) else {})
            keep = {k: old[k] for k in ("project_id", "records", "reason", "funds") if k in old}
            merged.append(keep | block)
        return data | {"blocks": merged}


# --- tables -------------------------------------------------------------------------------


@register_sheet
class PlanSheet(TableSheet):
    """分队组建及全年活动计划 (seed 002): the union's teams, then the year's plan."""

    identifier = "plan"
    short_title = "分队组建及全年活动计划"
    # The seed's words: 上报职工志愿服务分队组建、全年志愿服务活动计划安排.
    title = "职工志愿服务分队组建、全年志愿服务活动计划安排"
    narrative_label = "全年志愿服务活动计划安排"
    narrative_limit = PLAN_LIMIT
    columns = [
        ("team", "分队名称", 34),
        ("members", "队员人数", 12),
        ("description", "服务内容", 70),
    ]
    sum_keys = ("members",)
    integer_keys = ("members",)
    landscape = True
    rows_key = "teams"

    has_own_records = True

    def is_empty(self, data: dict[str, Any]) -> bool:
        return not data.get("teams")

    def prefill(self, union: Any, period: Period, *, own: bool = False) -> dict[str, Any]:
        qs = (
            ServiceTeam.objects.filter(records_q(union, "union", own=own), campaign=period.campaign)
            .order_by("union__path", "name")
            .annotate(_n=Count("members", distinct=True))
        )
        return {
            "teams": [
                {"team": t.name, "members": t._n, "description": t.description}  # type: ignore[attr-defined]
                for t in qs
            ]
        }

    def footer(self, sheet: SafeSheet, union: Any, data: dict[str, Any]) -> None:
        sheet.text_box(self.narrative_label, data.get("narrative", ""), label_cols=2, height=120)

    def write_aggregate(
        self,
        workbook: SafeWorkbook,
        parent: Any,
        rows: Sequence[AggregateRow],
        *,
        full_ids: bool = False,
    ) -> SafeSheet:
        sheet = super().write_aggregate(workbook, parent, rows, full_ids=full_ids)
        # Each union's plan follows the table, under its name.
        for union, data in rows:
            if (data.get("narrative") or "").strip():
                sheet.text_box(union.name, data["narrative"], label_cols=2, height=60)
        return sheet


FIGURE_COLUMNS: list[tuple[str, str, float]] = [
    ("teams", "志愿服务队数", 13),
    ("members", "队员人数", 10),
    ("projects", "志愿服务项目数", 15),
    ("activities", "活动次数", 10),
    ("person_times", "参与人次", 10),
    ("project_person_times", "参与项目总人次", 12),
    ("hours", "服务时长（小时）", 18),
    ("beneficiaries", "服务对象人数", 12),
    ("funds", "物质或资金支持（元）", 22),
]


@register_sheet
class SummarySheet(EditableFiguresMixin, TableSheet):
    """活动总结 / 全年总结: the period's figures (service.figures, the same as in the
    情况调度表 and the dashboard) and the union's narrative."""

    identifier = "summary"
    short_title = "活动总结"
    title = "职工志愿服务活动总结"
    narrative_label = "活动总结"
    narrative_limit = SUMMARY_LIMIT
    columns = FIGURE_COLUMNS
    sum_keys = tuple(k for k, _l, _w in FIGURE_COLUMNS)
    formats = {"funds": MONEY}
    landscape = True
    union_total = False
    figure_container = "service"
    integer_keys = tuple(k for k, _l, _w in FIGURE_COLUMNS if k not in ("hours", "funds"))
    rows_key = "service"
    single_row = True

    def prefill(self, union: Any, period: Period, *, own: bool = False) -> dict[str, Any]:
        return self.prefill_many([union], period)[union.pk]

    def prefill_many(self, unions: Sequence[Any], period: Period) -> dict[int, dict[str, Any]]:
        """One figures query per depth of the unions (the rollups), however many."""
        found: dict[int, dict[str, Any]] = {}
        for depth in sorted({len(u.path) for u in unions}):
            level = [u for u in unions if len(u.path) == depth]
            figures = service_figures(
                [u.path for u in level], campaign=period.campaign, until=period.until
            )
            for u in level:
                fig = figures[u.path]
                values = {key: plain(getattr(fig, key)) for key, _l, _w in FIGURE_COLUMNS}
                found[u.pk] = self.with_records({"service": values})
        return found

    def validate(self, data: dict[str, Any], *, narrative: str = "", photos: int = 0) -> list[str]:
        errors = super().validate(data, narrative=narrative, photos=photos)
        if not narrative.strip():
            errors.append(_("请填写活动总结。"))
        return errors

    def write_aggregate(
        self,
        workbook: SafeWorkbook,
        parent: Any,
        rows: Sequence[AggregateRow],
        *,
        full_ids: bool = False,
    ) -> SafeSheet:
        sheet = super().write_aggregate(workbook, parent, rows, full_ids=full_ids)
        # Each union's 活动总结 follows the table, under its name.
        for union, data in rows:
            if not (data.get("narrative") or "").strip():
                continue  # nothing written: no empty box
            sheet.text_box(union.name, data["narrative"], label_cols=2, height=40)
        return sheet

    def write(
        self, workbook: SafeWorkbook, union: Any, data: dict[str, Any], *, full_ids: bool = False
    ) -> SafeSheet:
        # One union: its figures, no 合计 row (it would repeat them).
        cols = self._columns(data, aggregate=False)
        sheet = workbook.add_sheet(self.sheet_title(), cols, landscape=True)
        sheet.title(self.title)
        unit_date_header(sheet, union.name, data)
        sheet.header()
        keys = [k for k, _l, _w in self.columns]
        for i, row in enumerate(self.rows_of(data), start=1):
            sheet.row([i] + [row.get(k, "") for k in keys])
        sheet.text_box(_("活动总结"), data.get("narrative", ""), height=120)
        return sheet


@register_sheet
class TypicalSheet(OfficialSheet):
    """典型材料 (seed 003): ≤ 2,000 characters and 2–3 photos, embedded in the sheet."""

    identifier = "typical"
    short_title = "典型材料"
    title = "“和你在一起”职工志愿服务活动典型材料"
    narrative_label = "典型材料"
    narrative_limit = TYPICAL_LIMIT
    min_photos = 2
    max_photos = 3
    PHOTO_ROWS = 12

    def validate(self, data: dict[str, Any], *, narrative: str = "", photos: int = 0) -> list[str]:
        errors = super().validate(data, narrative=narrative, photos=photos)
        if not narrative.strip():
            errors.append(_("请填写典型材料正文。"))
        return errors

    WIDTHS = (22, 40, 40)

    def _union_part(self, sheet: SafeSheet, union: Any, data: dict[str, Any]) -> None:
        # A row holds at most 409 pt: a long text is cut into rows (at paragraph ends
        # where possible) under one label, so it prints whole and never over the title.
        text = data.get("narrative", "") or ""
        # Empty, the box is a blank to write 2,000 characters in by hand: most of a page.
        sheet.text_box(_("典型材料（2000字以内）"), text, height=60 if text.strip() else 360)
        files = list(data.get("photo_files") or [])
        sheet.spans(
            [
                Span(_("活动图片（2—3张）"), style="uv_header"),
                Span(_("%(n)s 张") % {"n": data.get("photos", len(files))}, cols=2),
            ]
        )
        for i, source in enumerate(files):
            if i % 2 == 0:
                sheet.page_break()  # two photos a page, never one cut by a page end
            top = sheet.rows_written + 1
            for _i in range(self.PHOTO_ROWS):
                sheet.append([None, None, None], height=28)
            if hasattr(source, "open"):  # a stored file: opened here, closed here
                with source.open("rb") as handle:
                    sheet.image(handle, top, 2, sheet.rows_written, 3)
            else:
                sheet.image(source, top, 2, sheet.rows_written, 3)

    def write(
        self, workbook: SafeWorkbook, union: Any, data: dict[str, Any], *, full_ids: bool = False
    ) -> SafeSheet:
        sheet = workbook.add_sheet(_("典型材料"), [Column("", w) for w in self.WIDTHS])
        sheet.title(self.title)
        unit_date_header(sheet, union.name, data)
        self._union_part(sheet, union, data)
        return sheet

    def write_aggregate(
        self,
        workbook: SafeWorkbook,
        parent: Any,
        rows: Sequence[AggregateRow],
        *,
        full_ids: bool = False,
    ) -> SafeSheet:
        sheet = workbook.add_sheet(_("典型材料（汇总）"), [Column("", w) for w in self.WIDTHS])
        sheet.title(self.title)
        unit_date_header(sheet, parent.name)
        photos = 0
        for i, (union, data) in enumerate(rows):
            if i:
                sheet.page_break()
            sheet.spans([Span(_("填报单位：") + union.name, cols=3, style="uv_meta")], height=24)
            self._union_part(sheet, union, data)
            photos += int(data.get("photos", 0) or 0)
        sheet.spans(
            [
                Span(_("合计"), style="uv_total"),
                Span(
                    _("%(n)s 个单位，%(p)s 张图片") % {"n": len(rows), "p": photos},
                    cols=2,
                    style="uv_total",
                ),
            ]
        )
        return sheet
