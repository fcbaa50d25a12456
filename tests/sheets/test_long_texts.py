"""A free-text box prints whole: 全年计划 (3,000 characters), 活动总结 (5,000) and 典型材料
(2,000) at their limits go on over as many rows as they need — each row within Excel's
409 points and tall enough for its lines — the label merged down beside them, on the
union's sheet and on the aggregate alike."""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

import pytest
from openpyxl import load_workbook

from service.sheets import PLAN_LIMIT, SUMMARY_LIMIT, TYPICAL_LIMIT
from tests.printed.test_layout import LINE_PT, height, lines_needed, merged_at, width_units
from unionvol.sheets import AggregateEntry, get_sheet
from unionvol.xlsx import SafeWorkbook

UNION = SimpleNamespace(pk=1, name="甲区总工会", path="0001")


def _text(limit: int) -> str:
    """Paragraphs of real length, one of them longer than a row, up to ``limit``."""
    paragraph = "组织志愿者深入社区开展送教下乡、义诊和法律咨询等服务活动，受到群众好评。"
    parts = [paragraph * 3, paragraph * 30]  # the second alone is more than a row
    while len("\n".join(parts)) + len(paragraph) * 4 < limit:
        parts.append(paragraph * 4)
    text = "\n".join(parts)
    return text + "完" * (limit - len(text))


def _written(form: str, data: dict[str, Any], *, aggregate: bool) -> Any:
    wb = SafeWorkbook()
    sheet = get_sheet(form)
    if aggregate:
        sheet.write_aggregate(wb, UNION, [AggregateEntry(UNION, data, submitted=True)])
    else:
        sheet.write(wb, UNION, data)
    out = io.BytesIO()
    wb.save(out)
    return load_workbook(out).active


def _box(ws: Any, start: str) -> list[Any]:
    """The cells of the box whose text starts with ``start``: its first row and those its
    label (column A, merged down beside the text) spans."""
    first = next(c for row in ws.iter_rows() for c in row if str(c.value or "").startswith(start))
    label = next(
        (r for r in ws.merged_cells.ranges if r.min_col == 1 and r.min_row == first.row), None
    )
    assert label is not None, "the label is not merged down beside the text"
    return [ws.cell(r, first.column) for r in range(first.row, label.max_row + 1)]


CASES = [
    ("plan", PLAN_LIMIT, {"teams": []}),
    ("summary", SUMMARY_LIMIT, {"service": {}}),
    ("typical", TYPICAL_LIMIT, {}),
]


@pytest.mark.parametrize("aggregate", [False, True], ids=["union", "aggregate"])
@pytest.mark.parametrize(("form", "limit", "data"), CASES, ids=[c[0] for c in CASES])
def test_a_text_at_its_limit_prints_whole(
    form: str, limit: int, data: dict[str, Any], aggregate: bool
) -> None:
    text = _text(limit)
    assert len(text) == limit
    ws = _written(form, {**data, "narrative": text}, aggregate=aggregate)
    box = _box(ws, text[:20])
    printed = "".join(str(c.value).replace("\n", "") for c in box)
    assert printed == text.replace("\n", "")  # every character, in order, nothing cut
    assert len(box) > 1  # more than one row could hold
    for cell in box:
        row1, col1, row2, col2 = merged_at(ws, cell)
        room = sum(height(ws, r) for r in range(row1, row2 + 1))
        assert height(ws, cell.row) <= 409
        need = lines_needed(str(cell.value), width_units(ws, col1, col2)) * LINE_PT
        assert room >= min(need, 409), (cell.coordinate, room, need)


def _pages(ws: Any) -> list[tuple[int, int]]:
    """The printed pages as row ranges, by the sheet's page breaks."""
    breaks = sorted(b.id for b in ws.row_breaks.brk)
    starts = [1] + [b + 1 for b in breaks]
    ends = [*breaks, ws.max_row]
    return list(zip(starts, ends, strict=True))


@pytest.mark.parametrize("aggregate", [False, True], ids=["union", "aggregate"])
def test_no_dispatch_block_is_cut_by_a_page_end(aggregate: bool) -> None:
    """Eight projects with long 进展情况: each page starts at a block (or the union's name)
    and holds no more than a page, the title rows repeated on each."""
    from service.sheets import DISPATCH_LABELS, PROGRESS_LIMIT
    from unionvol.xlsx import SafeWorkbook as _Workbook

    progress = ("志愿者走访困难职工家庭，送去慰问品并帮助解决实际困难。" * 20)[:PROGRESS_LIMIT]
    blocks = [
        {"team": f"第{i}服务队", "project": f"项目{i}", "team_size": 5, "progress": progress}
        for i in range(8)
    ]
    ws = _written("dispatch", {"blocks": blocks}, aggregate=aggregate)
    assert ws.print_title_rows == "$1:$2"
    pages = _pages(ws)
    assert len(pages) >= 3
    team_label = DISPATCH_LABELS["team"]
    # The page's room, as the sheet computes it from the paper, margins and scale.
    room = _Workbook().add_sheet("x", get_sheet("dispatch")._columns()).page_height()
    titles = sum(height(ws, r) for r in (1, 2))
    for start, _end in pages[1:]:
        first = str(ws.cell(start, 1).value or "")
        assert first in (team_label, "汇总") or first.startswith("填报单位："), (start, first)
    for start, end in pages:
        body = sum(height(ws, r) for r in range(start, end + 1))
        if start > 2:
            body += titles
        assert body <= room, (start, end, body, room)
    texts = [c.value for row in ws.iter_rows() for c in row if c.value == progress]
    assert len(texts) == 8  # every block printed, its text whole
