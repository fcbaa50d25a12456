"""One worksheet written in write-only mode, with everything about its layout."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from copy import copy
from datetime import date, datetime
from io import BytesIO
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, OneCellAnchor
from openpyxl.drawing.xdr import XDRPositiveSize2D
from openpyxl.utils import get_column_letter
from openpyxl.utils.units import pixels_to_EMU
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

from unionvol.xlsx.geometry import lines_height, split_text, wrapped_lines
from unionvol.xlsx.parts import Column, Span, _Picture, _StoredImage
from unionvol.xlsx.styles import (
    _A4_HEIGHT_PT,
    _A4_WIDTH_PT,
    _CELL_PADDING,
    _DEFAULT_WIDTH,
    _FONT_SIZE,
    _PICTURE_MARGIN_PX,
    _PICTURE_OVERSAMPLE,
    _PX_CELL_PAD,
    _PX_PER_PT,
    _PX_PER_UNIT,
    _RECENT_ROWS,
    _WIDTH_SLACK,
    DEFAULT_ROW_HEIGHT,
    MAX_ROW_HEIGHT,
    TEXT,
    safe_value,
)


class SafeSheet:
    def __init__(self, ws: Worksheet, columns: Sequence[Column]) -> None:
        self._ws = ws
        self.columns = list(columns)
        self.rows_written = 0
        self._widths = [column.width for column in self.columns]
        self._pending: tuple[list[Any], float | None, int] | None = None
        self._merges: dict[int, list[tuple[int, int, int]]] = {}  # row → (col1, col2, rows)
        self._metrics: dict[tuple[int, int], tuple[bool, float]] = {}
        self._recent: dict[int, float] = {}
        self._watch: dict[int, list[_Picture]] = {}
        self._pictures: list[_Picture] = []
        self._styles: dict[tuple[str, str | None], Any] = {}
        for index, column in enumerate(self.columns, start=1):
            dimension = ws.column_dimensions[get_column_letter(index)]
            dimension.width = column.width
            if column.format:
                # Cells a clerk fills in below the data keep the column's format too.
                dimension.number_format = column.format

    @property
    def ws(self) -> Worksheet:
        """The raw worksheet. The row in hand is written first, so rows appended straight
        to it land after everything appended through the sheet."""
        self._flush()
        return self._ws

    @property
    def width(self) -> int:
        return max(len(self.columns), 1)

    def column_width(self, col: int) -> float:
        return self._widths[col - 1] if col <= len(self._widths) else _DEFAULT_WIDTH

    def cell(
        self,
        value: Any,
        style: str = "uv_cell",
        *,
        text: bool = False,
        number_format: str | None = None,
    ) -> Cell:
        value = safe_value(value)
        if text and value is not None and not isinstance(value, str):
            value = str(value)
        cell = WriteOnlyCell(self._ws, value=value)
        if isinstance(value, str):
            # openpyxl would turn "=…" into a formula; a text cell keeps it inert.
            cell.data_type = "s"
        if number_format:
            fmt: str | None = number_format
        elif text:
            fmt = TEXT
        elif isinstance(value, date | datetime):
            fmt = "yyyy-mm-dd" if not isinstance(value, datetime) else "yyyy-mm-dd hh:mm"
        else:
            fmt = None
        # Named style and number format resolved once per sheet, then copied: assigning
        # them to every cell of a form (30,000 in an aggregated 情况调度表) costs more than
        # writing the cell.
        proto = self._styles.get((style, fmt))
        if proto is None:
            cell.style = style
            if fmt:
                cell.number_format = fmt
            self._styles[(style, fmt)] = copy(cell._style)
        else:
            cell._style = copy(proto)
        return cell

    # --- rows -------------------------------------------------------------------------

    def append(self, cells: Iterable[Any], height: float | None = None) -> None:
        """Append one row. ``height`` (points) is a minimum: the row grows to fit the
        wrapped text of its cells, merged ranges counted at their full width."""
        self._flush()
        self.rows_written += 1
        self._pending = (list(cells), height, self.rows_written)

    def row(
        self, values: Sequence[Any], style: str | None = None, height: float | None = None
    ) -> None:
        """A data row in column order, each value formatted as its column says."""
        cells = []
        for column, value in zip(self.columns, values, strict=False):
            cell_style = style or ("uv_center" if column.center else "uv_cell")
            cells.append(
                self.cell(value, cell_style, text=column.text, number_format=column.number_format)
            )
        self.append(cells, height=height)

    def spans(self, parts: Sequence[Span], height: float | None = None) -> None:
        """A form row: each part fills ``cols`` columns (merged), left to right."""
        cells: list[Any] = []
        col = 1
        for part in parts:
            first = self.cell(
                part.value, part.style, text=part.text, number_format=part.number_format
            )
            cells.append(first)
            # The covered cells carry the style too, so the merged box keeps its border.
            cells.extend(self.cell(None, part.style) for _ in range(part.cols - 1))
            if part.cols > 1:
                self.merge(self.rows_written + 1, col, self.rows_written + 1, col + part.cols - 1)
            col += part.cols
        self.append(cells, height=height)

    def text_box(
        self,
        label: Any,
        text: str,
        *,
        label_cols: int = 1,
        height: float | None = None,
        label_style: str = "uv_header",
    ) -> int:
        """A labelled free-text box (活动总结, 全年计划, 典型材料…) across the rest of the
        row: a text longer than one row can hold (409 pt) goes on over as many rows as it
        needs, cut at paragraph ends where possible, the label merged down beside them,
        so the text prints whole. ``height`` is each row's minimum. Returns the rows."""
        width = sum(self.column_width(c) for c in range(label_cols + 1, self.width + 1))
        pieces = split_text(text or "", width) or [""]
        top = self.rows_written + 1
        for i, piece in enumerate(pieces):
            self.spans(
                [
                    Span(label if i == 0 else None, cols=label_cols, style=label_style),
                    Span(piece, cols=self.width - label_cols),
                ],
                height=height,
            )
        if len(pieces) > 1:
            self.merge(top, 1, self.rows_written, label_cols)
        return len(pieces)

    def rows(
        self, data: Iterable[Sequence[Any]], *, style: str | None = None, plain: bool = False
    ) -> int:
        """Stream many data rows in column order; returns how many were written.

        One cell per column is made once and reused (a write-only sheet serialises the row
        inside ``append``), so 100,000 rows cost little more than a bare openpyxl dump.
        Values are made safe exactly as in :meth:`row`; heights are estimated only for a
        value too long for one line. ``plain`` writes unstyled values (no borders, no
        wrapping, grid lines printed instead) for sheets too long for anyone to print.
        """
        self._flush()
        if plain:
            return self._plain_rows(data)
        ws = self._ws
        cells: list[Cell] = []
        columns: list[tuple[Cell, bool, float, float, bool, float]] = []
        for index, column in enumerate(self.columns, start=1):
            cell = self.cell(None, style or ("uv_center" if column.center else "uv_cell"))
            if column.format:
                cell.number_format = column.format
            cells.append(cell)
            wrap, size = self._cell_metrics(cell)
            width = self.column_width(index)
            # Up to ``fit`` characters surely fit one line (even if all CJK): most values
            # of a roster skip the estimate altogether.
            usable = (width - _CELL_PADDING) * _WIDTH_SLACK * _FONT_SIZE / size
            fit = usable // 2 if wrap else float("inf")
            columns.append((cell, column.format == TEXT, fit, width, wrap, size))
        illegal = ILLEGAL_CHARACTERS_RE.sub
        dims = ws.row_dimensions
        count = 0
        row_index = self.rows_written
        n_columns = len(columns)
        for values in data:
            row_index += 1
            height = 0.0
            if len(values) < n_columns:  # the reused cells must not keep the last row's values
                values = [*values, *([None] * (n_columns - len(values)))]
            for (cell, text, fit, width, wrap, size), value in zip(columns, values, strict=False):
                cls = value.__class__
                if cls is str:  # the common case, inlined: what safe_value does to a str
                    value = illegal("", value)
                elif value is None:
                    value = ""
                elif text:
                    value = str(safe_value(value))
                elif cls is not int:
                    value = safe_value(value)
                cell.value = value
                if value.__class__ is str:
                    cell.data_type = "s"  # never a formula
                    if len(value) > fit or "\n" in value:
                        lines = wrapped_lines(value, width, size) if wrap else value.count("\n") + 1
                        if lines > 1:
                            height = max(height, lines_height(lines, size))
            if height:
                dims[row_index].height = height
                ws.append(cells)
                del dims[row_index]  # memory stays flat over 100,000 rows
            else:
                ws.append(cells)
            self._remember(row_index, height or None)
            count += 1
        self.rows_written = row_index
        return count

    def _plain_rows(self, data: Iterable[Sequence[Any]]) -> int:
        ws = self._ws
        texts = [column.format == TEXT for column in self.columns]
        illegal = ILLEGAL_CHARACTERS_RE.sub
        count = 0
        for values in data:
            out: list[Any] = []
            for text, value in zip(texts, values, strict=False):
                cls = value.__class__
                if cls is str:  # the common case, inlined: what safe_value does to a str
                    value = illegal("", value)
                    if value[:1] == "=":
                        value = _text_cell(ws, value)
                elif value is not None and cls is not int:
                    value = safe_value(value)
                    if text and value is not None and not isinstance(value, str):
                        value = str(value)
                elif text and cls is int:
                    value = str(value)
                out.append(value)
            ws.append(out)
            count += 1
        ws.print_options.gridLines = True
        self.rows_written += count
        self._recent.clear()
        return count

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
        """The column labels, repeated at the top of every printed page."""
        self.append([self.cell(c.label, "uv_header") for c in self.columns], height=height)
        self.repeat_rows(self.rows_written)

    def repeat_rows(self, first: int, last: int | None = None) -> None:
        """Print rows ``first``..``last`` at the top of every page (print titles)."""
        self._ws.print_title_rows = f"{first}:{last or first}"

    def merge(self, row1: int, col1: int, row2: int, col2: int) -> None:
        # Straight into the set: ``MultiCellRange.add`` first scans every range merged so
        # far, which makes a form of thousands of merges (an aggregated 情况调度表 of 200
        # unions) quadratic. A sheet writes each range once.
        self._ws.merged_cells.ranges.add(
            CellRange(min_col=col1, min_row=row1, max_col=col2, max_row=row2)
        )
        pending = self._pending[2] if self._pending else None
        if row1 == pending or row1 > self.rows_written:
            self._merges.setdefault(row1, []).append((col1, col2, row2 - row1 + 1))

    def page_break(self) -> None:
        """Start a new printed page after the last row appended."""
        if self.rows_written:
            self._ws.row_breaks.append(Break(id=self.rows_written))

    def rows_height(self, first: int, last: int) -> float:
        """Points the rows ``first``..``last`` (appended lately: the last
        ``_RECENT_ROWS`` are remembered) print at."""
        self._flush()  # the row in hand gets its height
        return sum(self._recent.get(r, DEFAULT_ROW_HEIGHT) for r in range(first, last + 1))

    def keep_together(self, first: int, used: float, *, repeated: float = 0.0) -> float:
        """Keep the rows ``first``..(the last appended) on one printed page: when they
        would run past the end of the page that ``used`` points of rows already fill, the
        page breaks before ``first``. ``repeated`` is the height of the print titles
        every page starts with. Returns the points used on the page after these rows (a
        group taller than a page starts a page, and runs on as it must)."""
        group = self.rows_height(first, self.rows_written)
        if used > repeated and used + group > self.page_height():
            self._ws.row_breaks.append(Break(id=first - 1))
            return repeated + group
        return used + group

    def page_height(self) -> float:
        """Points of row height one printed page holds, at the scale that fits the columns
        to the page width: a form that must stay on one page (a 登记表 per volunteer)
        caps its free-text boxes so its rows add up to no more than this."""
        ws = self._ws
        landscape = ws.page_setup.orientation == "landscape"
        paper_w, paper_h = (
            (_A4_HEIGHT_PT, _A4_WIDTH_PT) if landscape else (_A4_WIDTH_PT, _A4_HEIGHT_PT)
        )
        margins = ws.page_margins
        room_w = paper_w - (margins.left + margins.right) * 72
        room_h: float = paper_h - (margins.top + margins.bottom) * 72
        sheet_w = sum(self._px_width(c) for c in range(1, self.width + 1)) / _PX_PER_PT
        scale = min(1.0, room_w / sheet_w) if sheet_w else 1.0
        return room_h / scale

    # --- pictures -----------------------------------------------------------------------

    def image(self, source: Any, row1: int, col1: int, row2: int, col2: int) -> bool:
        """Embed a picture centred in the box ``row1,col1``..``row2,col2`` (1-based,
        inclusive), scaled to fit with its proportions kept and turned upright as the
        camera recorded it. ``source`` is a path, a file (an uploaded photo) or PIL image.
        Returns False, leaving the box empty, when the source is not a readable image:
        one bad upload must not stop a whole export."""
        box_w = sum(self._px_width(c) for c in range(col1, col2 + 1))
        try:
            if isinstance(source, PILImage.Image):
                picture = source.copy()
            else:
                if hasattr(source, "seek"):
                    source.seek(0)
                with PILImage.open(source) as opened:
                    picture = ImageOps.exif_transpose(opened)
                    picture.load()
        except (OSError, ValueError, UnidentifiedImageError, PILImage.DecompressionBombError):
            return False
        limit = max(box_w * _PICTURE_OVERSAMPLE, 1)
        if picture.width > limit:
            picture = picture.resize(
                (limit, max(round(picture.height * limit / picture.width), 1)),
                PILImage.Resampling.LANCZOS,
            )
        out = BytesIO()
        if picture.mode in ("RGBA", "LA", "P"):
            picture.save(out, format="PNG", optimize=True)
            fmt = "png"
        else:
            picture.convert("RGB").save(out, format="JPEG", quality=88)
            fmt = "jpeg"
        stored = _Picture(out.getvalue(), fmt, picture.size, (row1, col1, row2, col2), {})
        for row in range(row1, row2 + 1):
            if row in self._recent:
                stored.heights[row] = self._recent[row]
            elif self._pending is None or row >= self._pending[2]:
                self._watch.setdefault(row, []).append(stored)
        self._pictures.append(stored)
        return True

    def _px_width(self, col: int) -> int:
        return int(self.column_width(col) * _PX_PER_UNIT + _PX_CELL_PAD)

    def _place(self, picture: _Picture) -> _StoredImage:
        row1, col1, row2, col2 = picture.box
        widths = [self._px_width(c) for c in range(col1, col2 + 1)]
        heights = [
            round((picture.heights.get(r) or DEFAULT_ROW_HEIGHT) * _PX_PER_PT)
            for r in range(row1, row2 + 1)
        ]
        room_w = max(sum(widths) - 2 * _PICTURE_MARGIN_PX, 1)
        room_h = max(sum(heights) - 2 * _PICTURE_MARGIN_PX, 1)
        scale = min(room_w / picture.size[0], room_h / picture.size[1])
        shown_w, shown_h = picture.size[0] * scale, picture.size[1] * scale
        col, col_off = _locate(widths, (sum(widths) - shown_w) / 2)
        row, row_off = _locate(heights, (sum(heights) - shown_h) / 2)
        image = _StoredImage(picture.data, picture.fmt, picture.size)
        image.anchor = OneCellAnchor(
            _from=AnchorMarker(
                col=col1 - 1 + col,
                colOff=pixels_to_EMU(col_off),
                row=row1 - 1 + row,
                rowOff=pixels_to_EMU(row_off),
            ),
            ext=XDRPositiveSize2D(pixels_to_EMU(shown_w), pixels_to_EMU(shown_h)),
        )
        return image

    # --- writing ------------------------------------------------------------------------

    def _flush(self) -> None:
        if self._pending is None:
            return
        cells, height, index = self._pending
        self._pending = None
        need = self._estimate(cells, self._merges.pop(index, None))
        if need and (height is None or need > height):
            height = need
        ws = self._ws
        if height:
            height = min(height, MAX_ROW_HEIGHT)
            ws.row_dimensions[index].height = height
            ws.append(cells)
            del ws.row_dimensions[index]
        else:
            ws.append(cells)
        self._remember(index, height)

    def _remember(self, index: int, height: float | None) -> None:
        recent = self._recent
        recent[index] = height or DEFAULT_ROW_HEIGHT
        if len(recent) > _RECENT_ROWS:
            del recent[next(iter(recent))]
        watchers = self._watch.pop(index, None)
        if watchers:
            for picture in watchers:
                picture.heights[index] = recent[index]

    def _cell_metrics(self, cell: Cell) -> tuple[bool, float]:
        style = cell._style
        key = (style.alignmentId, style.fontId)
        metrics = self._metrics.get(key)
        if metrics is None:
            wb = self._ws.parent
            wrap = bool(wb._alignments[style.alignmentId].wrap_text)
            size = float(wb._fonts[style.fontId].sz or _FONT_SIZE)
            metrics = self._metrics[key] = (wrap, size)
        return metrics

    def _estimate(
        self, cells: Sequence[Any], merges: list[tuple[int, int, int]] | None
    ) -> float | None:
        """Height (points) the row's text needs, or None when one line is enough."""
        spans = {col1: (col2, rows) for col1, col2, rows in merges or ()}
        covered: set[int] = set()
        best = 0.0
        for col, cell in enumerate(cells, start=1):
            if col in covered or not isinstance(cell, Cell):
                continue
            value = cell._value
            if not isinstance(value, str) or not value:
                continue
            col2, rows = spans.get(col, (col, 1))
            covered.update(range(col + 1, col2 + 1))
            wrap, size = self._cell_metrics(cell)
            if wrap:
                width = sum(self.column_width(c) for c in range(col, col2 + 1))
                lines = wrapped_lines(value, width, size)
            else:
                lines = value.count("\n") + 1
            if lines > 1 or size > _FONT_SIZE:
                best = max(best, lines_height(lines, size) / rows)
        return best if best > DEFAULT_ROW_HEIGHT else None

    def close(self) -> None:
        """Write the row in hand and anchor the pictures (SafeWorkbook.save calls this)."""
        self._flush()
        for picture in self._pictures:
            self._ws.add_image(self._place(picture))
        self._pictures.clear()
        self._watch.clear()


def _text_cell(ws: Worksheet, value: str) -> Cell:
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"  # never a formula
    return cell


def _locate(sizes: Sequence[int], offset: float) -> tuple[int, float]:
    """(index of the cell, offset within it) for ``offset`` pixels into ``sizes``."""
    for index, size in enumerate(sizes):
        if offset < size or index == len(sizes) - 1:
            return index, max(offset, 0)
        offset -= size
    return 0, 0
