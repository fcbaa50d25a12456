"""Reading a 花名册 filled offline back in: validate every row, then commit once.

``read_roster`` never writes: it returns a report of the rows to create, to
update (matched by ID number), unchanged rows and every error with its sheet
row, column and a Chinese message. ``commit_roster`` writes a report without
errors in one transaction with bulk inserts that leave history rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from unions.models import Union
from unionvol.audit import audit
from unionvol.forms import text_limit, text_too_long
from unionvol.idnumbers import birth_date_of, gender_of, validate_id_number, validate_phone
from unionvol.models import AuditAction
from unionvol.uploads import open_xlsx
from volunteers import rollups
from volunteers.models import (
    ApprovalStep,
    Gender,
    Identity,
    PoliticalStatus,
    Specialty,
    Volunteer,
    VolunteerStatus,
)
from volunteers.privacy import TOO_MANY_IMPORTED_IDS, id_import_limit
from volunteers.selectors import forget_specialties
from volunteers.services import (
    _check_campaign,
    _check_can_edit,
    approval_chain,
    identity_change_restarts,
)
from volunteers.vocabulary import gender_code_of, identity_of, political_status_of

NO_HEADER = gettext_lazy(
    "没有找到表头：第一张工作表的前10行中应有「姓名」和「身份证号码」两列（花名册格式）。"
)
TOO_MANY_ROWS = gettext_lazy("行数过多（%(rows)s 行），一次最多导入 %(limit)s 行。")
NOTHING_TO_IMPORT = gettext_lazy("文件中没有可导入的数据行。")
HAS_ERRORS = gettext_lazy("文件中有错误，未导入任何数据。请修改后重新上传。")
DUPLICATE_RACE = gettext_lazy("导入期间有人登记了相同的身份证号码，未导入任何数据，请重新预览。")
IMPORT_RENAMES_APPROVED = gettext_lazy(
    "该身份证号码的志愿者已通过审核（或正在上级审批），导入不能更改其姓名。"
    "如需更改，请在其登记表的编辑页面修改，登记表将重新审批。"
)

ID_AS_NUMBER = gettext_lazy(
    "身份证号码被存成了数字（Excel 只保留15位有效数字，末位会丢失）。"
    "请把该列设为文本格式后重新填写。"
)

HEADER_SCAN_ROWS = 10
LABELS = {
    "序号": "seq",
    "姓名": "name",
    "性别": "gender",
    "身份证号码": "id_number",
    "身份证号": "id_number",
    "工作单位": "workplace",
    "政治面貌": "political_status",
    "身份": "identity",
    "特长": "specialties",
    "联系电话": "phone",
}
COLUMN_LABELS = {
    "name": "姓名",
    "gender": "性别",
    "id_number": "身份证号码",
    "workplace": "工作单位",
    "political_status": "政治面貌",
    "identity": "身份",
    "specialties": "特长",
    "phone": "联系电话",
}
# The longest text each column may hold: the model's own limits, named in the message.
TEXT_LIMITS = {
    "name": text_limit(Volunteer, "name"),
    "workplace": text_limit(Volunteer, "workplace"),
    "specialties": text_limit(Specialty, "name"),
}
SPLIT_RE = re.compile(r"[、,，;；/\s]+")
UPDATE_FIELDS = ["name", "workplace", "political_status", "identity", "phone"]


@dataclass
class RowError:
    row: int
    column: str  # "D（身份证号码）" or "" for the whole row
    message: str
    name: str = ""  # the row's 姓名: every error says whose row it is


@dataclass
class ImportRow:
    row: int
    id_number: str
    values: dict[str, Any]
    specialties: list[str]
    volunteer: Volunteer | None = None  # set for updates and unchanged rows
    changes: list[str] = field(default_factory=list)
    # (column, 原值, 识别为) for each word the import recognised as a choice's synonym
    mapped: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.values["name"]


@dataclass
class ImportReport:
    creates: list[ImportRow] = field(default_factory=list)
    updates: list[ImportRow] = field(default_factory=list)
    unchanged: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def mapped(self) -> list[tuple[int, str, str, str]]:
        """(row, column, 原值, 识别为) of every recognised synonym, for the preview."""
        return [
            (r.row, *m)
            for rows in (self.creates, self.updates, self.unchanged)
            for r in rows
            for m in r.mapped
        ]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total(self) -> int:
        return len(self.creates) + len(self.updates) + len(self.unchanged)

    def lines(self) -> list[str]:
        """The row report as plain text (the command prints it)."""
        out = [
            _("新增 %(c)s 行，更新 %(u)s 行，无变化 %(n)s 行，错误 %(e)s 处。")
            % {
                "c": len(self.creates),
                "u": len(self.updates),
                "n": len(self.unchanged),
                "e": len(self.errors),
            }
        ]
        out += [
            _("第%(row)s行 新增：%(name)s") % {"row": r.row, "name": r.name} for r in self.creates
        ]
        out += [
            _("第%(row)s行 更新：%(name)s（%(changes)s）")
            % {"row": r.row, "name": r.name, "changes": "、".join(r.changes)}
            for r in self.updates
        ]
        out += [
            (
                _("第%(row)s行（%(name)s） %(column)s 错误：%(message)s")
                if e.name
                else _("第%(row)s行 %(column)s 错误：%(message)s")
            )
            % {"row": e.row, "name": e.name, "column": e.column, "message": e.message}
            for e in self.errors
        ]
        return out


def _norm(value: Any) -> str:
    return re.sub(r"\s+", "", str(value)) if value is not None else ""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _find_header(rows: list[tuple[Any, ...]]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns: dict[str, int] = {}
        for col, cell in enumerate(row):
            key = LABELS.get(_norm(cell))
            if key and key not in columns:
                columns[key] = col
        if "name" in columns and "id_number" in columns:
            return index, columns
    return None


class _Choices:
    def __init__(self) -> None:
        self.political = {str(label): value for value, label in PoliticalStatus.choices}
        self.identity = {str(label): value for value, label in Identity.choices}
        self.gender = {str(label): value for value, label in Gender.choices}


def read_roster(
    fileobj: IO[bytes],
    *,
    union: Union,
    campaign: Any = None,
    user: Any = None,
    lookups: Callable[[int], bool] | None = None,
) -> ImportReport:
    """Validate every row of an uploaded 花名册; raise ValidationError if the file itself is bad.

    Matching the rows' ID numbers to the records answers, row by row, whether a number is
    registered: ``lookups(n)`` (the privacy budget, see ``volunteers.privacy``) is asked
    first for the ``n`` numbers, and a refusal raises before any is checked."""
    wb = open_xlsx(fileobj)
    try:
        ws = wb.worksheets[0]
        rows = list(ws.iter_rows(values_only=True))
    finally:
        wb.close()
    found = _find_header(rows)
    if found is None:
        raise ValidationError(NO_HEADER, code="no_header")
    header_index, columns = found
    data_rows = [
        (number, row)
        for number, row in enumerate(rows[header_index + 1 :], start=header_index + 2)
        if any(_text(c) for c in row)
    ]
    if len(data_rows) > settings.IMPORT_MAX_ROWS:
        raise ValidationError(
            TOO_MANY_ROWS,
            code="too_many",
            params={"rows": len(data_rows), "limit": settings.IMPORT_MAX_ROWS},
        )
    if not data_rows:
        raise ValidationError(NOTHING_TO_IMPORT, code="empty")

    report = ImportReport()
    choices = _Choices()
    seen: dict[str, int] = {}
    parsed: list[ImportRow] = []

    def col_name(key: str) -> str:
        return f"{get_column_letter(columns[key] + 1)}（{COLUMN_LABELS[key]}）"

    for number, row in data_rows:

        def cell(key: str, row: tuple[Any, ...] = row) -> Any:
            index = columns.get(key)
            return row[index] if index is not None and index < len(row) else None

        errors_before = len(report.errors)

        def error(key: str, message: Any, number: int = number) -> None:
            report.errors.append(RowError(number, col_name(key) if key else "", str(message)))

        name = _text(cell("name"))
        if not name:
            error("name", _("姓名不能为空。"))
        elif too_long := text_too_long(name, TEXT_LIMITS["name"], COLUMN_LABELS["name"]):
            error("name", too_long)

        raw_id = cell("id_number")
        id_number = ""
        if isinstance(raw_id, int | float):
            error(
                "id_number",
                ID_AS_NUMBER,
            )
        elif not _text(raw_id):
            error("id_number", _("身份证号码不能为空。"))
        else:
            try:
                id_number = validate_id_number(_text(raw_id))
            except ValidationError as exc:
                error("id_number", exc.messages[0])
            else:
                if id_number in seen:
                    error(
                        "id_number",
                        _("与第%(row)s行的身份证号码重复。") % {"row": seen[id_number]},
                    )
                    id_number = ""
                else:
                    seen[id_number] = number

        mapped: list[tuple[str, str, str]] = []
        gender_label = _norm(cell("gender"))
        if gender_label and id_number:
            gender = gender_code_of(gender_label)
            if gender is None:
                error("gender", _("性别只能填写「男」或「女」。"))
            elif gender != gender_of(id_number):
                error(
                    "gender",
                    _("性别与身份证号码不符：按身份证号码应为「%(gender)s」。")
                    % {"gender": Gender(gender_of(id_number)).label},
                )

        values: dict[str, Any] = {"name": name}
        workplace = _text(cell("workplace"))
        limit = TEXT_LIMITS["workplace"]
        if too_long := text_too_long(workplace, limit, COLUMN_LABELS["workplace"]):
            error("workplace", too_long)
        values["workplace"] = workplace

        political = _norm(cell("political_status"))
        if political:
            code = political_status_of(political)
            if code is None:
                error(
                    "political_status",
                    _("无法识别的政治面貌「%(value)s」，应为：%(allowed)s。")
                    % {"value": political, "allowed": "、".join(choices.political)},
                )
            elif str(PoliticalStatus(code).label) != political:
                mapped.append(("政治面貌", political, str(PoliticalStatus(code).label)))
            values["political_status"] = code or ""
        else:
            values["political_status"] = PoliticalStatus.MASSES

        identity = _norm(cell("identity"))
        if identity:
            code = identity_of(identity)
            if code is None:
                error(
                    "identity",
                    _("无法识别的身份「%(value)s」，应为：%(allowed)s。")
                    % {"value": identity, "allowed": "、".join(choices.identity)},
                )
            elif str(Identity(code).label) != identity:
                mapped.append(("身份", identity, str(Identity(code).label)))
            values["identity"] = code or ""
        else:
            values["identity"] = Identity.EMPLOYEE

        phone = _text(cell("phone"))
        if phone:
            try:
                phone = validate_phone(phone)
            except ValidationError as exc:
                error("phone", exc.messages[0])
        values["phone"] = phone

        specialties = [s for s in SPLIT_RE.split(_text(cell("specialties"))) if s]
        if any(len(s) > TEXT_LIMITS["specialties"] for s in specialties):
            error(
                "specialties",
                _("每项特长最多%(limit)s个字，多项之间用顿号分隔。")
                % {"limit": TEXT_LIMITS["specialties"]},
            )

        for row_error in report.errors[errors_before:]:
            row_error.name = name[: TEXT_LIMITS["name"]]
        if len(report.errors) == errors_before:
            parsed.append(
                ImportRow(number, id_number, values, sorted(set(specialties)), mapped=mapped)
            )

    if lookups is not None and parsed and not lookups(len(parsed)):
        raise ValidationError(
            TOO_MANY_IMPORTED_IDS,
            code="too_many_ids",
            params={"limit": id_import_limit(user), "rows": len(parsed)},
        )
    _match_existing(parsed, report, user=user, has_phone="phone" in columns)
    return report


def _match_existing(
    parsed: list[ImportRow], report: ImportReport, *, user: Any, has_phone: bool
) -> None:
    """Sort valid rows into create / update / unchanged, in a few queries for any size."""
    existing: dict[str, Volunteer] = {}
    numbers = [r.id_number for r in parsed]
    for start in range(0, len(numbers), 1000):
        chunk = numbers[start : start + 1000]
        for v in Volunteer.objects.filter(id_number__in=chunk).prefetch_related("specialties"):
            existing[v.id_number] = v
    visible: set[int] = set()
    if existing:
        qs = Volunteer.objects.filter(pk__in=[v.pk for v in existing.values()])
        if user is not None:
            qs = qs.visible_to(user)
        visible = set(qs.values_list("pk", flat=True))
    labels = {
        "name": _("姓名"),
        "workplace": _("工作单位"),
        "political_status": _("政治面貌"),
        "identity": _("身份"),
        "phone": _("联系电话"),
        "specialties": _("特长"),
    }
    for row in parsed:
        volunteer = existing.get(row.id_number)
        if volunteer is None:
            report.creates.append(row)
            continue
        if volunteer.pk not in visible:
            report.errors.append(
                RowError(
                    row.row,
                    "",
                    _("该身份证号码已经登记过，不能重复登记。如有疑问请联系所在工会。"),
                    name=row.name,
                )
            )
            continue
        row.volunteer = volunteer
        for key in UPDATE_FIELDS:
            if key == "phone" and (not has_phone or not row.values["phone"]):
                continue
            if getattr(volunteer, key) != row.values[key]:
                row.changes.append(str(labels[key]))
        if sorted(s.name for s in volunteer.specialties.all()) != row.specialties:
            row.changes.append(str(labels["specialties"]))
        if volunteer.name != row.values["name"] and identity_change_restarts(volunteer):
            # Another name is another person to the approvals: that goes through the
            # edit page, which sends the registration back to the first level.
            report.errors.append(RowError(row.row, "", str(IMPORT_RENAMES_APPROVED), name=row.name))
            continue
        (report.updates if row.changes else report.unchanged).append(row)


def commit_roster(
    report: ImportReport, *, union: Union, campaign: Any = None, by: Any = None
) -> ImportReport:
    """Write every row of an error-free report in one transaction (all or nothing)."""
    if not report.ok:
        raise ValidationError(HAS_ERRORS, code="errors")
    if by is not None:
        _check_can_edit(by, union)
    _check_campaign(union=union, campaign=campaign)
    chain = approval_chain(union=union, campaign=campaign)
    user = by if getattr(by, "pk", None) else None
    try:
        with transaction.atomic():
            specialty_ids = _specialty_ids(report)
            created = _create(report, union=union, campaign=campaign, user=user)
            steps = [ApprovalStep(volunteer=v, level=1, union=chain[0], round=1) for v in created]
            bulk_create_with_history(steps, ApprovalStep, batch_size=1000, default_user=user)
            _update(report, user=user)
            _set_specialties(report, created, specialty_ids)
            # Bulk writes send no signals: the figures of the cells written, recomputed here.
            rollups.touch(
                {(union.pk, getattr(campaign, "pk", None))}
                | {(v.union_id, v.campaign_id) for r in report.updates if (v := r.volunteer)}
            )
    except IntegrityError as exc:
        raise ValidationError(DUPLICATE_RACE, code="race") from exc
    audit(
        user=by,
        action=AuditAction.IMPORT,
        target=union,
        rows=len(report.creates) + len(report.updates),
        created=len(report.creates),
        updated=len(report.updates),
    )
    return report


def _specialty_ids(report: ImportReport) -> dict[str, int]:
    names = {s for r in [*report.creates, *report.updates] for s in r.specialties}
    known = dict(Specialty.objects.filter(name__in=names).values_list("name", "pk"))
    missing = [Specialty(name=n, order=100) for n in sorted(names - set(known))]
    if missing:
        Specialty.objects.bulk_create(missing, ignore_conflicts=True)
        forget_specialties()  # a bulk insert sends no signal
        known = dict(Specialty.objects.filter(name__in=names).values_list("name", "pk"))
    return known


def _create(report: ImportReport, *, union: Union, campaign: Any, user: Any) -> list[Volunteer]:
    objs = []
    for row in report.creates:
        objs.append(
            Volunteer(
                id_number=row.id_number,
                gender=gender_of(row.id_number),
                birth_date=birth_date_of(row.id_number),
                union=union,
                campaign=campaign,
                status=VolunteerStatus.PENDING,
                created_by=user,
                **row.values,
            )
        )
    if not objs:
        return []
    created = bulk_create_with_history(objs, Volunteer, batch_size=1000, default_user=user)
    if any(v.pk is None for v in created):  # a backend that returns no ids
        by_number = dict(
            Volunteer.objects.filter(id_number__in=[v.id_number for v in objs]).values_list(
                "id_number", "pk"
            )
        )
        for v in created:
            v.pk = by_number[v.id_number]
    for row, v in zip(report.creates, created, strict=True):
        row.volunteer = v
    return created


def _update(report: ImportReport, *, user: Any) -> None:
    objs = []
    for row in report.updates:
        v = row.volunteer
        assert v is not None
        for key in UPDATE_FIELDS:
            if key == "phone" and not row.values["phone"]:
                continue
            setattr(v, key, row.values[key])
        v.version += 1
        objs.append(v)
    if objs:
        bulk_update_with_history(
            objs,
            Volunteer,
            [*UPDATE_FIELDS, "version"],
            batch_size=1000,
            default_user=user,
        )


def _set_specialties(
    report: ImportReport, created: list[Volunteer], specialty_ids: dict[str, int]
) -> None:
    through = Volunteer.specialties.through
    updated = [r for r in report.updates if "特长" in r.changes or _("特长") in r.changes]
    if updated:
        through.objects.filter(volunteer_id__in=[r.volunteer.pk for r in updated]).delete()  # type: ignore[union-attr]
    links = [
        through(volunteer_id=r.volunteer.pk, specialty_id=specialty_ids[name])  # type: ignore[union-attr]
        for r in [*report.creates, *updated]
        for name in r.specialties
    ]
    through.objects.bulk_create(links, batch_size=2000)
