"""Excel in: a filled 情况调度表 or 统计表 uploaded into a submission.

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
from reports.registry import DISPATCH_LABELS, PROGRESS_LIMIT, WarmthStatsSheet, get_sheet
from reports.services import EDITABLE, STALE, _check_editable
from service.models import ServiceProject, ServiceTeam
from unionvol.forms import DEFAULT_TEXT_LIMIT, text_limit, text_too_long
from unionvol.uploads import open_xlsx

# A statistics sheet's headers carry years ("2019年…", "2018年度…"): match on the rest.
WARMTH_MATCH = {
    "aided": "帮困受助人数",
    "prev_people": "帮困总人数",
    "prev_amount": "帮困总金额",
    "amount_wan": "帮困金额",
    "donations": "一日捐",
    "visits": "慰问走访人数",
}
NUMERIC_DISPATCH = ("team_size", "person_times", "beneficiaries")
# The longest text each item of a 情况调度表 block may hold: what the project's own
# fields hold (支持情况 also carries the amount, "…（1200.00元）").
DISPATCH_TEXT_LIMITS = {
    "team": text_limit(ServiceTeam, "name"),
    "project": text_limit(ServiceProject, "name"),
    "period": 40,
    "support": text_limit(ServiceProject, "support_items") + 30,
    "leader_name": text_limit(ServiceProject, "leader_name"),
    "leader_position": text_limit(ServiceProject, "leader_position"),
    "leader_phone": text_limit(ServiceProject, "leader_phone"),
    "paired_unit": text_limit(ServiceProject, "paired_unit"),
    "progress": PROGRESS_LIMIT,
}
MAX_ROWS = 2000


@dataclass
class ParseResult:
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)  # for the preview


def _norm(value: Any) -> str:
    return (
        "".join(str(value or "").split()).replace("(", "（").replace(")", "）").replace(",", "，")
    )


_DISPATCH_BY_LABEL = {_norm(label): key for key, label in DISPATCH_LABELS.items()}


def _int(value: Any) -> int | None:
    if value in (None, ""):
        return 0
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    if number < 0 or not number.is_integer():
        return None
    return int(number)


def _number(value: Any) -> float | None:
    if value in (None, ""):
        return 0
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return number if number >= 0 else None


def parse_dispatch(ws: Any) -> ParseResult:
    result = ParseResult()
    blocks: list[dict[str, Any]] = []
    for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if number > MAX_ROWS:
            result.errors.append(_("行数过多（上限 %(max)s 行）。") % {"max": MAX_ROWS})
            break
        cells = list(row)
        for i, cell in enumerate(cells):
            key = _DISPATCH_BY_LABEL.get(_norm(cell))
            if key is None:
                continue
            value = next((v for v in cells[i + 1 :] if v not in (None, "")), "")
            if _DISPATCH_BY_LABEL.get(_norm(value)):
                value = ""
            if key == "team":
                blocks.append({})
            if not blocks:
                blocks.append({})
            if key in NUMERIC_DISPATCH:
                parsed = _int(value)
                if parsed is None:
                    result.errors.append(
                        _("第%(row)s行：“%(label)s”必须是非负整数（现为“%(value)s”）。")
                        % {"row": number, "label": DISPATCH_LABELS[key], "value": value}
                    )
                    parsed = 0
                blocks[-1][key] = parsed
            else:
                text = str(value).strip()
                label = "进展情况" if key == "progress" else DISPATCH_LABELS[key]
                limit = DISPATCH_TEXT_LIMITS.get(key, DEFAULT_TEXT_LIMIT)
                too_long = text_too_long(text, limit, label)
                if too_long:
                    result.errors.append(
                        _("第%(row)s行：%(message)s") % {"row": number, "message": too_long}
                    )
                blocks[-1][key] = text
    if not blocks:
        result.errors.append(_("文件中没有找到情况调度表的栏目（如“志愿服务队名称”）。"))
    for block in blocks:
        for key in DISPATCH_LABELS:
            block.setdefault(key, 0 if key in NUMERIC_DISPATCH else "")
    result.data = {"blocks": blocks}
    result.rows = blocks
    return result


def parse_stats(ws: Any, form: WarmthStatsSheet) -> ParseResult:
    result = ParseResult()
    rows = list(ws.iter_rows(values_only=True, max_row=MAX_ROWS))
    header_at = next((i for i, r in enumerate(rows) if r and _norm(r[0]) in ("序号",)), None)
    if header_at is None:
        result.errors.append(_("文件中没有找到统计表的表头（“序号”）。"))
        return result
    header = [_norm(c) for c in rows[header_at]]
    positions: dict[str, int] = {}
    for key, needle in WARMTH_MATCH.items():
        for i, h in enumerate(header):
            if needle in h and i not in positions.values():
                positions[key] = i
                break
    missing = [label for key, label, _w in form.columns if key not in positions]
    if missing:
        result.errors.append(_("缺少栏目：%(cols)s。") % {"cols": "、".join(missing)})
        return result
    data_rows = [r for r in rows[header_at + 1 :] if r and any(v not in (None, "") for v in r)]
    data_rows = [r for r in data_rows if _norm(r[0]) not in ("合计",)]
    if not data_rows:
        result.errors.append(_("统计表中没有数据行。"))
        return result
    values: dict[str, float] = {}
    number = header_at + 2
    row = data_rows[0]
    for key, label, _w in form.columns:
        raw = row[positions[key]] if positions[key] < len(row) else None
        parsed = _number(raw)
        if parsed is None:
            result.errors.append(
                _("第%(row)s行：“%(label)s”必须是非负数（现为“%(value)s”）。")
                % {"row": number, "label": label, "value": raw}
            )
            parsed = 0
        values[key] = int(parsed) if float(parsed).is_integer() else parsed
    result.data = {"stats": values}
    result.rows = [values]
    return result


def parse_upload(*, submission: Submission, upload: Any) -> ParseResult:
    form_id = submission.milestone.form
    if form_id not in ("dispatch", "warmth_stats"):
        return ParseResult(errors=[_("该报表不支持导入 Excel，只支持情况调度表和统计表。")])
    try:
        wb = open_xlsx(upload)
    except ValidationError as exc:
        return ParseResult(errors=[str(m) for m in exc.messages])
    try:
        ws = wb.worksheets[0]
        if form_id == "dispatch":
            return parse_dispatch(ws)
        form = get_sheet(form_id)
        assert isinstance(form, WarmthStatsSheet)
        return parse_stats(ws, form)
    except ValidationError as exc:  # the row limit or the parse deadline, met while reading
        return ParseResult(errors=[str(m) for m in exc.messages])
    finally:
        wb.close()


@transaction.atomic
def apply_import(
    *, submission: Submission, user: Any, parsed: dict[str, Any], version: int
) -> None:
    _check_editable(user, submission)
    data = copy.deepcopy(submission.data) | parsed
    updated = Submission.objects.filter(
        pk=submission.pk, version=version, status__in=EDITABLE
    ).update(data=data, version=F("version") + 1)
    if not updated:
        raise ValidationError(STALE, code="stale")
