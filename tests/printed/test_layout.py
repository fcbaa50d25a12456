"""The layout each official sheet says it has, read back from the SAVED file: row heights
sized to the text, merged ranges, number formats, print settings, page breaks, pictures.
No LibreOffice needed (tests/printed/test_printed_sheets.py checks the same files printed).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tests.printed.conftest import PROGRESS, RESUME, TYPICAL, VARIANTS, Built
from unionvol.sheets import SHEETS
from unionvol.xlsx import DEFAULT_ROW_HEIGHT, MONEY, TEXT

# The sheets are written once per session (conftest); the mark makes the test database.
pytestmark = pytest.mark.django_db

ALL = [(form, variant) for form in SHEETS for variant in VARIANTS]
# One table each, with column labels repeated on every printed page.
TABLES = ("roster", "quota", "plan", "summary", "warmth_stats")
# Points one line of 11 pt text needs at the least (LibreOffice prints it ~14.5 pt tall).
LINE_PT = 13.0


def sheet_of(built: Built, form: str, variant: str) -> Worksheet:
    wb = load_workbook(built.path(form, variant))
    assert len(wb.worksheets) == 1
    return wb.worksheets[0]


def cells(ws: Worksheet) -> Iterator[Any]:
    for row in ws.iter_rows():
        for cell in row:
            if cell.value not in (None, ""):
                yield cell


def find(ws: Worksheet, text: str, *, exact: bool = True) -> list[Any]:
    return [
        c
        for c in cells(ws)
        if (str(c.value) == text if exact else text in str(c.value)) and c.data_type == "s"
    ]


def height(ws: Worksheet, row: int) -> float:
    return ws.row_dimensions[row].height or DEFAULT_ROW_HEIGHT


def merged_at(ws: Worksheet, cell: Any) -> tuple[int, int, int, int]:
    """(min_row, min_col, max_row, max_col) of the range ``cell`` starts, or the cell."""
    for rng in ws.merged_cells.ranges:
        if rng.min_row == cell.row and rng.min_col == cell.column:
            return rng.min_row, rng.min_col, rng.max_row, rng.max_col
    return cell.row, cell.column, cell.row, cell.column


def width_units(ws: Worksheet, col1: int, col2: int) -> float:
    return sum(
        ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(col1, col2 + 1)
    )


def lines_needed(text: str, width: float) -> int:
    """Lines ``text`` needs at ``width`` column units, counted low: 2 units per CJK
    character, 1 per other, the whole width usable (an estimate independent of the
    workbook layer's own)."""
    total = 0
    for part in text.split("\n"):
        units = sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in part)
        total += max(1, math.ceil(units / width))
    return total


@pytest.mark.parametrize(("form", "variant"), ALL)
def test_writing_a_sheet_leaves_no_file_open(built_sheets: Built, form: str, variant: str) -> None:
    """Photos are read for the sheet and closed again (a long export opens hundreds)."""
    assert built_sheets.leaks.get((form, variant)) == []


# --- row heights ------------------------------------------------------------------------


@pytest.mark.parametrize(("form", "variant"), ALL)
def test_every_wrapped_text_has_the_height_it_needs(
    built_sheets: Built, form: str, variant: str
) -> None:
    """Each cell whose text wraps to several lines sits in rows tall enough for them."""
    ws = sheet_of(built_sheets, form, variant)
    checked = 0
    for cell in cells(ws):
        if not isinstance(cell.value, str) or not cell.alignment.wrap_text:
            continue
        row1, col1, row2, col2 = merged_at(ws, cell)
        lines = lines_needed(cell.value, width_units(ws, col1, col2))
        if lines < 2:
            continue
        room = sum(height(ws, r) for r in range(row1, row2 + 1))
        need = min(lines * LINE_PT, 409 * (row2 - row1 + 1))
        assert room >= need, (cell.coordinate, lines, room, cell.value[:30])
        checked += 1
    if form in ("dispatch", "registration", "typical", "plan", "summary"):
        assert checked, "no free-text cell found to check"


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_448_character_progress_row_is_five_times_the_default(
    built_sheets: Built, variant: str
) -> None:
    ws = sheet_of(built_sheets, "dispatch", variant)
    (box,) = [c for c in find(ws, PROGRESS) if c.column > 1][:1]
    assert height(ws, box.row) >= 5 * DEFAULT_ROW_HEIGHT
    # Proportional to the text: the 448 characters take more room than a one-line row.
    team = find(ws, "志愿服务队名称")[0]
    assert height(ws, box.row) >= 3 * height(ws, team.row)


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_registration_boxes_grow_with_their_text(built_sheets: Built, variant: str) -> None:
    ws = sheet_of(built_sheets, "registration", variant)
    (resume,) = find(ws, RESUME)
    assert height(ws, resume.row) >= 5 * DEFAULT_ROW_HEIGHT
    short = find(ws, "2010年至今在大连商场工作。")
    assert short
    # The short 工作简历 keeps the form's box (sized to fill the printed page); the
    # 600-character one is at least as tall as its wrapped lines need.
    from unionvol.xlsx import lines_height, wrapped_lines

    width = sum(ws.column_dimensions[c].width for c in "BCDEFG")
    assert height(ws, resume.row) >= lines_height(wrapped_lines(resume.value, width))
    assert height(ws, resume.row) >= height(ws, short[0].row)


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_typical_material_prints_whole(built_sheets: Built, variant: str) -> None:
    """1,986 characters: more than one row can hold (409 pt) is split over rows."""
    ws = sheet_of(built_sheets, "typical", variant)
    if variant == "aggregate":
        union = find(ws, built_sheets.union, exact=False)
        assert union
    parts = [c for c in cells(ws) if isinstance(c.value, str) and "劳模志愿服务队" in c.value]
    assert "".join(str(c.value) for c in parts).replace("\n", "") == TYPICAL.replace("\n", "")
    room = sum(height(ws, c.row) for c in parts)
    width = width_units(ws, *merged_at(ws, parts[0])[1::2])
    assert room >= lines_needed(TYPICAL, width) * LINE_PT


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_summary_prints_every_figure_as_the_dispatch_counts_it(
    built_sheets: Built, variant: str
) -> None:
    """活动总结 and 情况调度表 print the same 参与项目总人次 (service.figures), and no
    figure of the summary is left blank."""
    ws = sheet_of(built_sheets, "summary", variant)
    header = find(ws, "参与项目总人次")[0]
    row = find(ws, "合计")[0].row if variant == "aggregate" else header.row + 1
    figures = [
        ws.cell(row=row, column=c).value for c in range(header.column - 5, ws.max_column + 1)
    ]
    assert all(isinstance(v, int | float) for v in figures), figures
    dispatch = sheet_of(built_sheets, "dispatch", variant)
    times = [
        dispatch.cell(row=c.row, column=c.column + 1).value
        for c in find(dispatch, "参与项目总人次")
        if dispatch.cell(row=c.row, column=c.column + 1).value is not None
    ]
    if variant == "aggregate":  # the 合计 line's figure, under its label
        total = find(dispatch, "参与项目总人次")[-1]
        expected = dispatch.cell(row=total.row + 1, column=total.column).value
    else:
        expected = sum(int(t) for t in times)
    assert ws.cell(row=row, column=header.column).value == expected


# --- merged ranges ----------------------------------------------------------------------

# The 情况调度表 of seed 000, six columns: label → (first, last) column of its value box.
DISPATCH_BOXES = {
    "志愿服务队名称": (2, 6),
    "志愿服务项目名称": (2, 3),
    "志愿服务队组成人数": (5, 6),
    "项目执行时间": (2, 3),
    "参与项目总人次": (5, 6),
    "物质或资金支持情况": (2, 6),
    "结对志愿服务单位、社区": (2, 3),
    "服务对象人数": (5, 6),
    "志愿服务进展情况（500字以内，主要做法、特色内容等）": (2, 6),
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_dispatch_block_is_merged_as_the_notice(built_sheets: Built, variant: str) -> None:
    ws = sheet_of(built_sheets, "dispatch", variant)
    assert merged_at(ws, ws["A1"]) == (1, 1, 1, 6)  # the title across the form
    totals = [c.row for c in find(ws, "填报单位数")]  # the aggregate's 合计 comes last
    end = totals[0] if totals else ws.max_row + 1
    blocks = len(find(ws, "志愿服务队名称"))
    assert blocks == (len(built_sheets.addressed) if variant == "aggregate" else 1)
    for label, (first, last) in DISPATCH_BOXES.items():
        found = [c for c in find(ws, label) if c.row < end]
        assert len(found) == blocks, label
        for cell in found:
            value = ws.cell(row=cell.row, column=cell.column + 1)
            assert value.column == first
            assert merged_at(ws, value) == (cell.row, first, cell.row, last), label
    for label in ("负责人姓名", "职务", "电话"):  # one cell each, as in the notice
        for cell in find(ws, label):
            assert merged_at(ws, cell) == (cell.row, cell.column, cell.row, cell.column)


def test_the_registration_form_is_merged_as_the_notice(built_sheets: Built) -> None:
    ws = sheet_of(built_sheets, "registration", "union")
    (name,) = [c for c in find(ws, "姓名") if c.column == 1][:1]
    photo = ws.cell(row=name.row, column=7)
    # The photo box: column G over the four lines 姓名 … 工作单位.
    assert merged_at(ws, photo) == (name.row, 7, name.row + 3, 7)
    for label in ("工作简历", "本人申请"):
        cell = find(ws, label)[0]
        value = ws.cell(row=cell.row, column=2)
        assert merged_at(ws, value) == (cell.row, 2, cell.row, 7), label


# --- number formats ---------------------------------------------------------------------


def column_of(ws: Worksheet, label: str) -> int:
    (cell,) = find(ws, label)[:1]
    return int(cell.column)


def below(ws: Worksheet, col: int, header_row: int) -> list[Any]:
    return [
        ws.cell(row=r, column=col)
        for r in range(header_row + 1, ws.max_row + 1)
        if ws.cell(row=r, column=col).value not in (None, "")
    ]


@pytest.mark.parametrize("variant", VARIANTS)
def test_id_numbers_and_phones_are_text(built_sheets: Built, variant: str) -> None:
    ws = sheet_of(built_sheets, "roster", variant)
    header = find(ws, "身份证号码")[0]
    numbers = [c for c in below(ws, header.column, header.row) if str(c.value)[:1].isdigit()]
    assert len(numbers) == (
        built_sheets.approved_total
        if variant == "aggregate"
        else built_sheets.approved[built_sheets.union]
    )
    for cell in numbers:
        assert cell.number_format == TEXT
        assert cell.data_type == "s"
        assert len(str(cell.value)) == 18  # the full number (operator's export)

    ws = sheet_of(built_sheets, "registration", variant)
    for label in ("身份证号", "联系电话"):
        for cell in find(ws, label):
            value = ws.cell(row=cell.row, column=cell.column + 1)
            assert value.value, label
            assert value.number_format == TEXT, label
            assert value.data_type == "s", label

    ws = sheet_of(built_sheets, "dispatch", variant)
    phones = [ws.cell(row=c.row, column=c.column + 1) for c in find(ws, "电话")]
    assert any(p.value for p in phones)
    for phone in phones:
        assert phone.number_format == TEXT


@pytest.mark.parametrize("variant", VARIANTS)
def test_money_has_two_decimals(built_sheets: Built, variant: str) -> None:
    ws = sheet_of(built_sheets, "warmth_stats", variant)
    for label in ("一日捐筹措资金", "帮困金额（万元）"):
        header = find(ws, label)[0]
        values = [c for c in below(ws, header.column, header.row) if not isinstance(c.value, str)]
        assert values, label
        for cell in values:
            assert cell.number_format.startswith(MONEY), (label, cell.number_format)
    amount = next(c for c in cells(ws) if "帮困总金额" in str(c.value))
    for cell in below(ws, amount.column, amount.row):
        if not isinstance(cell.value, str):
            assert cell.number_format == MONEY + '"元"'  # the unit in the cell, as the seed

    ws = sheet_of(built_sheets, "summary", variant)
    header = find(ws, "物质或资金支持（元）")[0]
    values = [c for c in below(ws, header.column, header.row) if not isinstance(c.value, str)]
    assert values
    for cell in values:
        assert cell.number_format == MONEY


# --- print settings ---------------------------------------------------------------------


@pytest.mark.parametrize(("form", "variant"), ALL)
def test_every_sheet_prints_on_a4_fitted_to_the_width(
    built_sheets: Built, form: str, variant: str
) -> None:
    ws = sheet_of(built_sheets, form, variant)
    assert int(ws.page_setup.paperSize) == int(Worksheet.PAPERSIZE_A4)
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert int(ws.page_setup.fitToWidth) == 1
    assert ws.page_setup.orientation in ("portrait", "landscape")
    if form in TABLES:
        # As many pages down as the rows need; the column labels on every one.
        assert int(ws.page_setup.fitToHeight or 0) == 0
        assert ws.print_title_rows, "the header row is not repeated"
        _first, last = (int(x.strip("$")) for x in ws.print_title_rows.split(":"))
        labels = [ws.cell(row=last, column=c).value for c in range(1, ws.max_column + 1)]
        assert labels[0] == "序号", labels


# --- page breaks and pictures -------------------------------------------------------------


def breaks(ws: Worksheet) -> list[int]:
    return sorted(b.id for b in ws.row_breaks.brk)


def test_the_aggregated_dispatch_starts_each_union_on_a_page(built_sheets: Built) -> None:
    ws = sheet_of(built_sheets, "dispatch", "aggregate")
    starts = {
        name: [c.row for c in find(ws, "填报单位：" + name, exact=False)]
        for name in built_sheets.addressed
    }
    assert all(len(rows) == 1 for rows in starts.values()), starts
    rows = [r[0] for r in starts.values()]
    total = find(ws, "填报单位数")[0].row
    # A break before every union but the first, and before the 合计.
    assert breaks(ws) == [r - 1 for r in rows[1:]] + [total - 1]


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_registration_has_one_volunteer_per_page(built_sheets: Built, variant: str) -> None:
    ws = sheet_of(built_sheets, "registration", variant)
    titles = [c.row for c in find(ws, "工会服务帮扶志愿者登记表")]
    expected = (
        built_sheets.approved_total
        if variant == "aggregate"
        else built_sheets.approved[built_sheets.union]
    )
    assert len(titles) == expected
    assert breaks(ws) == [r - 1 for r in titles[1:]]
    # The form budgets its rows: one volunteer's rows fit one printed page.
    assert int(ws.page_setup.fitToHeight or 0) == 0


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_photo_is_embedded_in_its_box(built_sheets: Built, variant: str) -> None:
    ws = sheet_of(built_sheets, "registration", variant)
    (name,) = find(ws, "欧阳明远")
    top = name.row
    assert len(ws._images) == 1
    anchor = ws._images[0].anchor._from
    assert anchor.col == 6  # column G, 0-based
    assert top - 1 <= anchor.row <= top + 2


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_typical_photos_are_embedded(built_sheets: Built, variant: str) -> None:
    ws = sheet_of(built_sheets, "typical", variant)
    assert len(ws._images) == 3


# --- the 名额分配表 ------------------------------------------------------------------------


def test_the_quota_table_is_one_table_in_both_forms(built_sheets: Built) -> None:
    """One union's table and the aggregate print the same columns the same way: widths,
    and each data cell's alignment (the unions' names centred, as the notice's table)."""

    def layout(variant: str) -> tuple[list[float], list[tuple[str | None, ...]]]:
        ws = sheet_of(built_sheets, "quota", variant)
        header = find(ws, "序号")[0].row
        widths = [ws.column_dimensions[get_column_letter(c)].width for c in range(1, 5)]
        rows = [
            tuple(ws.cell(row=r, column=c).alignment.horizontal for c in range(1, 5))
            for r in range(header + 1, ws.max_row)  # the data rows, not the 合计
            if isinstance(ws.cell(row=r, column=1).value, int)
        ]
        assert rows, variant
        return widths, rows

    union_widths, union_rows = layout("union")
    aggregate_widths, aggregate_rows = layout("aggregate")
    assert union_widths == aggregate_widths
    assert set(union_rows) == set(aggregate_rows) == {("center", "center", "center", None)}
