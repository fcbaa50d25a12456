"""Excel in: a filled official sheet uploaded into a submission, read by its own class
(``OfficialSheet.read``: the 情况调度表 and the 统计表 today).

Every row is checked first; errors carry the row number; nothing is written unless
all rows are valid, and then only after the user confirms the preview.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from reports.models import Submission
from reports.services import EDITABLE, STALE, _check_editable
from unionvol.sheets import ReadResult, get_sheet
from unionvol.uploads import open_xlsx


@dataclass
class PreviewRow:
    """One figure or text of the file beside what the submission holds now."""

    item: str  # e.g. the project's name, or the union
    label: str
    before: Any
    after: Any

    @property
    def changed(self) -> bool:
        return str(self.before if self.before is not None else "") != str(
            self.after if self.after is not None else ""
        )


@dataclass
class ParseResult:
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    preview: list[PreviewRow] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return sum(1 for row in self.preview if row.changed)


def _items(sheet: Any, data: dict[str, Any]) -> list[dict[str, Any]]:
    if "blocks" in data:
        return list(data.get("blocks") or [])
    rows_of = getattr(sheet, "rows_of", None)
    return list(rows_of(data)) if rows_of else []


def preview_of(
    sheet: Any, current: dict[str, Any], narrative: str, read: ReadResult
) -> list[PreviewRow]:
    """Every labelled value read, beside the submission's value (before → after)."""
    before_items = _items(sheet, current)
    rows: list[PreviewRow] = []
    for i, after in enumerate(read.rows or _items(sheet, read.data)):
        before = before_items[i] if i < len(before_items) else {}
        name = str(after.get("project") or after.get("team") or after.get("union") or (i + 1))
        for key, label in read.labels:
            rows.append(PreviewRow(name, label, before.get(key), after.get(key)))
    if "year" in read.data:
        rows.append(PreviewRow("", _("年度"), current.get("year"), read.data["year"]))
    if "narrative" in read.data:
        label = sheet.narrative_label or _("文字材料")
        rows.append(PreviewRow("", label, narrative, read.data["narrative"]))
    return rows


def parse_upload(*, submission: Submission, upload: Any) -> ParseResult:
    sheet = get_sheet(submission.milestone.form)
    if not sheet.readable:
        return ParseResult(
            errors=[_("“%(title)s”不支持导入 Excel。") % {"title": sheet.sheet_title()}]
        )
    try:
        wb = open_xlsx(upload)
    except ValidationError as exc:
        return ParseResult(errors=[str(m) for m in exc.messages])
    try:
        read = sheet.read(wb.worksheets[0])
    except ValidationError as exc:  # the row limit or the parse deadline, met while reading
        return ParseResult(errors=[str(m) for m in exc.messages])
    finally:
        wb.close()
    if read.errors:
        return ParseResult(errors=read.errors)
    data = read.data
    merge = getattr(sheet, "merge_read", None)
    if merge is not None:
        data = {k: v for k, v in merge(submission.data, read.data).items() if k in read.data}
    return ParseResult(
        data=data, preview=preview_of(sheet, submission.data, submission.narrative, read)
    )


@transaction.atomic
def apply_import(
    *, submission: Submission, user: Any, parsed: dict[str, Any], version: int
) -> None:
    _check_editable(user, submission)
    parsed = dict(parsed)
    changes: dict[str, Any] = {}
    if "narrative" in parsed:  # the narrative is the submission's own field
        changes["narrative"] = parsed.pop("narrative")
    data = copy.deepcopy(submission.data) | parsed
    updated = Submission.objects.filter(
        pk=submission.pk, version=version, status__in=EDITABLE
    ).update(data=data, version=F("version") + 1, **changes)
    if not updated:
        raise ValidationError(STALE, code="stale")
