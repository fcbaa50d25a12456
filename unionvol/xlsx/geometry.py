"""Text geometry: how many lines a text wraps to in a column, and how tall that prints."""

from __future__ import annotations

import math
import unicodedata

from unionvol.xlsx.styles import (
    _CELL_PADDING,
    _FONT_SIZE,
    _LINE_FACTOR,
    _ROW_PADDING,
    _WIDTH_SLACK,
    MAX_ROW_HEIGHT,
)

# --- text geometry --------------------------------------------------------------------


def text_width(text: str) -> int:
    """Width of one line of ``text`` in column-width units: 2 per CJK (wide, full-width or
    ambiguous) character, 1 per other character."""
    if text.isascii():
        return len(text)
    eaw = unicodedata.east_asian_width
    return sum(2 if eaw(ch) in "WFA" else 1 for ch in text)


def wrapped_lines(text: str, width: float, font_size: float = _FONT_SIZE) -> int:
    """How many lines ``text`` takes in a wrapping cell ``width`` units wide (at least 1).
    Every explicit newline starts a line."""
    usable = max((width - _CELL_PADDING) * _WIDTH_SLACK * _FONT_SIZE / font_size, 1.0)
    return sum(max(1, math.ceil(text_width(part) / usable)) for part in text.split("\n"))


def lines_height(lines: int, font_size: float = _FONT_SIZE) -> float:
    """Row height in points for ``lines`` lines of text (capped at Excel's maximum)."""
    return min(lines * font_size * _LINE_FACTOR + _ROW_PADDING, MAX_ROW_HEIGHT)


def split_text(
    text: str, width: float, font_size: float = _FONT_SIZE, max_height: float = MAX_ROW_HEIGHT
) -> list[str]:
    """``text`` cut into pieces that each fit one row of at most ``max_height`` points in a
    cell ``width`` units wide — at paragraph ends where possible — so a 2,000-character
    典型材料 prints whole over several rows instead of being cut at Excel's 409 points."""
    max_lines = max(int((max_height - _ROW_PADDING) / (font_size * _LINE_FACTOR)), 1)
    usable = max((width - _CELL_PADDING) * _WIDTH_SLACK * _FONT_SIZE / font_size, 1.0)
    pieces: list[str] = []
    current: list[str] = []
    used = 0

    def close() -> None:
        nonlocal current, used
        if current:
            pieces.append("\n".join(current))
        current, used = [], 0

    for paragraph in text.split("\n"):
        need = max(1, math.ceil(text_width(paragraph) / usable))
        if used + need <= max_lines:
            current.append(paragraph)
            used += need
            continue
        close()
        while need > max_lines:  # one paragraph longer than a row: cut it by width
            head, paragraph = _cut(paragraph, usable * max_lines)
            pieces.append(head)
            need = max(1, math.ceil(text_width(paragraph) / usable))
        current, used = [paragraph], need
    close()
    return pieces or [""]


def _cut(text: str, limit: float) -> tuple[str, str]:
    width = 0
    for i, ch in enumerate(text):
        width += text_width(ch)
        if width > limit:
            return text[:i], text[i:]
    return text, ""
