"""The official sheets: one class per notice attachment, one registry for every app.

A notice ends with an attachment each receiving union fills in and sends up (情况调度表,
名额分配表, 登记表, 花名册, 送温暖活动统计表, 分队组建及全年活动计划, 典型材料, 活动总结).
Each is exactly one subclass of :class:`OfficialSheet`, living in the app that owns its
figures (``volunteers.sheets``, ``service.sheets``, ``relief.sheets``) and registered
here with :func:`register_sheet` when that app is ready — in the spirit of pretix's
exporters. Every entry point (page downloads, a submission's xlsx, ``export_sheet``,
the whole-campaign workbook, the background job) looks the class up by identifier with
:func:`get_sheet`; nothing else writes an official sheet.

A sheet knows:

* ``prefill(union, period)`` — its data for one union from the owning app's figures
  (plain JSON: a submission freezes it as the snapshot of each submitted version);
* ``write(workbook, union, data, full_ids=…)`` — the union's sheet in the notice's layout;
* ``write_aggregate(workbook, parent, rows, full_ids=…)`` — an upper union's sheet: one
  row or block per subordinate union in the notice's column order, then 合计;
* ``form_class`` / ``initial`` / ``apply`` / ``validate`` — the web form of what a clerk
  may edit, and what blocks submission;
* ``render`` — the data as HTML on the submission page, labelled, never raw keys;
* ``read(worksheet)`` — the same sheet filled offline, read back (``readable``).

The kernel imports no app: the classes arrive through registration.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionvol.forms import TextLengthValidator, TextLimitMixin
from unionvol.xlsx import Column, SafeSheet, SafeWorkbook


class _Marked:
    """A union whose ``name`` carries a mark (e.g. "（未报送，按系统记录）"); every other
    attribute is the union's. The sheets print ``union.name``, so the mark goes wherever
    the union's name does."""

    def __init__(self, union: Any, mark: str) -> None:
        self._union = union
        self.name = f"{union.name}{mark}"

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._union, attr)


class AggregateEntry:
    """One subordinate union in an aggregated sheet: its data, and whether that data is
    what the union submitted (``submitted``) or live records standing in for it. Live
    records standing in for a report carry a ``mark`` after the union's name, so that no
    printed sheet passes them off as the union's report."""

    __slots__ = ("data", "mark", "submitted", "union")

    def __init__(
        self, union: Any, data: dict[str, Any], submitted: bool = False, mark: str = ""
    ) -> None:
        self.union = _Marked(union, mark) if mark else union
        self.data = data
        self.submitted = submitted
        self.mark = mark

    def __iter__(self) -> Any:  # ``for union, data in rows``
        return iter((self.union, self.data))

    def __getitem__(self, index: int) -> Any:  # ``rows[0][1]``
        return (self.union, self.data)[index]

    def __len__(self) -> int:
        return 2


# A subordinate union's entry in an aggregated sheet: (union, data of that union).
AggregateRow = AggregateEntry | tuple[Any, dict[str, Any]]

NARRATIVE_TOO_LONG = gettext_lazy("%(label)s不能超过 %(limit)s 字（现有 %(count)s 字）。")
PHOTOS_RANGE = gettext_lazy("请附 %(min)s—%(max)s 张活动图片（现有 %(count)s 张）。")
NOT_READABLE = gettext_lazy("“%(title)s”不支持从 Excel 导入。")
UNKNOWN_SHEET = gettext_lazy("未知的表格：%(name)s")
NO_HEADER = gettext_lazy("文件中没有找到“%(title)s”的表头（“%(label)s”）。")
MISSING_COLUMNS = gettext_lazy("缺少栏目：%(cols)s。")
NO_ROWS = gettext_lazy("“%(title)s”中没有数据行。")
BAD_NUMBER = gettext_lazy("第%(row)s行：“%(label)s”必须是%(kind)s（现为“%(value)s”）。")


@dataclass(frozen=True)
class Period:
    """What a sheet is about: a campaign, up to a date (a milestone's due date, or the
    campaign's end when no milestone is given)."""

    campaign: Any
    until: date | None = None
    milestone: Any = None

    @classmethod
    def of_milestone(cls, milestone: Any) -> Period:
        return cls(campaign=milestone.campaign, until=milestone.due_date, milestone=milestone)

    @classmethod
    def of_campaign(cls, campaign: Any) -> Period:
        return cls(campaign=campaign, until=getattr(campaign, "period_end", None))


@dataclass
class ReadResult:
    """A filled sheet read back: the data to merge, row-level errors, preview rows."""

    data: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    labels: list[tuple[str, str]] = field(default_factory=list)  # (key, label) of the preview


class OfficialSheet:
    """Base class of an official sheet (see the module docstring).

    Subclasses set ``identifier`` (the key used by milestones, URLs and ``export_sheet``),
    ``title`` (the sheet's title as in the seed), ``short_title`` and, when the sheet has
    a free-text part, ``narrative_label`` / ``narrative_limit``; ``min_photos`` /
    ``max_photos`` when photos are required on submit.
    """

    identifier: ClassVar[str]
    title: ClassVar[str]
    short_title: ClassVar[str] = ""
    narrative_label: ClassVar[str | None] = None
    narrative_limit: ClassVar[int | None] = None
    min_photos: ClassVar[int] = 0
    max_photos: ClassVar[int] = 0
    template_name: ClassVar[str] = "sheets/figures.html"
    readable: ClassVar[bool] = False
    # Carries resident ID numbers: the writer takes ``full_ids`` from the one rule.
    has_id_numbers: ClassVar[bool] = False
    # Aggregated, the upper union's own records (本级) come first, as one more entry:
    # ``prefill(union, period, own=True)`` gives the records of that union alone.
    has_own_records: ClassVar[bool] = False

    # --- data -----------------------------------------------------------------------
    def prefill(self, union: Any, period: Period, *, own: bool = False) -> dict[str, Any]:
        """The union's data from live records (plain JSON): its subtree's, or with
        ``own`` (sheets with ``has_own_records``) the records of the union alone."""
        return {}

    def prefill_many(self, unions: Sequence[Any], period: Period) -> dict[int, dict[str, Any]]:
        """:meth:`prefill` of each of ``unions`` (their subtrees), by pk. Sheets whose
        prefill is one query a union do it at once for all (an aggregate's unions that
        have not reported)."""
        return {u.pk: self.prefill(u, period) for u in unions}

    def is_empty(self, data: dict[str, Any]) -> bool:
        """Nothing to show (an own-records entry that is empty is left out)."""
        return False

    def labels(self) -> dict[str, str]:
        """Label of each key of the data (the submission page never shows keys)."""
        return {}

    def form_class(self, data: dict[str, Any]) -> type[forms.Form]:
        label = self.narrative_label
        limit = self.narrative_limit

        class NarrativeForm(TextLimitMixin, forms.Form):
            pass

        if label:
            NarrativeForm.base_fields["narrative"] = forms.CharField(
                label=label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 8}),
                help_text=_("不超过 %(limit)s 字") % {"limit": limit} if limit else "",
                validators=[length_validator(label, limit)] if limit else [],
            )
        return NarrativeForm

    def initial(self, data: dict[str, Any], narrative: str) -> dict[str, Any]:
        return {"narrative": narrative}

    def apply(self, data: dict[str, Any], cleaned: dict[str, Any]) -> dict[str, Any]:
        return data

    def validate(self, data: dict[str, Any], *, narrative: str = "", photos: int = 0) -> list[str]:
        errors: list[str] = []
        if self.narrative_label and self.narrative_limit and len(narrative) > self.narrative_limit:
            errors.append(
                str(NARRATIVE_TOO_LONG)
                % {
                    "label": self.narrative_label,
                    "limit": self.narrative_limit,
                    "count": len(narrative),
                }
            )
        if self.min_photos and not (self.min_photos <= photos <= self.max_photos):
            errors.append(
                str(PHOTOS_RANGE)
                % {"min": self.min_photos, "max": self.max_photos, "count": photos}
            )
        return errors

    def render(self, data: dict[str, Any], *, submission: Any = None, request: Any = None) -> str:
        """The data as an HTML fragment (the submission page includes it)."""
        from django.template.loader import render_to_string

        context = {
            "sheet": self,
            "data": data,
            "labelled": labelled(self.labels(), data),
            "submission": submission,
        }
        return render_to_string(self.template_name, context, request=request)

    # --- xlsx -----------------------------------------------------------------------
    def sheet_title(self) -> str:
        return str(self.short_title or self.title)

    def filename(self, union: Any, *, aggregate: bool = False) -> str:
        suffix = "-汇总" if aggregate else ""
        return f"{self.sheet_title()}-{union.name}{suffix}-{timezone.localdate():%Y%m%d}.xlsx"

    def write(
        self, workbook: SafeWorkbook, union: Any, data: dict[str, Any], *, full_ids: bool = False
    ) -> SafeSheet:
        raise NotImplementedError

    def write_aggregate(
        self,
        workbook: SafeWorkbook,
        parent: Any,
        rows: Sequence[AggregateRow],
        *,
        full_ids: bool = False,
    ) -> SafeSheet:
        raise NotImplementedError

    def read(self, worksheet: Any) -> ReadResult:
        """The sheet filled offline, read back (every row checked; nothing half-read)."""
        return ReadResult(errors=[str(NOT_READABLE) % {"title": self.sheet_title()}])


# --- the registry -----------------------------------------------------------------------

SHEETS: dict[str, OfficialSheet] = {}


def register_sheet(cls: type[OfficialSheet]) -> type[OfficialSheet]:
    """Class decorator: register the app's official sheet under its identifier."""
    existing = SHEETS.get(cls.identifier)
    if existing is not None and type(existing).__qualname__ != cls.__qualname__:
        raise ValueError(f"two official sheets named {cls.identifier!r}")
    SHEETS[cls.identifier] = cls()
    return cls


def get_sheet(identifier: str) -> OfficialSheet:
    try:
        return SHEETS[identifier]
    except KeyError:
        raise LookupError(str(UNKNOWN_SHEET) % {"name": identifier}) from None


def identifiers() -> list[str]:
    return list(SHEETS)


def describe() -> list[tuple[str, str]]:
    return [(key, str(sheet.title)) for key, sheet in SHEETS.items()]


# --- helpers the sheets share ---------------------------------------------------------------


def records_q(union: Any, field: str, *, own: bool = False) -> Any:
    """The records of ``union``'s subtree, or (``own``) of the union alone."""
    from django.db.models import Q

    from unionvol.scoping import subtree_q

    return Q(**{field: union}) if own else subtree_q(union, field)


def length_validator(label: str, limit: int) -> TextLengthValidator:
    return TextLengthValidator(limit, label=label)


def date_text(day: date) -> str:
    """A date as the notices write it: 2019年3月1日 (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def today_text() -> str:
    return date_text(timezone.localdate())


def filled_text(data: dict[str, Any] | None) -> str:
    """填表日期: the day a report was submitted (``filled_on``, set on the data of a
    submitted version, see ``reports.exports``), else today (a sheet of live records)."""
    filled = (data or {}).get("filled_on")
    if filled:
        try:
            return date_text(date.fromisoformat(str(filled)))
        except ValueError:
            pass
    return today_text()


def plain(value: Any) -> Any:
    """A figure as JSON keeps it: Decimal → float, integral floats → int."""
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def labelled(labels: dict[str, str], data: dict[str, Any]) -> list[tuple[str, Any]]:
    """(label, value) for every labelled key in ``data``, in the labels' order."""
    return [(label, data[key]) for key, label in labels.items() if key in data]


def sum_rows(rows: Iterable[dict[str, Any]], keys: Iterable[str]) -> dict[str, Any]:
    totals: dict[str, Any] = dict.fromkeys(keys, 0)
    for row in rows:
        for key in totals:
            totals[key] += Decimal(str(row.get(key) or 0))
    return {k: plain(v) for k, v in totals.items()}


def norm_label(value: Any) -> str:
    """A header cell as written by hand: spaces dropped, half-width brackets made full."""
    return (
        "".join(str(value or "").split()).replace("(", "（").replace(")", "）").replace(",", "，")
    )


def parse_int(value: Any) -> int | None:
    """A non-negative whole number from a cell; empty is 0; None when it is not one."""
    if value in (None, ""):
        return 0
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except ArithmeticError:
        return None
    if number < 0 or number != number.to_integral_value():
        return None
    return int(number)


def parse_number(value: Any) -> float | int | None:
    """A non-negative number from a cell; empty is 0; None when it is not one."""
    if value in (None, ""):
        return 0
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except ArithmeticError:
        return None
    if not number.is_finite() or number < 0:
        return None
    return plain(number)  # type: ignore[no-any-return]


def read_limit(worksheet: Any, limit: int) -> int:
    """The last row to read: the sheet's own (reading further would create cells in a
    workbook opened for writing), at most ``limit``."""
    declared = getattr(worksheet, "max_row", None)
    return min(declared, limit) if declared else limit


def _strip_year(label: str) -> str:
    """ "2019年春节…" and "2018年度…" match "春节…" / "上年度…"."""
    import re

    return re.sub(r"^(\d{4}年度?|上年度|上年)", "", label)


def columns_of(spec: Sequence[tuple[str, str, float]]) -> list[Column]:
    return [Column(label, width) for _key, label, width in spec]


# --- bases the apps' sheets build on ------------------------------------------------------


def unit_date_header(
    sheet: SafeSheet, union_label: str, data: dict[str, Any] | None = None
) -> None:
    """填表单位 / 填表日期 (the 情况调度表's header line); the date as :func:`filled_text`."""
    width = sheet.width
    half = max((width + 1) // 2, 1)
    sheet.meta(
        [
            (_("填表单位:") + union_label, half),
            (_("填表日期:") + filled_text(data), width - half),
        ]
    )


class TableSheet(OfficialSheet):
    """A sheet that is one table: 序号 then ``columns``; aggregated, a 工会 column after
    序号 and one row per subordinate union's rows, then 合计 over ``sum_keys``."""

    columns: ClassVar[list[tuple[str, str, float]]] = []  # (key, label, width)
    sum_keys: ClassVar[tuple[str, ...]] = ()
    formats: ClassVar[dict[str, str]] = {}  # key → number format
    text_keys: ClassVar[tuple[str, ...]] = ()  # written as text (ID and phone numbers)
    landscape: ClassVar[bool] = False
    aggregate_label: ClassVar[str] = "工会"
    aggregate_width: ClassVar[float] = 26
    union_total: ClassVar[bool] = True  # a 合计 row under one union's rows too
    readable = True
    rows_key: ClassVar[str] = "rows"  # where the rows live in the data
    single_row: ClassVar[bool] = False  # the data holds one row (a union's figures)
    integer_keys: ClassVar[tuple[str, ...]] = ()
    # Centred besides the sums (a name column the notice prints centred, say).
    center_keys: ClassVar[tuple[str, ...]] = ()
    max_read_rows: ClassVar[int] = 2000
    template_name = "sheets/table.html"

    def rows_of(self, data: dict[str, Any]) -> Iterable[dict[str, Any]]:
        if self.single_row:
            row = data.get(self.rows_key)
            return [row] if row else []
        return data.get(self.rows_key) or []

    def labels(self) -> dict[str, str]:
        return {key: label for key, label, _w in self.columns}

    # --- read back --------------------------------------------------------------------
    def read(self, worksheet: Any) -> ReadResult:
        """The table as filled offline: the header row (序号 and the columns, matched on
        their labels, a year in a label allowed), one row per 序号 until 合计, and the
        narrative in the row labelled with it. Every cell is checked; errors name the
        row and the column."""
        result = ReadResult(labels=[(k, label) for k, label, _w in self.columns])
        rows = list(
            worksheet.iter_rows(values_only=True, max_row=read_limit(worksheet, self.max_read_rows))
        )
        header_at = next((i for i, r in enumerate(rows) if r and norm_label(r[0]) == "序号"), None)
        if header_at is None:
            result.errors.append(str(NO_HEADER) % {"title": self.sheet_title(), "label": _("序号")})
            return result
        header = [norm_label(c) for c in rows[header_at]]
        positions: dict[str, int] = {}
        for key, label, _w in self.columns:
            wanted = _strip_year(norm_label(label))
            for i, cell in enumerate(header):
                if i and i not in positions.values() and _strip_year(cell) == wanted:
                    positions[key] = i
                    break
        missing = [label for key, label, _w in self.columns if key not in positions]
        if missing:
            result.errors.append(str(MISSING_COLUMNS) % {"cols": "、".join(missing)})
            return result
        parsed: list[dict[str, Any]] = []
        narrative: str | None = None
        for number, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
            first = norm_label(row[0] if row else "")
            if self.narrative_label and first == norm_label(self.narrative_label):
                narrative = next((str(v) for v in row[1:] if v not in (None, "")), "")
                continue
            if not first.isdigit():
                continue  # 合计, notes, blank rows
            values: dict[str, Any] = {}
            for key, label, _w in self.columns:
                raw = row[positions[key]] if positions[key] < len(row) else None
                values[key] = self._read_cell(key, label, raw, number, result.errors)
            parsed.append(values)
        if not parsed and not narrative:
            result.errors.append(str(NO_ROWS) % {"title": self.sheet_title()})
        if narrative is not None and self.narrative_limit and len(narrative) > self.narrative_limit:
            result.errors.append(
                str(NARRATIVE_TOO_LONG)
                % {
                    "label": self.narrative_label,
                    "limit": self.narrative_limit,
                    "count": len(narrative),
                }
            )
        if self.single_row:
            result.data = {self.rows_key: parsed[0] if parsed else {}}
        else:
            result.data = {self.rows_key: parsed}
        if narrative is not None:
            result.data["narrative"] = narrative
        result.rows = parsed
        return result

    def _read_cell(self, key: str, label: str, raw: Any, number: int, errors: list[str]) -> Any:
        from unionvol.forms import DEFAULT_TEXT_LIMIT, text_too_long

        if key in self.sum_keys or key in self.integer_keys or key in self.formats:
            value = parse_number(raw)
            if value is None or (key in self.integer_keys and value != int(value)):
                kind = _("非负整数") if key in self.integer_keys else _("非负数")
                errors.append(
                    str(BAD_NUMBER) % {"row": number, "label": label, "kind": kind, "value": raw}
                )
                return 0
            return value
        text = "" if raw is None else str(raw).strip()
        too_long = text_too_long(text, DEFAULT_TEXT_LIMIT, label)
        if too_long:
            errors.append(_("第%(row)s行：%(message)s") % {"row": number, "message": too_long})
        return text

    def columns_for(self, data: dict[str, Any]) -> list[tuple[str, str, float]]:
        """The columns as labelled for this data (a year in a label, say)."""
        return list(self.columns)

    def title_for(self, data: dict[str, Any]) -> str:
        return str(self.title)

    def header_line(self, sheet: SafeSheet, union: Any, data: dict[str, Any]) -> None:
        unit_date_header(sheet, union.name, data)

    def footer(self, sheet: SafeSheet, union: Any, data: dict[str, Any]) -> None:
        return None

    def _columns(self, data: dict[str, Any], aggregate: bool) -> list[Column]:
        cols = [Column(_("序号"), 7, center=True)]
        if aggregate:
            cols.append(Column(self.aggregate_label, self.aggregate_width))
        for key, label, width in self.columns_for(data):
            cols.append(
                Column(
                    label,
                    width,
                    text=key in self.text_keys,
                    number_format=self.formats.get(key),
                    center=key in self.sum_keys or key in self.center_keys,
                )
            )
        return cols

    def total_row(self, rows: list[dict[str, Any]]) -> dict[str, Any]:
        return sum_rows(rows, self.sum_keys)

    def write(
        self, workbook: SafeWorkbook, union: Any, data: dict[str, Any], *, full_ids: bool = False
    ) -> SafeSheet:
        cols = self._columns(data, aggregate=False)
        sheet = workbook.add_sheet(self.sheet_title(), cols, landscape=self.landscape)
        sheet.title(self.title_for(data))
        self.header_line(sheet, union, data)
        sheet.header()
        rows = list(self.rows_of(data))
        keys = [key for key, _l, _w in self.columns]
        for i, row in enumerate(rows, start=1):
            sheet.row([i] + [row.get(k, "") for k in keys])
        if self.sum_keys and self.union_total:
            total = self.total_row(rows)
            sheet.row([_("合计")] + [total.get(k, "") for k in keys], style="uv_total")
        self.footer(sheet, union, data)
        return sheet

    def write_aggregate(
        self,
        workbook: SafeWorkbook,
        parent: Any,
        rows: Sequence[AggregateRow],
        *,
        full_ids: bool = False,
    ) -> SafeSheet:
        # The first union's data gives the columns and the year; not its 填表人 or date:
        # an aggregate is filled in by the union that makes it, on the day it does.
        first = {
            k: v
            for k, v in (rows[0][1] if rows else {}).items()
            if k not in ("filler", "filled_on")
        }
        cols = self._columns(first, aggregate=True)
        sheet = workbook.add_sheet(
            self.sheet_title() + _("（汇总）"), cols, landscape=self.landscape or len(cols) > 6
        )
        sheet.title(self.title_for(first))
        self.header_line(sheet, parent, first)
        sheet.header()
        for values in self.aggregate_body(rows):
            total_row = values[0] == _("合计")
            sheet.row(values, style="uv_total" if total_row else None)
        return sheet

    def aggregate_body(self, rows: Sequence[AggregateRow]) -> list[list[Any]]:
        """序号, 工会 and the columns, one row per row of each union, then 合计."""
        keys = [key for key, _l, _w in self.columns]
        body: list[list[Any]] = []
        everything: list[dict[str, Any]] = []
        for union, data in rows:
            for row in self.rows_of(data):
                body.append([len(body) + 1, union.name] + [row.get(k, "") for k in keys])
                everything.append(row)
        total = self.total_row(everything)
        body.append([_("合计"), ""] + [total.get(k, "") for k in keys])
        return body

    def table(
        self, data: dict[str, Any], rows: Sequence[AggregateRow] | None = None
    ) -> tuple[list[str], list[list[Any]]]:
        """Headers and body as the sheet prints them: one union's, or aggregated."""
        labels = [label for _k, label, _w in self.columns_for(data)]
        if rows is not None:
            return [_("序号"), self.aggregate_label, *labels], self.aggregate_body(rows)
        return [_("序号"), *labels], self.html_rows(data)

    def html_rows(self, data: dict[str, Any]) -> list[list[Any]]:
        keys = [key for key, _l, _w in self.columns]
        rows = list(self.rows_of(data))
        body = [[i] + [row.get(k, "") for k in keys] for i, row in enumerate(rows, start=1)]
        if self.sum_keys and self.union_total:
            total = self.total_row(rows)
            body.append([_("合计")] + [total.get(k, "") for k in keys])
        return body

    def render(self, data: dict[str, Any], *, submission: Any = None, request: Any = None) -> str:
        from django.template.loader import render_to_string

        headers, body = self.table(data)
        differences = getattr(self, "differences", None)
        context = {
            "differences": differences(data) if differences else [],
            "sheet": self,
            "title": self.title_for(data),
            "headers": headers,
            "body": body,
            "data": data,
            "submission": submission,
        }
        return render_to_string(self.template_name, context, request=request)


# --- figures a clerk may correct, with a reason ----------------------------------------------

REASON_LIMIT = 200
FIGURE_REASON_REQUIRED = gettext_lazy("%(figures)s与系统记录不同，请填写原因。")


class EditableFiguresMixin:
    """A sheet whose figures (``data[figure_container]``) are prefilled from the records,
    editable by the clerk and, where they differ from the records (kept in
    ``data["records"]``), need a short reason (``data["reason"]``). The reviewer sees both.

    Mixed into a :class:`TableSheet` subclass that sets ``figure_container`` and
    ``integer_keys`` (every other editable figure is a decimal)."""

    figure_container: ClassVar[str] = "figures"
    integer_keys: ClassVar[tuple[str, ...]] = ()

    def editable_keys(self) -> list[tuple[str, str]]:
        return list(self.labels().items())  # type: ignore[attr-defined]

    def with_records(self, data: dict[str, Any]) -> dict[str, Any]:
        figures = data.get(self.figure_container) or {}
        return data | {"records": {k: figures.get(k, 0) for k, _l in self.editable_keys()}}

    def differences(self, data: dict[str, Any]) -> list[tuple[str, Any, Any]]:
        """(label, the records' figure, the reported figure) where they differ."""
        records = data.get("records") or {}
        figures = data.get(self.figure_container) or {}
        return [
            (label, records.get(key), figures.get(key))
            for key, label in self.editable_keys()
            if key in records
            and Decimal(str(figures.get(key) or 0)) != Decimal(str(records.get(key) or 0))
        ]

    def differing(self, data: dict[str, Any]) -> list[str]:
        return [label for label, _r, _v in self.differences(data)]

    def form_class(self, data: dict[str, Any]) -> type[forms.Form]:
        base: type[forms.Form] = super().form_class(data)  # type: ignore[misc]
        records = data.get("records") or {}
        keys = self.editable_keys()
        integer_keys = self.integer_keys

        class FiguresForm(base):  # type: ignore[valid-type,misc]
            def clean(self) -> dict[str, Any]:
                cleaned = super().clean() or {}
                differs = [
                    label
                    for key, label in keys
                    if key in records
                    and cleaned.get(key) is not None
                    and Decimal(str(cleaned[key])) != Decimal(str(records.get(key) or 0))
                ]
                if differs and not (cleaned.get("reason") or "").strip():
                    self.add_error(
                        "reason", FIGURE_REASON_REQUIRED % {"figures": "、".join(differs)}
                    )
                return cleaned

        for key, label in keys:
            help_text = _("系统记录：%(n)s") % {"n": records.get(key, 0)} if key in records else ""
            field: forms.Field
            if key in integer_keys:
                field = forms.IntegerField(
                    label=label, required=False, min_value=0, max_value=100_000_000
                )
            else:
                field = forms.DecimalField(
                    label=label, required=False, min_value=0, max_digits=14, decimal_places=4
                )
            field.help_text = help_text
            FiguresForm.base_fields[key] = field
        FiguresForm.base_fields["reason"] = forms.CharField(
            label=_("与系统记录不同的原因"), required=False, max_length=REASON_LIMIT
        )
        return FiguresForm

    def initial(self, data: dict[str, Any], narrative: str) -> dict[str, Any]:
        initial: dict[str, Any] = super().initial(data, narrative)  # type: ignore[misc]
        figures = data.get(self.figure_container) or {}
        initial.update({k: figures.get(k) for k, _l in self.editable_keys()})
        initial["reason"] = data.get("reason", "")
        return initial

    def apply(self, data: dict[str, Any], cleaned: dict[str, Any]) -> dict[str, Any]:
        figures = dict(data.get(self.figure_container) or {})
        for key, _l in self.editable_keys():
            if cleaned.get(key) is not None:
                figures[key] = plain(cleaned[key])
        data[self.figure_container] = figures
        if "reason" in cleaned:
            data["reason"] = (cleaned.get("reason") or "").strip()
        return data

    def validate(self, data: dict[str, Any], *, narrative: str = "", photos: int = 0) -> list[str]:
        errors: list[str] = super().validate(  # type: ignore[misc]
            data, narrative=narrative, photos=photos
        )
        differs = self.differing(data)
        if differs and not (data.get("reason") or "").strip():
            errors.append(str(FIGURE_REASON_REQUIRED % {"figures": "、".join(differs)}))
        return errors
