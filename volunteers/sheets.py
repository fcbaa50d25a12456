"""The volunteer sheets of seed 001: 花名册 (roster), 名额分配表 (quota), 登记表 (registration).

Each sheet is a class with an ``identifier`` (the reports registry uses the same
keys), a ``verbose_name`` and ``write(wb)``; all of them write through
:class:`unionvol.xlsx.SafeWorkbook`. Scoping and auditing happen in
:func:`volunteers.exports.build_sheet`, not here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from unions.models import Union
from unionvol.xlsx import Column, SafeSheet, SafeWorkbook, safe_value
from volunteers.models import (
    Education,
    Gender,
    Health,
    Identity,
    PoliticalStatus,
    Volunteer,
)
from volunteers.privacy import id_column
from volunteers.selectors import QuotaTable, Trail, opinion_boxes

# Labels exactly as the seed's attachments (the spaces inside 姓 名 are dropped).
ROSTER_TITLE = "服务帮扶志愿者花名册"
ROSTER_LABELS = ("序号", "姓名", "性别", "身份证号码", "工作单位", "政治面貌", "身份", "特长")
QUOTA_TITLE = "工会服务帮扶志愿者名额分配表"
QUOTA_LABELS = ("序号", "区市县、产业工会", "人数", "备注")
REGISTRATION_TITLE = "工会服务帮扶志愿者登记表"
OPINION_LABELS = {
    "unit": "单位工会意见",
    "district": "区市县总工会、产业工会意见",
    "city": "市总工会意见",
}


CHUNK = 2000
STYLED_ROWS = 3000  # longer rosters are written without cell styles (see _write_plain_rows)


def _chunks(rows: Iterator[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _specialties_of(volunteer_ids: list[int]) -> dict[int, list[str]]:
    through = Volunteer.specialties.through
    links = (
        through.objects.filter(volunteer_id__in=volunteer_ids)
        .order_by("specialty__order", "specialty__name")
        .values_list("volunteer_id", "specialty__name")
    )
    out: dict[int, list[str]] = {}
    for volunteer_id, name in links:
        out.setdefault(volunteer_id, []).append(name)
    return out


def _write_plain_rows(sheet: SafeSheet, rows: Iterable[list[Any]]) -> int:
    """Unstyled data rows for very long sheets (nobody prints 100,000 rows; the sheet
    prints grid lines instead of cell borders). Values are made safe exactly as in
    ``SafeSheet.row``; a string openpyxl would read as a formula becomes a text cell."""
    ws = sheet.ws
    texts = [column.text for column in sheet.columns]
    illegal = ILLEGAL_CHARACTERS_RE.sub
    count = 0
    for values in rows:
        out = []
        for text, value in zip(texts, values, strict=False):
            cls = value.__class__
            if cls is str:  # the common case, inlined: what safe_value does to a str
                value = illegal("", value)
                if value[:1] == "=":
                    value = sheet.cell(value, "uv_cell")
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
    sheet.rows_written += count
    return count


def _write_rows(sheet: SafeSheet, rows: Iterable[list[Any]]) -> int:
    """Data rows, each value made safe by ``safe_value`` exactly as ``SafeSheet.row`` does.

    Speed matters for a roster of 100,000 rows: one styled cell per column is made once
    and reused for every row (a write-only sheet serialises the row inside ``append``,
    so the cells are free again afterwards); the named style is resolved once.
    """
    ws = sheet.ws
    cells = []
    texts = []
    for column in sheet.columns:
        cells.append(sheet.cell(None, "uv_center" if column.center else "uv_cell"))
        texts.append(column.text)
    pairs = list(zip(cells, texts, strict=True))
    count = 0
    for values in rows:
        for (cell, text), value in zip(pairs, values, strict=False):
            value = safe_value(value)
            if value is None:
                value = ""
            elif text and not isinstance(value, str):
                value = str(value)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula
        ws.append(cells)
        count += 1
    sheet.rows_written += count
    return count


class Sheet:
    """Base class of a sheet: subclasses set ``identifier``/``verbose_name`` and ``write``."""

    identifier: ClassVar[str]
    verbose_name: ClassVar[str | Promise]
    rows: int = 0
    full_ids: bool = False

    def write(self, wb: SafeWorkbook) -> int:  # pragma: no cover - abstract
        raise NotImplementedError

    def filename(self) -> str:
        return f"{self.verbose_name}-{timezone.localdate():%Y%m%d}.xlsx"

    def workbook(self) -> SafeWorkbook:
        wb = SafeWorkbook()
        self.rows = self.write(wb)
        return wb


class RosterSheet(Sheet):
    identifier = "roster"
    verbose_name = _("花名册")

    def __init__(
        self, *, union: Union, volunteers: QuerySet[Volunteer], full_ids: bool = False
    ) -> None:
        self.union = union
        self.volunteers = volunteers
        self.full_ids = full_ids

    def filename(self) -> str:
        return f"{ROSTER_TITLE}-{self.union.display_name}-{timezone.localdate():%Y%m%d}.xlsx"

    def data_rows(self) -> Iterator[list[Any]]:
        """Rows in column order, streamed in chunks: flat memory and a few queries per
        2,000 rows (values, not model instances, and one specialty query per chunk)."""
        genders = {k: str(v) for k, v in Gender.choices}
        political = {k: str(v) for k, v in PoliticalStatus.choices}
        identities = {k: str(v) for k, v in Identity.choices}
        id_text = id_column(full=self.full_ids)
        rows = (
            self.volunteers.order_by("union__path", "pk")
            .values_list(
                "pk", "name", "gender", "id_number", "workplace", "political_status", "identity"
            )
            .iterator(chunk_size=CHUNK)
        )
        seq = 0
        for chunk in _chunks(rows, CHUNK):
            specialties = _specialties_of([row[0] for row in chunk])
            for pk, name, gender, number, workplace, status, identity in chunk:
                seq += 1
                yield [
                    seq,
                    name,
                    genders.get(gender, ""),
                    id_text(number),
                    workplace,
                    political.get(status, ""),
                    identities.get(identity, ""),
                    "、".join(specialties.get(pk, ())),
                ]

    def write(self, wb: SafeWorkbook) -> int:
        sheet = wb.add_sheet(
            ROSTER_TITLE,
            [
                Column(ROSTER_LABELS[0], 6, center=True),
                Column(ROSTER_LABELS[1], 10, center=True),
                Column(ROSTER_LABELS[2], 6, center=True),
                Column(ROSTER_LABELS[3], 21, text=True, center=True),
                Column(ROSTER_LABELS[4], 28),
                Column(ROSTER_LABELS[5], 12, center=True),
                Column(ROSTER_LABELS[6], 11, center=True),
                Column(ROSTER_LABELS[7], 18),
            ],
            landscape=True,
        )
        sheet.title(ROSTER_TITLE)
        sheet.meta(
            [
                (f"区市县、产业工会：{self.union.name}", 4),
                (f"负责人：{self.union.contact_person}", 2),
                (f"联系电话：{self.union.contact_phone}", 2),
            ]
        )
        sheet.header()
        if self.volunteers.count() > STYLED_ROWS:
            return _write_plain_rows(sheet, self.data_rows())
        return _write_rows(sheet, self.data_rows())


class QuotaSheet(Sheet):
    identifier = "quota"
    verbose_name = _("名额分配表")

    def __init__(self, *, table: QuotaTable) -> None:
        self.table = table

    def filename(self) -> str:
        return f"{QUOTA_TITLE}-{timezone.localdate():%Y%m%d}.xlsx"

    def write(self, wb: SafeWorkbook) -> int:
        sheet = wb.add_sheet(
            QUOTA_TITLE,
            [
                Column(QUOTA_LABELS[0], 8, center=True),
                Column(QUOTA_LABELS[1], 30, center=True),
                Column(QUOTA_LABELS[2], 12, center=True),
                Column(QUOTA_LABELS[3], 24),
            ],
        )
        sheet.title(QUOTA_TITLE)
        sheet.header()
        for row in self.table.rows:
            sheet.row([row.order, row.allocation.union.name, row.quota, row.allocation.note])
        sheet.row(["合计", None, self.table.total_quota, None], style="uv_total")
        sheet.merge(sheet.rows_written, 1, sheet.rows_written, 2)
        return len(self.table.rows)


def _opinion_text(steps: list[Any]) -> str:
    """Decision and opinion, then the deciding union and person, then the date."""
    parts = []
    for step in steps:
        who = ""
        if step.decided_by is not None:
            who = step.decided_by.get_full_name() or step.decided_by.username
        when = (
            timezone.localtime(step.decided_at).strftime("%Y年%m月%d日") if step.decided_at else ""
        )
        lines = [f"{step.get_decision_display()}。{step.opinion}", f"{step.union.name} {who}", when]
        parts.append("\n".join(line.strip() for line in lines if line.strip()))
    return "\n\n".join(parts)


class RegistrationSheet(Sheet):
    identifier = "registration"
    verbose_name = _("登记表")

    def __init__(self, *, volunteer: Volunteer, trail: Trail, full_ids: bool = False) -> None:
        self.volunteer = volunteer
        self.trail = trail
        self.full_ids = full_ids

    def filename(self) -> str:
        return f"{REGISTRATION_TITLE}-{self.volunteer.name}.xlsx"

    def write(self, wb: SafeWorkbook) -> int:
        v = self.volunteer
        widths = [14, 22, 12, 16, 14, 14, 16]
        sheet = wb.add_sheet(REGISTRATION_TITLE, [Column("", w) for w in widths])
        ws = sheet.ws
        ws.page_setup.fitToHeight = 1  # one page
        label = lambda text: sheet.cell(text, "uv_header")  # noqa: E731
        value = lambda text, text_cell=False: sheet.cell(text, "uv_cell", text=text_cell)  # noqa: E731
        blank = lambda: sheet.cell(None, "uv_cell")  # noqa: E731
        sheet.title(REGISTRATION_TITLE, height=40)
        id_text = id_column(full=self.full_ids)(v.id_number)
        specialties = "、".join(s.name for s in v.specialties.all())
        sheet.append(
            [
                label("姓名"),
                value(v.name),
                label("性别"),
                value(v.get_gender_display()),
                label("政治面貌"),
                value(v.get_political_status_display()),
                label("照片"),
            ],
            height=30,
        )
        photo_top = sheet.rows_written
        sheet.append(
            [
                label("身份证号"),
                value(id_text, True),
                label("联系电话"),
                value(v.phone, True),
                blank(),
                blank(),
                blank(),
            ],
            height=30,
        )
        sheet.merge(sheet.rows_written, 4, sheet.rows_written, 6)
        work_start = v.work_start.strftime("%Y年%m月") if v.work_start else ""
        sheet.append(
            [
                label("参加工作时间"),
                value(work_start),
                label("学历"),
                value(dict(Education.choices).get(v.education, "")),
                label("健康状况"),
                value(dict(Health.choices).get(v.health, "")),
                blank(),
            ],
            height=30,
        )
        sheet.append(
            [
                label("工作单位"),
                value(v.workplace),
                label("特长"),
                value(specialties),
                blank(),
                blank(),
                blank(),
            ],
            height=30,
        )
        sheet.merge(sheet.rows_written, 4, sheet.rows_written, 6)
        sheet.merge(photo_top, 7, sheet.rows_written, 7)
        sheet.append([label("工作简历"), value(v.resume), *[blank() for _ in range(5)]], height=150)
        sheet.merge(sheet.rows_written, 2, sheet.rows_written, 7)
        application = f"{v.application}\n\n签字："
        sheet.append(
            [label("本人申请"), value(application), *[blank() for _ in range(5)]], height=110
        )
        sheet.merge(sheet.rows_written, 2, sheet.rows_written, 7)
        boxes = opinion_boxes(trail=self.trail)
        sheet.append(
            [
                label(OPINION_LABELS["unit"]),
                value(_opinion_text(boxes["unit"])),
                label(OPINION_LABELS["district"]),
                value(_opinion_text(boxes["district"])),
                label(OPINION_LABELS["city"]),
                value(_opinion_text(boxes["city"])),
                blank(),
            ],
            height=140,
        )
        sheet.merge(sheet.rows_written, 6, sheet.rows_written, 7)
        return 1


SHEETS: dict[str, type[Sheet]] = {
    RosterSheet.identifier: RosterSheet,
    QuotaSheet.identifier: QuotaSheet,
    RegistrationSheet.identifier: RegistrationSheet,
}
