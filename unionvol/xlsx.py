"""The one safe way to write (and open) spreadsheets.

:class:`SafeWorkbook` wraps an openpyxl *write-only* workbook (rows stream to disk,
memory stays flat) and passes every value through :func:`safe_value`:

* characters Excel rejects (control characters) are removed;
* a string beginning with ``=``, ``+``, ``-`` or ``@`` is stored as a text cell,
  never as a formula (CSV/formula injection);
* identifiers such as resident ID numbers are always text cells.

Sheets are set up to print on A4 (fit to width, repeated header rows).
Every sheet of unionvol — roster, quota table, registration form, dispatch and
statistics sheets — is written through this class.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_PREFIXES = ("=", "+", "-", "@")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_thin = Side(style="thin", color="000000")
_BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_FONT = "宋体"


def _styles() -> list[NamedStyle]:
    return [
        NamedStyle(
            name="uv_title",
            font=Font(name=_FONT, size=16, bold=True),
            alignment=Alignment(horizontal="center", vertical="center"),
        ),
        NamedStyle(
            name="uv_meta",
            font=Font(name=_FONT, size=11),
            alignment=Alignment(horizontal="left", vertical="center"),
        ),
        NamedStyle(
            name="uv_header",
            font=Font(name=_FONT, size=11, bold=True),
            border=_BORDER,
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        ),
        NamedStyle(
            name="uv_cell",
            font=Font(name=_FONT, size=11),
            border=_BORDER,
            alignment=Alignment(vertical="center", wrap_text=True),
        ),
        NamedStyle(
            name="uv_center",
            font=Font(name=_FONT, size=11),
            border=_BORDER,
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        ),
        NamedStyle(
            name="uv_total",
            font=Font(name=_FONT, size=11, bold=True),
            border=_BORDER,
            alignment=Alignment(horizontal="center", vertical="center"),
        ),
    ]


def safe_value(value: Any) -> Any:
    """A value Excel will accept, never a formula. Numbers and dates pass through."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


@dataclass(frozen=True)
class Column:
    label: str
    width: float = 12
    text: bool = False  # always a text cell (ID numbers, phone numbers, codes)
    center: bool = False


class SafeSheet:
    def __init__(self, ws: Worksheet, columns: Sequence[Column]) -> None:
        self.ws = ws
        self.columns = list(columns)
        self.rows_written = 0
        for index, column in enumerate(self.columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = column.width

    @property
    def width(self) -> int:
        return max(len(self.columns), 1)

    def cell(self, value: Any, style: str = "uv_cell", *, text: bool = False) -> WriteOnlyCell:
        value = safe_value(value)
        if text and value is not None and not isinstance(value, str):
            value = str(value)
        cell = WriteOnlyCell(self.ws, value=value)
        if isinstance(value, str):
            # openpyxl would turn "=…" into a formula; a text cell keeps it inert.
            cell.data_type = "s"
        cell.style = style
        if isinstance(value, date | datetime):
            cell.number_format = (
                "yyyy-mm-dd" if not isinstance(value, datetime) else "yyyy-mm-dd hh:mm"
            )
        return cell

    def append(self, cells: Iterable[Any], height: float | None = None) -> None:
        self.ws.append(list(cells))
        self.rows_written += 1
        if height:
            self.ws.row_dimensions[self.rows_written].height = height

    def title(self, text: str, height: float = 32) -> None:
        """A title row merged across the sheet's columns."""
        self.append([self.cell(text, "uv_title")], height=height)
        self.merge(self.rows_written, 1, self.rows_written, self.width)

    def meta(self, parts: Sequence[tuple[str, int]]) -> None:
        """A header line such as 填表单位 / 填表日期: (text, columns spanned) pairs."""
        row: list[Any] = []
        col = 1
        for text, span in parts:
            row.append(self.cell(text, "uv_meta"))
            row.extend([None] * (span - 1))
            if span > 1:
                self.merge(self.rows_written + 1, col, self.rows_written + 1, col + span - 1)
            col += span
        self.append(row, height=22)

    def header(self, height: float = 30) -> None:
        self.append([self.cell(c.label, "uv_header") for c in self.columns], height=height)
        self.ws.print_title_rows = f"{self.rows_written}:{self.rows_written}"

    def row(
        self, values: Sequence[Any], style: str | None = None, height: float | None = None
    ) -> None:
        cells = []
        for column, value in zip(self.columns, values, strict=False):
            cell_style = style or ("uv_center" if column.center else "uv_cell")
            cells.append(self.cell(value, cell_style, text=column.text))
        self.append(cells, height=height)

    def merge(self, row1: int, col1: int, row2: int, col2: int) -> None:
        ref = f"{get_column_letter(col1)}{row1}:{get_column_letter(col2)}{row2}"
        self.ws.merged_cells.add(ref)


class SafeWorkbook:
    """A write-only workbook whose sheets sanitise every value and print on A4."""

    def __init__(self) -> None:
        self.wb = Workbook(write_only=True)
        for style in _styles():
            self.wb.add_named_style(style)
        self.sheets: list[SafeSheet] = []

    def add_sheet(
        self, title: str, columns: Sequence[Column], *, landscape: bool = False
    ) -> SafeSheet:
        # Sheet titles may not contain []:*?/\ and are at most 31 characters.
        clean = "".join(ch for ch in safe_value(title) if ch not in "[]:*?/\\")[:31] or "Sheet"
        ws = self.wb.create_sheet(clean)
        ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        sheet = SafeSheet(ws, columns)
        self.sheets.append(sheet)
        return sheet

    @property
    def rows_written(self) -> int:
        return sum(s.rows_written for s in self.sheets)

    def save(self, target: str | IO[bytes]) -> None:
        if not self.sheets:
            self.add_sheet("Sheet", [])
        self.wb.save(target)

    def response(self, filename: str) -> FileResponse:
        """A download: attachment with an RFC 5987-encoded Chinese file name, not cached."""
        tmp = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        self.save(tmp)
        tmp.seek(0)
        return xlsx_file_response(tmp, filename)


def xlsx_file_response(fileobj: IO[bytes], filename: str) -> FileResponse:
    if not filename.endswith(".xlsx"):
        filename += ".xlsx"
    response = FileResponse(
        fileobj, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )
    response["Cache-Control"] = "no-store"
    return response
