"""Cell styles, number formats and the safe value rule (no formulas, no control characters)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side

FORMULA_PREFIXES = ("=", "+", "-", "@")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Number formats sheet writers pass as ``Column(number_format=…)`` or ``cell(number_format=…)``.
TEXT = "@"  # ID numbers, phone numbers, codes: never a number, never 1.2E+17
MONEY = "#,##0.00"
INTEGER = "#,##0"

_thin = Side(style="thin", color="000000")
_BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_FONT = "宋体"
_FONT_SIZE = 11.0

# Row-height estimate. A CJK character is about two column-width units wide at 11 pt, an
# ASCII one about one; a line of 11 pt text needs about 14.5 pt, and the cell keeps a
# little padding. The constants lean generous: printed text is cut off when a row is too
# short, but a row a little too tall costs only white space. Calibrated against
# LibreOffice's PDF export (tests/unionvol/test_xlsx.py checks the printed text is whole).
DEFAULT_ROW_HEIGHT = 15.0
MAX_ROW_HEIGHT = 409.0  # Excel's limit; longer text is split over rows (split_text)
_LINE_FACTOR = 1.35  # line height / font size
_ROW_PADDING = 4.0  # points
_CELL_PADDING = 1.0  # column-width units lost to the cell's inner margins
_WIDTH_SLACK = 0.95  # word-wrapping never fills a line exactly
_DEFAULT_WIDTH = 8.43
# Pixel geometry used to place pictures (Excel's: 7 px per width unit at the default font).
_PX_PER_UNIT = 7
_PX_CELL_PAD = 5
_PX_PER_PT = 96 / 72
_A4_WIDTH_PT, _A4_HEIGHT_PT = 595.3, 841.9
_PICTURE_MARGIN_PX = 4
_PICTURE_OVERSAMPLE = 3  # stored pixels per displayed pixel: sharp when printed
_RECENT_ROWS = 128  # heights remembered for pictures placed over rows already written


def _styles() -> list[NamedStyle]:
    # Every style wraps: a long title, union name or label grows its row instead of
    # running off the printed page.
    return [
        NamedStyle(
            name="uv_title",
            font=Font(name=_FONT, size=16, bold=True),
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        ),
        NamedStyle(
            name="uv_meta",
            font=Font(name=_FONT, size=11),
            alignment=Alignment(horizontal="left", vertical="center", wrap_text=True),
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
            name="uv_right",  # a signature line: 签字 / 日期 at the right of a box
            font=Font(name=_FONT, size=11),
            border=_BORDER,
            alignment=Alignment(horizontal="right", vertical="bottom", wrap_text=True),
        ),
        NamedStyle(
            name="uv_total",
            font=Font(name=_FONT, size=11, bold=True),
            border=_BORDER,
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
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
