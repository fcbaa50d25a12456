"""送温暖活动统计表 (seed 004, identifier ``warmth_stats``), written through SafeWorkbook.

Layout of the seed's attachment: the title "{year}年教育工会春节送温暖活动统计表", the
header line 工会（盖章） / 填表人：, then the columns 序号; {year}年春节送温暖帮困受助人数;
帮困金额（万元）; 一日捐筹措资金; 慰问走访人数; {year-1}年度帮困总人数; {year-1}年度帮困总金额.
The aggregated form for an upper union adds a 工会 column (one row per child union,
the union's own row, and 合计).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from campaigns.models import SheetKind
from relief.selectors import WarmthRow, WarmthStats
from unionvol.xlsx import Column, SafeWorkbook

CENT = Decimal("0.01")
IDENTIFIER = SheetKind.WARMTH_STATS.value  # "warmth_stats"


def title_of(stats: WarmthStats) -> str:
    return _("%(year)s年教育工会春节送温暖活动统计表") % {"year": stats.year}


def labels_of(stats: WarmthStats) -> list[str]:
    year = stats.year
    labels = [
        _("序号"),
        _("%(year)s年春节送温暖帮困受助人数") % {"year": year},
        _("帮困金额（万元）"),
        _("一日捐筹措资金"),
        _("慰问走访人数"),
        _("%(year)s年度帮困总人数") % {"year": year - 1},
        _("%(year)s年度帮困总金额") % {"year": year - 1},
    ]
    if stats.aggregated:
        labels.insert(1, _("工会"))
    return labels


def values_of(stats: WarmthStats, index: int | str, row: WarmthRow) -> list[Any]:
    values: list[Any] = [
        index,
        row.aided,
        row.amount_wan,
        row.donations.quantize(CENT),
        row.visits,
        row.prev_people,
        row.prev_amount.quantize(CENT),
    ]
    if stats.aggregated:
        values.insert(1, row.label)
    return values


def table_of(stats: WarmthStats) -> list[list[Any]]:
    """The body rows as shown on the page and written to the sheet."""
    body = [values_of(stats, i, row) for i, row in enumerate(stats.rows, start=1)]
    if stats.total is not None:
        total = values_of(stats, _("合计"), stats.total)
        if stats.aggregated:
            total[1] = ""
        body.append(total)
    return body


MONEY_FORMAT = "#,##0.00"
WAN_FORMAT = "#,##0.00##"


def write_warmth_stats(stats: WarmthStats, *, filler: str = "") -> SafeWorkbook:
    labels = labels_of(stats)
    widths = [7, 30, 14, 16, 12, 20, 20]
    formats = [None, None, WAN_FORMAT, MONEY_FORMAT, None, None, MONEY_FORMAT]
    if stats.aggregated:
        widths.insert(1, 30)
        formats.insert(1, None)
    columns = [
        Column(label, width=width, center=True) for label, width in zip(labels, widths, strict=True)
    ]
    if stats.aggregated:
        columns[1] = Column(labels[1], width=30)
    wb = SafeWorkbook()
    sheet = wb.add_sheet(_("送温暖活动统计表"), columns, landscape=True)
    sheet.title(title_of(stats))
    half = max(len(columns) // 2, 1)
    sheet.meta(
        [
            (_("工会（盖章）：%(union)s") % {"union": stats.union.name}, half),
            (_("填表人：%(name)s") % {"name": filler}, len(columns) - half),
        ]
    )
    sheet.header()
    for values in table_of(stats):
        is_total = values[0] == _("合计")
        cells = []
        for column, value, number_format in zip(columns, values, formats, strict=True):
            style = "uv_total" if is_total else ("uv_center" if column.center else "uv_cell")
            cell = sheet.cell(value, style)
            if number_format and value is not None:
                cell.number_format = number_format
            cells.append(cell)
        sheet.append(cells, height=22)
    sheet.meta(
        [
            (
                _("注：帮困金额单位为万元；一日捐筹措资金、帮困总金额单位为元。活动：%(doc)s")
                % {"doc": stats.campaign.doc_number},
                len(columns),
            )
        ]
    )
    return wb


def filename_of(stats: WarmthStats) -> str:
    return f"{title_of(stats)}-{stats.union.name}"
