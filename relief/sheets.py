"""送温暖活动统计表 (seed 004, identifier ``warmth_stats``): the one class, registered in
the kernel's registry, that the relief page, a submission, ``export_sheet`` and the
whole-campaign workbook all write with.

Layout of the seed's attachment: the title "{year}年教育工会春节送温暖活动统计表", the
line 工会（盖章） / 填表人, then 序号; {year}年春节送温暖帮困受助人数; 帮困金额（万元）;
一日捐筹措资金（元）; 慰问走访人数; {year-1}年度帮困总人数; {year-1}年度帮困总金额（元）.
Aggregated for an upper union: a 工会 column, one row per subordinate union (and the
union's own, 本级), then 合计. The figures are :func:`relief.selectors.warmth_stats`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.utils.translation import gettext as _

from relief import selectors as relief_selectors
from relief.selectors import WarmthRow, WarmthStats
from unionvol.sheets import (
    AggregateEntry,
    AggregateRow,
    EditableFiguresMixin,
    Period,
    ReadResult,
    TableSheet,
    norm_label,
    parse_number,
    plain,
    read_limit,
    register_sheet,
)
from unionvol.xlsx import SafeSheet, SafeWorkbook

WARMTH_KEYS = ("aided", "amount_wan", "donations", "visits", "prev_people", "prev_amount")
WAN_FORMAT = "#,##0.00##"
YUAN_FORMAT = '#,##0.00"元"'
# A filled sheet's headers carry years ("2019年…", "2018年度…"): match on the rest.
WARMTH_MATCH = {
    "aided": "帮困受助人数",
    "prev_people": "帮困总人数",
    "prev_amount": "帮困总金额",
    "amount_wan": "帮困金额",
    "donations": "一日捐",
    "visits": "慰问走访人数",
}
MAX_ROWS = 2000


def stats_of(row: WarmthRow) -> dict[str, Any]:
    return {
        "aided": row.aided,
        "amount_wan": plain(row.amount_wan),
        "donations": plain(row.donations.quantize(Decimal("0.01"))),
        "visits": row.visits,
        "prev_people": row.prev_people,
        "prev_amount": plain(row.prev_amount.quantize(Decimal("0.01"))),
    }


@register_sheet
class WarmthStatsSheet(EditableFiguresMixin, TableSheet):
    """送温暖活动统计表."""

    identifier = "warmth_stats"
    short_title = "送温暖活动统计表"
    title = "教育工会春节送温暖活动统计表"
    readable = True
    landscape = True
    columns = [
        ("aided", "春节送温暖帮困受助人数", 27),
        ("amount_wan", "帮困金额（万元）", 18),
        ("donations", "一日捐筹措资金", 22),
        ("visits", "慰问走访人数", 14),
        ("prev_people", "上年度帮困总人数", 19),
        ("prev_amount", "上年度帮困总金额", 24),
    ]
    sum_keys = WARMTH_KEYS
    union_total = False
    aggregate_width = 34
    figure_container = "stats"
    integer_keys = ("aided", "visits", "prev_people")
    rows_key = "stats"
    single_row = True
    # The seed's labels name no unit but 帮困金额's (万元): the other sums say 元 in the cell.
    formats = {"amount_wan": WAN_FORMAT, "donations": YUAN_FORMAT, "prev_amount": YUAN_FORMAT}

    # --- data -------------------------------------------------------------------------
    has_own_records = True

    def prefill(self, union: Any, period: Period, *, own: bool = False) -> dict[str, Any]:
        # ``own``: the aggregated form's first row is the union's own (本级) figures.
        stats = relief_selectors.warmth_stats(
            user=None, union=union, campaign=period.campaign, aggregate=own
        )
        return self.with_records(
            {"year": stats.year, "stats": stats_of(stats.rows[0])} | self.addressing(period)
        )

    @staticmethod
    def addressing(period: Period) -> dict[str, str]:
        """The note's due date (月日, as the seed writes it) and the notice's e-mail."""
        due = period.milestone.due_date if period.milestone is not None else period.until
        return {
            "due_text": f"{due.month}月{due.day}日" if due else "",
            "send_to": getattr(period.campaign, "contact_email", "") or "",
        }

    def is_empty(self, data: dict[str, Any]) -> bool:
        return not any((data.get("stats") or {}).values())

    def from_stats(self, stats: WarmthStats) -> tuple[dict[str, Any], list[AggregateEntry]]:
        """What the relief page shows (for any user's scope), as this sheet's data: the
        union's row, or (aggregated) one entry per row of the page."""
        campaign = stats.campaign
        milestone = campaign.milestones.filter(form=self.identifier).order_by("-due_date").first()
        addressing = self.addressing(Period(campaign=campaign, milestone=milestone))
        data = {"year": stats.year, "stats": stats_of(stats.rows[0]) if stats.rows else {}}
        data |= addressing
        entries = [
            AggregateEntry(
                SimpleNamespace(name=row.label),
                {"year": stats.year, "stats": stats_of(row)} | addressing,
            )
            for row in stats.rows
        ]
        return data, entries

    def labels(self) -> dict[str, str]:
        return {key: label for key, label, _w in self.columns}

    def columns_for(self, data: dict[str, Any]) -> list[tuple[str, str, float]]:
        year = data.get("year")
        if not year:
            return list(self.columns)
        named = {
            "aided": f"{year}年春节送温暖帮困受助人数",
            "prev_people": f"{year - 1}年度帮困总人数",
            "prev_amount": f"{year - 1}年度帮困总金额",
        }
        return [(k, named.get(k, label), w) for k, label, w in self.columns]

    def title_for(self, data: dict[str, Any]) -> str:
        year = data.get("year")
        return f"{year}年{self.title}" if year else str(self.title)

    def header_line(self, sheet: SafeSheet, union: Any, data: dict[str, Any]) -> None:
        half = max(sheet.width // 2, 1)
        sheet.meta(
            [
                (_("工会（盖章）：%(union)s") % {"union": union.name}, half),
                (_("填表人：%(name)s") % {"name": data.get("filler", "")}, sheet.width - half),
            ]
        )

    def footer(self, sheet: SafeSheet, union: Any, data: dict[str, Any]) -> None:
        sheet.meta([(self.note(data), sheet.width)])

    def note(self, data: dict[str, Any]) -> str:
        """The seed's note: 注：此表请于3月1日前上报，电子表格用excel自制，发<邮箱>, with
        the milestone's due date and the notice's e-mail (kept in the data by prefill)."""
        text = _("注：此表请于%(due)s前上报，电子表格用excel自制，") % {
            "due": data.get("due_text") or _("规定时间")
        }
        if data.get("send_to"):
            text += _("发%(email)s") % {"email": data["send_to"]}
        return text

    def write(
        self, workbook: SafeWorkbook, union: Any, data: dict[str, Any], *, full_ids: bool = False
    ) -> SafeSheet:
        # One union: its row, no 合计 (it would repeat the row).
        cols = self._columns(data, aggregate=False)
        sheet = workbook.add_sheet(self.sheet_title(), cols, landscape=True)
        sheet.title(self.title_for(data))
        self.header_line(sheet, union, data)
        sheet.header()
        keys = [k for k, _l, _w in self.columns]
        for i, row in enumerate(self.rows_of(data), start=1):
            sheet.row([i] + [row.get(k, "") for k in keys], height=22)
        self.footer(sheet, union, data)
        return sheet

    def write_aggregate(
        self,
        workbook: SafeWorkbook,
        parent: Any,
        rows: Sequence[AggregateRow],
        *,
        full_ids: bool = False,
    ) -> SafeSheet:
        sheet = super().write_aggregate(workbook, parent, rows, full_ids=full_ids)
        self.footer(sheet, parent, rows[0][1] if rows else {})
        return sheet

    def filename_for(self, union: Any, data: dict[str, Any]) -> str:
        return f"{self.title_for(data)}-{union.name}.xlsx"

    # --- read back ----------------------------------------------------------------------
    def read(self, worksheet: Any) -> ReadResult:
        import re

        result = ReadResult(labels=list(self.labels().items()))
        rows = list(worksheet.iter_rows(values_only=True, max_row=read_limit(worksheet, MAX_ROWS)))
        header_at = next((i for i, r in enumerate(rows) if r and norm_label(r[0]) == "序号"), None)
        if header_at is None:
            result.errors.append(_("文件中没有找到统计表的表头（“序号”）。"))
            return result
        header = [norm_label(c) for c in rows[header_at]]
        positions: dict[str, int] = {}
        for key, needle in WARMTH_MATCH.items():
            for i, h in enumerate(header):
                if needle in h and i not in positions.values():
                    positions[key] = i
                    break
        missing = [label for key, label, _w in self.columns if key not in positions]
        if missing:
            result.errors.append(_("缺少栏目：%(cols)s。") % {"cols": "、".join(missing)})
            return result
        year = None
        aided_label = header[positions["aided"]]
        if match := re.match(r"(\d{4})年", aided_label):
            year = int(match.group(1))
        else:
            for r in rows[:header_at]:
                if r and (match := re.match(r"(\d{4})年", norm_label(r[0]))):
                    year = int(match.group(1))
                    break
        data_rows = [r for r in rows[header_at + 1 :] if r and any(v not in (None, "") for v in r)]
        data_rows = [
            r for r in data_rows if norm_label(r[0]) not in ("合计",) and norm_label(r[0]).isdigit()
        ]
        if not data_rows:
            result.errors.append(_("统计表中没有数据行。"))
            return result
        values: dict[str, Any] = {}
        number = header_at + 2
        row = data_rows[0]
        labels = {k: label for k, label, _w in self.columns_for({"year": year})}
        for key, _label, _w in self.columns:
            raw = row[positions[key]] if positions[key] < len(row) else None
            parsed = parse_number(raw)
            if parsed is None or (
                key in ("aided", "visits", "prev_people") and parsed != int(parsed)
            ):
                result.errors.append(
                    _("第%(row)s行：“%(label)s”必须是非负数（现为“%(value)s”）。")
                    % {"row": number, "label": labels[key], "value": raw}
                )
                parsed = 0
            values[key] = parsed
        result.data = {"stats": values} | ({"year": year} if year else {})
        result.rows = [values]
        result.labels = [(k, labels[k]) for k in WARMTH_KEYS]
        return result
