"""The pieces a sheet is described with: columns, spans of merged cells, pictures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openpyxl.drawing.image import Image as XLImage

from unionvol.xlsx.styles import (
    TEXT,
)

# --- sheets ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    label: str
    width: float = 12
    text: bool = False  # always a text cell (ID numbers, phone numbers, codes)
    center: bool = False
    number_format: str | None = None  # e.g. MONEY; ``text=True`` means TEXT

    @property
    def format(self) -> str | None:
        return TEXT if self.text else self.number_format


@dataclass(frozen=True)
class Span:
    """One cell of a form-like row (``SafeSheet.spans``), merged over ``cols`` columns."""

    value: Any
    cols: int = 1
    style: str = "uv_cell"
    text: bool = False
    number_format: str | None = None


@dataclass
class _Picture:
    data: bytes
    fmt: str
    size: tuple[int, int]  # stored pixels
    box: tuple[int, int, int, int]  # row1, col1, row2, col2
    heights: dict[int, float]


class _StoredImage(XLImage):
    """A picture whose (already scaled) bytes are kept, not re-read from its source at
    save time — by then an uploaded file has long been closed."""

    def __init__(self, data: bytes, fmt: str, size: tuple[int, int]) -> None:
        self.ref = None
        self._bytes = data
        self.format = fmt
        self.width, self.height = size

    def _data(self) -> bytes:
        return self._bytes
