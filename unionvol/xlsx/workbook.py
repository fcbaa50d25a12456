"""The one safe write-only workbook, and the download response."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from typing import IO

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from unionvol.xlsx.parts import Column
from unionvol.xlsx.sheet import SafeSheet
from unionvol.xlsx.styles import (
    XLSX_CONTENT_TYPE,
    _styles,
    safe_value,
)


class SafeWorkbook:
    """A write-only workbook whose sheets sanitise every value and print on A4."""

    def __init__(self) -> None:
        self.wb = Workbook(write_only=True)
        for style in _styles():
            self.wb.add_named_style(style)
        self.sheets: list[SafeSheet] = []

    def add_sheet(
        self,
        title: str,
        columns: Sequence[Column],
        *,
        landscape: bool = False,
        pages_tall: int = 0,
    ) -> SafeSheet:
        """A sheet printed on A4, all columns on one page width; ``pages_tall`` 0 lets it
        run over as many pages as it needs (1 squeezes a form onto one page)."""
        # Sheet titles may not contain []:*?/\ and are at most 31 characters.
        clean = "".join(ch for ch in safe_value(title) if ch not in "[]:*?/\\")[:31] or "Sheet"
        ws = self.wb.create_sheet(clean)
        ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = pages_tall
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
        for sheet in self.sheets:
            sheet.close()
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
