"""Bar charts as plain SVG geometry, drawn by the template (no JavaScript)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

WIDTH = 640
BAR_AREA = 180
LABEL_HEIGHT = 40
TOP = 28


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # shortened to fit under the bar
    full_label: str
    value: str
    label_x: float
    label_y: float
    value_y: float


@dataclass(frozen=True)
class Chart:
    title: str
    width: int
    height: int
    bars: list[Bar]
    baseline: float
    empty: bool


def text_width(text: str) -> int:
    """Approximate width at font-size 16: CJK characters are square, others about half."""
    return sum(16 if ord(ch) > 0x2E80 else 9 for ch in text)


def fit(text: str, room: float) -> str:
    """The label, cut with an ellipsis where it would overlap its neighbours."""
    if text_width(text) <= room:
        return text
    while text and text_width(text + "…") > room:
        text = text[:-1]
    return text + "…" if text else "…"


def bar_chart(
    title: str, items: list[tuple[str, Any]], *, unit: str = "", cap: Any = None
) -> Chart:
    values = [float(v or 0) for _label, v in items]
    top = float(cap) if cap else max(values or [0]) or 1.0
    n = max(len(items), 1)
    slot = WIDTH / n
    bar_w = max(min(slot * 0.6, 60), 4)
    bars = []
    for i, ((label, _v), value) in enumerate(zip(items, values, strict=True)):
        h = BAR_AREA * min(value / top, 1.0) if top else 0
        x = i * slot + (slot - bar_w) / 2
        y = TOP + BAR_AREA - h
        shown = f"{value:g}{unit}"
        bars.append(
            Bar(
                x=round(x, 1),
                y=round(y, 1),
                width=round(bar_w, 1),
                height=round(h, 1),
                label=fit(str(label), slot - 4),
                full_label=str(label),
                value=shown,
                label_x=round(i * slot + slot / 2, 1),
                label_y=TOP + BAR_AREA + 18,
                value_y=round(y - 4, 1),
            )
        )
    return Chart(
        title=title,
        width=WIDTH,
        height=TOP + BAR_AREA + LABEL_HEIGHT,
        bars=bars,
        baseline=TOP + BAR_AREA,
        empty=not items,
    )
