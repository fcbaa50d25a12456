"""The workbook layer writes what it says: every test saves a workbook and reads the file
back (heights, merges, formats, print settings, breaks, pictures), and — where LibreOffice
is installed — prints it to PDF and counts the pages."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from PIL import Image

from unionvol.xlsx import (
    DEFAULT_ROW_HEIGHT,
    MAX_ROW_HEIGHT,
    MONEY,
    TEXT,
    Column,
    SafeSheet,
    SafeWorkbook,
    Span,
    lines_height,
    split_text,
    text_width,
    wrapped_lines,
)

# A 448-character 进展情况 like the one the issue saw cut to three lines.
PROGRESS = (
    "我校教职工志愿服务队深入结对帮扶村开展助力脱贫攻坚志愿服务，"
    "围绕产业发展、教育帮扶和健康义诊三个方面持续推进。"
) * 11
PROGRESS = "进展开篇。" + PROGRESS[: 448 - 12] + "进展情况结束语"
ID_NUMBER = "21020219600101001X"

FORM_COLUMNS = [Column("", 14), Column("", 22), Column("", 12), Column("", 16), Column("", 14)]


def saved(wb: SafeWorkbook) -> Any:
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return load_workbook(buffer)


def height(ws: Worksheet, row: int) -> float | None:
    return ws.row_dimensions[row].height


def merged(ws: Worksheet) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def form(wb: SafeWorkbook) -> SafeSheet:
    sheet = wb.add_sheet("调度表", FORM_COLUMNS)
    sheet.title("情况调度表")
    return sheet


def test_text_geometry_counts_cjk_double_and_newlines() -> None:
    assert text_width("abc") == 3
    assert text_width("进展abc") == 7
    assert text_width("（，）") == 6  # full-width punctuation
    assert wrapped_lines("短", 10) == 1
    assert wrapped_lines("一\n二\n三", 10) == 3
    assert wrapped_lines("进" * 40, 21) > wrapped_lines("进" * 40, 41) > 1
    assert wrapped_lines("", 10) == 1
    assert lines_height(1000) == MAX_ROW_HEIGHT


def test_a_long_paragraph_in_a_wide_merged_cell_gets_the_height_it_needs() -> None:
    wb = SafeWorkbook()
    sheet = form(wb)
    sheet.spans([Span("负责人姓名", style="uv_header"), Span("王芳", cols=4)])
    sheet.spans([Span("志愿服务进展情况", style="uv_header"), Span(PROGRESS, cols=4)])
    ws = saved(wb).active

    assert len(PROGRESS) == 448
    assert height(ws, 2) is None  # a one-line row keeps the default height
    merged_width = 22 + 12 + 16 + 14
    lines = wrapped_lines(PROGRESS, merged_width)
    assert lines > 10
    assert height(ws, 3) == pytest.approx(lines_height(lines))
    # Sized to the merged width, not the first column's: 22 units would need far more.
    assert height(ws, 3) < lines_height(wrapped_lines(PROGRESS, 22))
    assert ws["B3"].value == PROGRESS
    assert {"B2:E2", "B3:E3"} <= merged(ws)


def test_a_merge_declared_after_append_still_sizes_the_row() -> None:
    """The pattern existing sheet writers use: append, then merge the row just written."""
    wb = SafeWorkbook()
    sheet = form(wb)
    sheet.append([sheet.cell("工作简历", "uv_header"), sheet.cell(PROGRESS)], height=40)
    sheet.merge(sheet.rows_written, 2, sheet.rows_written, 5)
    sheet.append([sheet.cell("备注", "uv_header"), sheet.cell("无")], height=40)
    ws = saved(wb).active

    assert height(ws, 2) == pytest.approx(lines_height(wrapped_lines(PROGRESS, 64)))
    assert height(ws, 3) == 40  # an explicit height is kept when the text is short
    assert height(ws, 1) == 32  # the title's
    assert "B2:E2" in merged(ws)


def test_a_vertical_merge_shares_the_height_over_its_rows() -> None:
    wb = SafeWorkbook()
    sheet = form(wb)
    sheet.merge(2, 2, 3, 2)
    sheet.append([sheet.cell("意见", "uv_header"), sheet.cell("同意。" * 60)])
    sheet.append([sheet.cell("", "uv_header"), sheet.cell(None)])
    ws = saved(wb).active

    need = lines_height(wrapped_lines("同意。" * 60, 22))
    assert height(ws, 2) == pytest.approx(need / 2)
    assert "B2:B3" in merged(ws)


def test_text_too_long_for_one_row_is_split_into_rows_that_each_fit() -> None:
    material = "\n".join([f"典型材料第{i}段。" + "内容" * 120 for i in range(8)])
    pieces = split_text(material, 64)
    assert len(pieces) > 1
    assert "".join(pieces).replace("\n", "") == material.replace("\n", "")
    for piece in pieces:
        assert lines_height(wrapped_lines(piece, 64)) < MAX_ROW_HEIGHT

    wb = SafeWorkbook()
    sheet = form(wb)
    for piece in pieces:
        sheet.spans([Span("", style="uv_header"), Span(piece, cols=4)])
    ws = saved(wb).active
    for row in range(2, 2 + len(pieces)):
        assert DEFAULT_ROW_HEIGHT < height(ws, row) < MAX_ROW_HEIGHT


def test_number_formats_keep_ids_and_phones_text_and_money_with_two_decimals() -> None:
    wb = SafeWorkbook()
    sheet = wb.add_sheet(
        "统计表",
        [
            Column("身份证号码", 21, text=True),
            Column("联系电话", 14, text=True),
            Column("帮困金额（万元）", 14, number_format=MONEY),
            Column("人数", 8),
        ],
    )
    sheet.header()
    sheet.row([ID_NUMBER, 13904110000, 12.5, 3])
    sheet.rows([["110101199001011237", 13904110001, 1234567.891, 4]])
    ws = saved(wb).active

    for row in (2, 3):
        assert ws.cell(row, 1).number_format == TEXT
        assert ws.cell(row, 2).number_format == TEXT
        assert ws.cell(row, 3).number_format == MONEY
        assert ws.cell(row, 4).number_format == "General"
    assert ws["A2"].value == ID_NUMBER
    assert ws["B2"].value == "13904110000"  # text: no 1.39E+10, no lost leading zeros
    assert ws["B3"].value == "13904110001"
    assert ws["C3"].value == pytest.approx(1234567.891)
    # Cells a clerk types below the data take the column's format as well.
    assert ws.column_dimensions["A"].number_format == TEXT
    assert ws.column_dimensions["C"].number_format == MONEY
    assert ws.column_dimensions["A"].width == 21


def test_print_settings_a4_fit_to_width_and_repeated_header_rows() -> None:
    wb = SafeWorkbook()
    portrait = wb.add_sheet("名额分配表", [Column("序号", 8), Column("区市县、产业工会", 30)])
    portrait.title("名额分配表")
    portrait.header()
    landscape = wb.add_sheet("花名册", [Column("序号", 8)], landscape=True)
    landscape.title("花名册")
    landscape.meta([("区市县、产业工会：中山区总工会", 1)])
    landscape.header()
    landscape.header()
    landscape.repeat_rows(3, 4)
    form_sheet = wb.add_sheet("登记表", [Column("", 14)], pages_tall=1)
    form_sheet.title("登记表")
    book = saved(wb)

    for ws, orientation in zip(book.worksheets, ("portrait", "landscape", "portrait"), strict=True):
        assert ws.page_setup.paperSize == int(Worksheet.PAPERSIZE_A4)  # 9: A4
        assert ws.page_setup.orientation == orientation
        assert ws.page_setup.fitToWidth == 1
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert book.worksheets[0].page_setup.fitToHeight == 0  # as many pages as it needs
    assert book.worksheets[2].page_setup.fitToHeight == 1
    assert book.worksheets[0].print_title_rows == "$2:$2"
    assert book.worksheets[1].print_title_rows == "$3:$4"


def test_page_breaks_between_blocks() -> None:
    wb = SafeWorkbook()
    sheet = form(wb)
    for union in ("中山区总工会", "西岗区总工会", "沙河口区总工会"):
        sheet.spans([Span("填报单位：" + union, cols=5, style="uv_meta")])
        sheet.spans([Span("志愿服务进展情况", style="uv_header"), Span(PROGRESS, cols=4)])
        sheet.page_break()
    ws = saved(wb).active
    assert [brk.id for brk in ws.row_breaks.brk] == [3, 5, 7]
    assert all(brk.man for brk in ws.row_breaks.brk)


def photo(size: tuple[int, int], **save: Any) -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", size, "navy").save(out, format="JPEG", **save)
    out.seek(0)
    return out


def test_a_photo_is_embedded_in_its_box_with_its_proportions() -> None:
    wb = SafeWorkbook()
    sheet = wb.add_sheet("登记表", [Column("", 14), Column("", 22), Column("", 16)])
    sheet.title("登记表")
    sheet.append([sheet.cell("姓名", "uv_header"), sheet.cell("王芳"), sheet.cell("照片")])
    assert sheet.image(photo((1200, 1600)), 2, 3, 5, 3)  # placed before its rows exist
    for _ in range(3):
        sheet.append([sheet.cell("x", "uv_header"), sheet.cell(""), sheet.cell(None)], height=30)
    sheet.merge(2, 3, 5, 3)
    ws = saved(wb).active

    (image,) = ws._images
    anchor = image.anchor
    assert anchor._from.col == 2  # column C, zero-based
    assert 1 <= anchor._from.row <= 4  # rows 2..5, zero-based
    emu_per_px = 9525
    box_w = 16 * 7 + 5
    box_h = (DEFAULT_ROW_HEIGHT + 3 * 30) * 96 / 72
    shown_w, shown_h = anchor.ext.width / emu_per_px, anchor.ext.height / emu_per_px
    assert shown_w <= box_w
    assert shown_h <= box_h
    assert shown_w / shown_h == pytest.approx(1200 / 1600, rel=0.01)
    assert max(shown_w / box_w, shown_h / box_h) > 0.9  # fills the box
    # The stored picture is scaled down for the box, not the camera's full size.
    assert image.width <= box_w * 3


def test_a_photo_turned_by_its_exif_orientation_is_stored_upright() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90°: a portrait photo taken with the phone held upright
    wb = SafeWorkbook()
    sheet = wb.add_sheet("登记表", [Column("", 40)])
    sheet.append([sheet.cell("照片")], height=200)
    assert sheet.image(photo((400, 300), exif=exif), 1, 1, 1, 1)
    (image,) = saved(wb).active._images
    assert image.anchor.ext.height > image.anchor.ext.width


def test_an_unreadable_photo_leaves_the_box_empty_and_the_workbook_whole() -> None:
    wb = SafeWorkbook()
    sheet = wb.add_sheet("登记表", [Column("", 14)])
    sheet.append([sheet.cell("照片")])
    assert sheet.image(io.BytesIO(b"not an image"), 1, 1, 1, 1) is False
    ws = saved(wb).active
    assert ws._images == []
    assert ws["A1"].value == "照片"


def test_streamed_rows_get_heights_and_leave_no_row_state_behind() -> None:
    wb = SafeWorkbook()
    sheet = wb.add_sheet(
        "花名册",
        [
            Column("序号", 6, center=True),
            Column("工作单位", 30),
            Column("身份证号码", 21, text=True),
        ],
    )
    sheet.header()
    count = sheet.rows(
        [i, "大连市中山区人民路街道" * (3 if i % 2 else 1), 210202196001010010 + i]
        for i in range(1, 2001)
    )
    assert count == 2000
    assert len(sheet.ws.row_dimensions) == 0  # nothing kept per row: memory stays flat
    ws = saved(wb).active
    assert height(ws, 2) > DEFAULT_ROW_HEIGHT  # row 1: three times the workplace
    assert height(ws, 3) is None  # row 2: fits one line
    assert ws["C2"].value == "210202196001010011"
    assert ws.max_row == 2001


def test_a_short_streamed_row_leaves_the_rest_of_its_cells_empty() -> None:
    wb = SafeWorkbook()
    sheet = wb.add_sheet("x", [Column("a", 10), Column("b", 10), Column("c", 10)])
    sheet.rows([["1", "2", "3"], ["4"]])
    rows = list(saved(wb).active.iter_rows(values_only=True))
    assert rows[1][0] == "4"
    assert not any(rows[1][1:])


@pytest.mark.parametrize("last_width", [8.5, 2])
def test_a_short_streamed_row_is_padded_to_the_column_count_whatever_the_widths(
    last_width: float,
) -> None:
    # The padding once read the last column's width instead of the column count: a
    # fractional width raised TypeError, a narrow one left the previous row's values.
    wb = SafeWorkbook()
    columns = [Column("a", 10), Column("b", 10), Column("c", 10), Column("d", last_width)]
    sheet = wb.add_sheet("x", columns)
    sheet.rows([["1", "2", "3", "4"], ["5"], ["6", "7"]])
    rows = list(saved(wb).active.iter_rows(values_only=True))
    assert rows == [("1", "2", "3", "4"), ("5", None, None, None), ("6", "7", None, None)]


def test_values_are_never_formulas_in_any_path() -> None:
    wb = SafeWorkbook()
    sheet = wb.add_sheet("x", [Column("a", 10), Column("b", 10)])
    sheet.row(["=1+1", "@SUM(A1)"])
    sheet.spans([Span("=HYPERLINK(1)"), Span("-2+3")])
    sheet.rows([["=2+2", "+1"]])
    sheet.rows([["=3+3", "\x07bell"]], plain=True)
    ws = saved(wb).active
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type == "s"
    assert ws["A4"].value == "=3+3"
    assert ws["B4"].value == "bell"


def test_rows_written_straight_to_the_worksheet_come_after_the_row_in_hand() -> None:
    """Existing writers append to ``sheet.ws`` directly for speed; order must hold."""
    wb = SafeWorkbook()
    sheet = wb.add_sheet("x", [Column("a", 10)])
    sheet.header()
    ws = sheet.ws
    ws.append(["data"])
    sheet.rows_written += 1
    sheet.append([sheet.cell("合计", "uv_total")])
    assert [r[0].value for r in saved(wb).active.iter_rows()] == ["a", "data", "合计"]


# --- printed by LibreOffice ------------------------------------------------------------

needs_office = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdfinfo") and shutil.which("pdftotext")),
    reason="LibreOffice (libreoffice-calc-nogui) and poppler-utils are not installed",
)


def to_pdf(wb: SafeWorkbook, tmp_path: Path) -> Path:
    source = tmp_path / "sheet.xlsx"
    wb.save(str(source))
    profile = tmp_path / "profile"  # own profile: other LibreOffice runs may be going on
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return tmp_path / "sheet.pdf"


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    (line,) = [x for x in info.stdout.splitlines() if x.startswith("Pages:")]
    return int(line.split()[1])


def pdf_text(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(
        ["pdftotext", *pages, str(pdf), "-"], check=True, capture_output=True, text=True
    )
    return "".join(out.stdout.split())


@needs_office
def test_printed_one_block_per_page_with_every_paragraph_whole(tmp_path: Path) -> None:
    wb = SafeWorkbook()
    sheet = form(wb)
    unions = ("中山区总工会", "西岗区总工会", "沙河口区总工会")
    for union in unions:
        sheet.spans([Span("填报单位：" + union, cols=5, style="uv_meta")])
        sheet.spans([Span("志愿服务队名称", style="uv_header"), Span("红烛志愿服务队", cols=4)])
        sheet.spans([Span("志愿服务进展情况", style="uv_header"), Span(PROGRESS, cols=4)])
        sheet.page_break()
    pdf = to_pdf(wb, tmp_path)

    assert pdf_pages(pdf) == len(unions)
    text = pdf_text(pdf)
    # The paragraph's last words print, so its row is tall enough (the label beside it
    # is read into the middle of the paragraph by pdftotext, hence only the ends).
    assert text.count("进展开篇。") == len(unions)
    assert text.count(PROGRESS[-30:]) == len(unions)
    assert all(union in text for union in unions)


@needs_office
def test_printed_a_wide_roster_is_one_page_wide_with_its_header_on_every_page(
    tmp_path: Path,
) -> None:
    wb = SafeWorkbook()
    labels = ["序号", "姓名", "性别", "身份证号码", "工作单位", "政治面貌", "身份", "特长"]
    widths = [6, 10, 6, 21, 28, 12, 11, 18]
    sheet = wb.add_sheet(
        "花名册",
        [
            Column(label, width * 2, text=label == "身份证号码")
            for label, width in zip(labels, widths, strict=True)
        ],
        landscape=True,
    )
    sheet.title("服务帮扶志愿者花名册")
    sheet.header()
    sheet.rows(
        [i, f"志愿者{i}", "男", ID_NUMBER, "大连市中山区人民路街道", "群众", "职工", "摄影"]
        for i in range(1, 121)
    )
    pdf = to_pdf(wb, tmp_path)

    pages = pdf_pages(pdf)
    assert pages >= 2  # long enough to run over
    text = pdf_text(pdf)
    assert text.count("身份证号码") == pages  # header repeated, every column on the page
    assert text.count("特长") == pages
    assert "志愿者120" in text


@needs_office
def test_printed_a_form_filled_to_its_page_height_stays_on_one_page(tmp_path: Path) -> None:
    """``page_height`` is what a 登记表 writer budgets per volunteer (one page each)."""
    wb = SafeWorkbook()
    widths = [14, 22, 12, 16, 14, 14, 16]
    sheet = wb.add_sheet("登记表", [Column("", w) for w in widths])
    budget = sheet.page_height()
    for volunteer in range(3):
        sheet.title(f"工会服务帮扶志愿者登记表{volunteer}", height=40)
        used = 40.0
        while used + 60 <= budget * 0.97:
            sheet.spans([Span("工作简历", style="uv_header"), Span("", cols=6)], height=60)
            used += 60
        sheet.page_break()
    pdf = to_pdf(wb, tmp_path)
    assert pdf_pages(pdf) == 3
    for page in range(3):  # each page holds one volunteer's form, whole
        assert pdf_text(pdf, page=page + 1).count("登记表") == 1
        assert f"登记表{page}" in pdf_text(pdf, page=page + 1)
