"""The one safe way to write (and open) spreadsheets.

:class:`SafeWorkbook` wraps an openpyxl *write-only* workbook (rows stream to disk,
memory stays flat) and passes every value through :func:`safe_value`:

* characters Excel rejects (control characters) are removed;
* a string beginning with ``=``, ``+``, ``-`` or ``@`` is stored as a text cell,
  never as a formula (CSV/formula injection);
* identifiers such as resident ID numbers are always text cells (number format ``@``).

What a sheet says about its layout reaches the file: column widths, merged ranges,
number formats, row heights sized to the text each row holds, A4 portrait or landscape
fitted to the page width, header rows repeated on every page, manual page breaks and
pictures anchored in a cell range. A write-only worksheet serialises a row inside
``append``, so everything about a row (its height) is decided before it is handed over;
the sheet keeps the row it was last given in hand until the next one arrives, so a
merge declared right after ``append`` still counts when the height is estimated.

Every sheet of unionvol — roster, quota table, registration form, dispatch and
statistics sheets — is written through this class. Usage::

    wb = SafeWorkbook()
    sheet = wb.add_sheet("花名册", [Column("序号", 6, center=True),
                                    Column("身份证号码", 21, text=True),
                                    Column("金额（元）", 14, number_format=MONEY)],
                         landscape=True)
    sheet.title("志愿者名单")
    sheet.header()                       # repeated on every printed page
    sheet.rows(values_iterable)          # fast streaming, heights included
    sheet.spans([Span("工作简历", style="uv_header"), Span(text, cols=6)])  # B:G merged
    sheet.page_break()                   # the next row starts a new page
    sheet.image(photo_file, 2, 7, 5, 7)  # fitted into G2:G5

A form that must stay on one printed page budgets its rows with ``sheet.page_height()``;
text longer than one row can hold (409 pt) is cut into rows with :func:`split_text`.
    wb.response("花名册.xlsx")
"""

from __future__ import annotations

from unionvol.xlsx.geometry import lines_height, split_text, text_width, wrapped_lines
from unionvol.xlsx.parts import Column, Span
from unionvol.xlsx.sheet import SafeSheet
from unionvol.xlsx.styles import (
    DEFAULT_ROW_HEIGHT,
    FORMULA_PREFIXES,
    INTEGER,
    MAX_ROW_HEIGHT,
    MONEY,
    TEXT,
    XLSX_CONTENT_TYPE,
    safe_value,
)
from unionvol.xlsx.workbook import SafeWorkbook, xlsx_file_response

__all__ = [
    "DEFAULT_ROW_HEIGHT",
    "FORMULA_PREFIXES",
    "INTEGER",
    "MAX_ROW_HEIGHT",
    "MONEY",
    "TEXT",
    "XLSX_CONTENT_TYPE",
    "Column",
    "SafeSheet",
    "SafeWorkbook",
    "Span",
    "lines_height",
    "safe_value",
    "split_text",
    "text_width",
    "wrapped_lines",
    "xlsx_file_response",
]
