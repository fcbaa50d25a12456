"""The volunteer sheets of seed 001, one class each, registered in the kernel's registry:
名额分配表 (附件1, ``quota``), 登记表 (附件2, ``registration``), 花名册 (附件3, ``roster``).

Data is plain JSON (a submission freezes it). A roster's rows keep the volunteer's
primary key and a masked number; whoever may see full numbers (the one rule,
:func:`volunteers.privacy.may_see_full_ids`) gets them filled in from the records as
the sheet is written, so no snapshot ever holds a full number. Auditing happens in
:func:`volunteers.exports.build_sheet` and in the reports app's exports, not here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from unionvol.idnumbers import mask_id_number, normalize_id_number
from unionvol.sheets import (
    AggregateRow,
    OfficialSheet,
    Period,
    TableSheet,
    date_text,
    records_q,
    register_sheet,
)
from unionvol.xlsx import Column, SafeSheet, SafeWorkbook, Span
from volunteers.figures import volunteer_figures
from volunteers.models import (
    Education,
    Gender,
    Health,
    Identity,
    PoliticalStatus,
    Volunteer,
    VolunteerStatus,
)
from volunteers.selectors import (
    QuotaTable,
    approval_trail,
    opinion_boxes,
    specialties_of,
    visible_quota_allocations,
)

ROSTER_TITLE = "服务帮扶志愿者花名册"
QUOTA_TITLE = "工会服务帮扶志愿者名额分配表"
REGISTRATION_TITLE = "工会服务帮扶志愿者登记表"
OPINION_LABELS = {
    "unit": "单位工会意见",
    "district": "区市县总工会、产业工会意见",
    "city": "市总工会意见",
}
CHUNK = 2000
STYLED_ROWS = 3000  # longer rosters are written without cell styles (nobody prints them)


def _chunks(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _full_numbers(ids: Iterable[int]) -> dict[int, str]:
    """Full numbers of these volunteers, as far as the active scope reaches."""
    return dict(Volunteer.objects.filter(pk__in=list(ids)).values_list("pk", "id_number"))


def campaign_roster(
    union: Any, campaign: Any, statuses: Any = None, *, own: bool = False
) -> QuerySet[Volunteer]:
    """The campaign's volunteers in ``union``'s subtree (or, ``own``, of the union alone):
    the approved ones unless asked."""
    qs = Volunteer.objects.filter(records_q(union, "union", own=own), campaign=campaign)
    if statuses is None:
        statuses = [VolunteerStatus.APPROVED]
    return qs.filter(status__in=statuses)


# --- 花名册 ---------------------------------------------------------------------------------

ROSTER_COLUMNS = [
    ("name", "姓名", 10),
    ("gender", "性别", 6),
    ("id_number", "身份证号码", 21),
    ("workplace", "工作单位", 28),
    ("political_status", "政治面貌", 12),
    ("identity", "身份", 13),
    ("specialties", "特长", 18),
]
STATUS_COLUMN = ("status", "状态", 9)
ROSTER_LABELS = ("序号", *(label for _k, label, _w in ROSTER_COLUMNS))


def roster_rows(volunteers: QuerySet[Volunteer]) -> Iterator[dict[str, Any]]:
    """Rows of the roster, streamed in chunks: flat memory and two queries per 2,000
    rows. ID numbers are masked here; the writer fills in full ones for holders."""
    genders = {k: str(v) for k, v in Gender.choices}
    political = {k: str(v) for k, v in PoliticalStatus.choices}
    identities = {k: str(v) for k, v in Identity.choices}
    statuses = {k: str(v) for k, v in VolunteerStatus.choices}
    rows = (
        volunteers.order_by("union__path", "pk")
        .values_list(
            "pk",
            "union__name",
            "name",
            "gender",
            "id_number",
            "workplace",
            "political_status",
            "identity",
            "status",
        )
        .iterator(chunk_size=CHUNK)
    )
    for chunk in _chunks(rows, CHUNK):
        specialties = specialties_of([row[0] for row in chunk])
        for pk, union_name, name, gender, number, workplace, political_s, identity, st in chunk:
            yield {
                "volunteer_id": pk,
                "union": union_name,
                "name": name,
                "gender": genders.get(gender, ""),
                "id_number": mask_id_number(number),
                "workplace": workplace,
                "political_status": political.get(political_s, ""),
                "identity": identities.get(identity, ""),
                "specialties": "、".join(specialties.get(pk, ())),
                "status": statuses.get(st, ""),
            }


@register_sheet
class RosterSheet(OfficialSheet):
    """服务帮扶志愿者花名册 (seed 001 附件3): the approved volunteers of the campaign, in
    the notice's columns; with ``with_status`` in the data, every status and a 状态
    column. Aggregated: a block per subordinate union, then 合计."""

    identifier = "roster"
    short_title = "花名册"
    title = ROSTER_TITLE
    template_name = "volunteers/sheets/roster.html"
    has_id_numbers = True

    def labels(self) -> dict[str, str]:
        return {key: label for key, label, _w in [*ROSTER_COLUMNS, STATUS_COLUMN]}

    has_own_records = True

    def is_empty(self, data: dict[str, Any]) -> bool:
        return not data.get("volunteers")

    def prefill(self, union: Any, period: Period, *, own: bool = False) -> dict[str, Any]:
        rows = list(roster_rows(campaign_roster(union, period.campaign, own=own)))
        return {"volunteers": rows, "contact": _contact(union)}

    def live(
        self, union: Any, volunteers: QuerySet[Volunteer], *, with_status: bool
    ) -> dict[str, Any]:
        """Data for a download straight from the records (streamed, not JSON)."""
        return {
            "volunteers": roster_rows(volunteers),
            "count": volunteers.count(),
            "contact": _contact(union),
            "with_status": with_status,
        }

    def _columns(self, with_status: bool) -> list[Column]:
        cols = [Column("序号", 6, center=True)]
        for key, label, width in ROSTER_COLUMNS:
            cols.append(
                Column(
                    label,
                    width,
                    text=key == "id_number",
                    center=key not in ("workplace", "specialties"),
                )
            )
        if with_status:
            cols.append(Column(STATUS_COLUMN[1], STATUS_COLUMN[2], center=True))
        return cols

    def _values(
        self, rows: Iterable[dict[str, Any]], *, full_ids: bool, with_status: bool, start: int = 1
    ) -> Iterator[list[Any]]:
        keys = [k for k, _l, _w in ROSTER_COLUMNS] + (["status"] if with_status else [])
        seq = start - 1
        for chunk in _chunks(rows, CHUNK):
            full = (
                _full_numbers(r["volunteer_id"] for r in chunk if r.get("volunteer_id"))
                if full_ids
                else {}
            )
            for row in chunk:
                seq += 1
                values = [seq] + [row.get(k, "") for k in keys]
                if full_ids and row.get("volunteer_id") in full:
                    values[3] = normalize_id_number(full[row["volunteer_id"]])
                yield values

    def _sheet(self, workbook: SafeWorkbook, title: str, with_status: bool) -> SafeSheet:
        return workbook.add_sheet(title, self._columns(with_status), landscape=True)

    def _meta(self, sheet: SafeSheet, unit: str, contact: dict[str, str]) -> None:
        """The seed's line: the unit, 负责人, 联系电话."""
        width = sheet.width
        sheet.meta(
            [
                (unit, 4),
                (f"负责人：{contact.get('person', '')}", 2),
                (f"联系电话：{contact.get('phone', '')}", width - 6),
            ]
        )

    def write(
        self, workbook: SafeWorkbook, union: Any, data: dict[str, Any], *, full_ids: bool = False
    ) -> SafeSheet:
        with_status = bool(data.get("with_status"))
        sheet = self._sheet(workbook, ROSTER_TITLE, with_status)
        sheet.title(ROSTER_TITLE)
        self._meta(sheet, f"区市县、产业工会：{union.name}", data.get("contact") or _contact(union))
        sheet.header()
        volunteers = data.get("volunteers") or []
        count = data.get("count")
        if count is None:
            count = len(volunteers)
        values = self._values(volunteers, full_ids=full_ids, with_status=with_status)
        # The seed's 花名册 ends with its last volunteer: no 合计 row (序号 counts them).
        sheet.rows(values, plain=count > STYLED_ROWS)
        return sheet

    def write_aggregate(
        self,
        workbook: SafeWorkbook,
        parent: Any,
        rows: Sequence[AggregateRow],
        *,
        full_ids: bool = False,
    ) -> SafeSheet:
        first = rows[0][1] if rows else {}
        with_status = bool(first.get("with_status"))
        sheet = self._sheet(workbook, ROSTER_TITLE + _("（汇总）"), with_status)
        sheet.title(ROSTER_TITLE)
        # The union that sums is no 区市县、产业工会: its line says what the sheet is.
        everyone = sum(len(data.get("volunteers") or []) for _union, data in rows)
        unit = _("汇总单位：%(union)s（共%(n)s人）") % {"union": parent.name, "n": everyone}
        self._meta(sheet, unit, _contact(parent))
        sheet.header()
        total = 0
        for union, data in rows:
            volunteers = list(data.get("volunteers") or [])
            sheet.spans(
                [
                    Span(
                        f"区市县、产业工会：{union.name}（{len(volunteers)}人）",
                        cols=sheet.width,
                        style="uv_header",
                    )
                ],
                height=22,
            )
            sheet.rows(
                self._values(
                    volunteers, full_ids=full_ids, with_status=with_status, start=total + 1
                )
            )
            total += len(volunteers)
        return sheet


def _contact(union: Any) -> dict[str, str]:
    return {
        "person": getattr(union, "contact_person", "") or "",
        "phone": getattr(union, "contact_phone", "") or "",
    }


# --- 名额分配表 -------------------------------------------------------------------------------


@register_sheet
class QuotaSheet(TableSheet):
    """工会服务帮扶志愿者名额分配表 (seed 001 附件1): 序号, 区市县、产业工会, 人数, 备注,
    then 合计. Aggregated, the same table over the subordinates' allocations."""

    identifier = "quota"
    short_title = "名额分配表"
    title = QUOTA_TITLE
    columns = [("union", "区市县、产业工会", 30), ("quota", "人数", 12), ("note", "备注", 24)]
    sum_keys = ("quota",)
    integer_keys = ("quota",)
    center_keys = ("union",)  # the notice's table centres the unions' names
    rows_key = "quotas"

    def prefill(self, union: Any, period: Period, *, own: bool = False) -> dict[str, Any]:
        allocations = [
            a
            for a in visible_quota_allocations(campaign=period.campaign, user=None)
            if a.union.is_within(union) or union.is_within(a.union)
        ]
        # A union sees the allocations inside its subtree; a union below every allocation
        # (a grassroots union) sees its own target's row.
        inside = [a for a in allocations if a.union.is_within(union)]
        # Below every allocation: the nearest one above (the deepest ancestor's), not
        # whichever comes last in the table's order.
        above = sorted(allocations, key=lambda a: len(a.union.path))[-1:]
        chosen = inside or above
        approved: dict[str, Any] = {}
        for depth in {len(a.union.path) for a in chosen}:  # the figures group one depth a call
            paths = [a.union.path for a in chosen if len(a.union.path) == depth]
            approved |= volunteer_figures(paths, campaign=period.campaign)
        return {
            "quotas": [
                {
                    "union": a.union.name,
                    "quota": a.quota,
                    "note": a.note,
                    "approved": approved[a.union.path].approved,
                }
                for a in chosen
            ]
        }

    def of_table(self, table: QuotaTable) -> dict[str, Any]:
        """The quota table as a user sees it (``volunteers.selectors.quota_table``)."""
        return {
            "quotas": [
                {
                    "union": row.allocation.union.name,
                    "quota": row.quota,
                    "note": row.allocation.note,
                    "approved": row.approved,
                }
                for row in table.rows
            ]
        }

    def header_line(self, sheet: SafeSheet, union: Any, data: dict[str, Any]) -> None:
        return None  # the notice's table has no header line

    def write(
        self, workbook: SafeWorkbook, union: Any, data: dict[str, Any], *, full_ids: bool = False
    ) -> SafeSheet:
        sheet = super().write(workbook, union, data, full_ids=full_ids)
        # 合计 spans 序号 and 区市县、产业工会, as in the notice.
        sheet.merge(sheet.rows_written, 1, sheet.rows_written, 2)
        return sheet

    def write_aggregate(
        self,
        workbook: SafeWorkbook,
        parent: Any,
        rows: Sequence[AggregateRow],
        *,
        full_ids: bool = False,
    ) -> SafeSheet:
        # The notice's own table (序号, 区市县、产业工会, 人数, 备注, 合计) over the
        # subordinates' allocations, each once: the columns of one union's table.
        cols = self._columns({}, aggregate=False)
        sheet = workbook.add_sheet(_("名额分配表（汇总）"), cols)
        sheet.title(QUOTA_TITLE)
        sheet.header()
        seen: set[str] = set()
        n = quota = 0
        for _union, data in rows:
            for row in data.get("quotas") or []:
                if row["union"] in seen:  # a target above several subordinates: once
                    continue
                seen.add(row["union"])
                n += 1
                quota += int(row.get("quota") or 0)
                sheet.row([n, row["union"], row.get("quota"), row.get("note")])
        sheet.row([_("合计"), None, quota, None], style="uv_total")
        sheet.merge(sheet.rows_written, 1, sheet.rows_written, 2)
        return sheet


# --- 登记表 -------------------------------------------------------------------------------------


def _opinion_text(steps: list[Any]) -> str:
    """Decision and opinion, then the deciding union and person, then the date."""
    parts = []
    for step in steps:
        who = ""
        if step.decided_by is not None:
            who = step.decided_by.get_full_name() or step.decided_by.username
        when = date_text(timezone.localtime(step.decided_at).date()) if step.decided_at else ""
        lines = [f"{step.get_decision_display()}。{step.opinion}", f"{step.union.name} {who}", when]
        parts.append("\n".join(line.strip() for line in lines if line.strip()))
    return "\n\n".join(parts)


def registration_entry(v: Volunteer) -> dict[str, Any]:
    """One volunteer's 登记表 as plain data (the number masked; see the module)."""
    boxes = opinion_boxes(trail=approval_trail(volunteer=v))
    return {
        "volunteer_id": v.pk,
        "name": v.name,
        "gender": v.get_gender_display(),
        "political_status": v.get_political_status_display(),
        "id_number": mask_id_number(v.id_number),
        "phone": v.phone,
        "work_start": f"{v.work_start.year}年{v.work_start.month}月" if v.work_start else "",
        # Plain strings: the entry goes into JSON, which knows no lazy label.
        "education": str(dict(Education.choices).get(v.education, "")),
        "health": str(dict(Health.choices).get(v.health, "")),
        "workplace": v.workplace,
        "specialties": "、".join(s.name for s in v.specialties.all()),
        "resume": v.resume,
        "application": v.application,
        "opinions": {str(box): str(_opinion_text(steps)) for box, steps in boxes.items()},
        "has_photo": bool(v.photo),
    }


@register_sheet
class RegistrationSheet(OfficialSheet):
    """工会服务帮扶志愿者登记表 (seed 001 附件2): the notice's form, one volunteer per
    printed page, the photo in its box, the three opinion boxes filled from the approval
    trail. A union's sheet holds its approved volunteers of the campaign."""

    identifier = "registration"
    short_title = "登记表"
    title = REGISTRATION_TITLE
    template_name = "volunteers/sheets/registration.html"
    has_id_numbers = True
    WIDTHS = (14, 22, 12, 16, 14, 14, 16)

    def labels(self) -> dict[str, str]:
        return {
            "name": "姓名",
            "gender": "性别",
            "political_status": "政治面貌",
            "id_number": "身份证号",
            "phone": "联系电话",
            "work_start": "参加工作时间",
            "education": "学历",
            "health": "健康状况",
            "workplace": "工作单位",
            "specialties": "特长",
            "resume": "工作简历",
            "application": "本人申请",
        }

    has_own_records = True

    def is_empty(self, data: dict[str, Any]) -> bool:
        return not data.get("volunteers")

    def prefill(self, union: Any, period: Period, *, own: bool = False) -> dict[str, Any]:
        qs = campaign_roster(union, period.campaign, own=own).order_by("union__path", "pk")
        return {"volunteers": [registration_entry(v) for v in qs.prefetch_related("specialties")]}

    def of_volunteer(self, volunteer: Volunteer) -> dict[str, Any]:
        return {"volunteers": [registration_entry(volunteer)]}

    def _form(
        self, sheet: SafeSheet, v: dict[str, Any], *, full_ids: bool, photos: dict[int, Any]
    ) -> None:
        def h(text: str, cols: int = 1) -> Span:
            return Span(text, cols=cols, style="uv_header")

        def c(value: Any, cols: int = 1, *, text: bool = False) -> Span:
            return Span(value, cols=cols, text=text)

        number = v.get("id_number", "")
        if full_ids and v.get("volunteer_id") in photos:
            number = normalize_id_number(photos[v["volunteer_id"]].id_number)
        sheet.title(REGISTRATION_TITLE, height=44)
        top = sheet.rows_written + 1
        sheet.spans(
            [
                h("姓名"),
                c(v.get("name")),
                h("性别"),
                c(v.get("gender")),
                h("政治面貌"),
                c(v.get("political_status")),
                Span("照片" if not v.get("has_photo") else None, style="uv_header"),
            ],
            height=40,
        )
        sheet.spans(
            [
                h("身份证号"),
                c(number, text=True),
                h("联系电话"),
                c(v.get("phone"), 3, text=True),
                Span(None),
            ],
            height=40,
        )
        sheet.spans(
            [
                h("参加工作时间"),
                c(v.get("work_start")),
                h("学历"),
                c(v.get("education")),
                h("健康状况"),
                c(v.get("health")),
                Span(None),
            ],
            height=40,
        )
        sheet.spans(
            [
                h("工作单位"),
                c(v.get("workplace")),
                h("特长"),
                c(v.get("specialties"), 3),
                Span(None),
            ],
            height=40,
        )
        bottom = sheet.rows_written
        sheet.merge(top, 7, bottom, 7)
        volunteer = photos.get(v.get("volunteer_id") or 0)
        if volunteer is not None and volunteer.photo:
            with volunteer.photo.open("rb") as handle:
                sheet.image(handle, top, 7, bottom, 7)
        # The free-text boxes share what is left of the printed page (so each form fills
        # its page) and grow with their text (estimated from the merged width).
        room = max(sheet.page_height() - (44 + 4 * 40) - 30 - 12, 300)
        sheet.spans([h("工作简历"), c(v.get("resume"), 6)], height=room * 0.36)
        top_application = sheet.rows_written + 1
        sheet.spans([h("本人申请"), c(v.get("application", ""), 6)], height=room * 0.30)
        sheet.spans(
            [
                Span(None, style="uv_header"),
                Span("签字：　　　　　　　　年　　月　　日", 6, "uv_right"),
            ],
            height=30,
        )
        sheet.merge(top_application, 1, sheet.rows_written, 1)
        opinions = v.get("opinions") or {}
        sheet.spans(
            [
                h(OPINION_LABELS["unit"]),
                c(opinions.get("unit", "")),
                h(OPINION_LABELS["district"]),
                c(opinions.get("district", "")),
                h(OPINION_LABELS["city"]),
                c(opinions.get("city", ""), 2),
            ],
            height=room * 0.34,
        )

    def _write_all(
        self, sheet: SafeSheet, volunteers: list[dict[str, Any]], *, full_ids: bool
    ) -> None:
        ids = [v["volunteer_id"] for v in volunteers if v.get("volunteer_id")]
        records = {
            v.pk: v for v in Volunteer.objects.filter(pk__in=ids).only("pk", "id_number", "photo")
        }
        if len(volunteers) <= 1:
            sheet.ws.page_setup.fitToHeight = 1  # one form: squeezed onto one page if need be
        for i, v in enumerate(volunteers or [{}]):
            if i:
                sheet.page_break()  # one volunteer, one printed page
            self._form(sheet, v, full_ids=full_ids, photos=records)

    def _new_sheet(self, workbook: SafeWorkbook, title: str) -> SafeSheet:
        return workbook.add_sheet(title, [Column("", w) for w in self.WIDTHS])

    def write(
        self, workbook: SafeWorkbook, union: Any, data: dict[str, Any], *, full_ids: bool = False
    ) -> SafeSheet:
        sheet = self._new_sheet(workbook, _("登记表"))
        self._write_all(sheet, list(data.get("volunteers") or []), full_ids=full_ids)
        return sheet

    def write_aggregate(
        self,
        workbook: SafeWorkbook,
        parent: Any,
        rows: Sequence[AggregateRow],
        *,
        full_ids: bool = False,
    ) -> SafeSheet:
        sheet = self._new_sheet(workbook, _("登记表（汇总）"))
        everyone: list[dict[str, Any]] = []
        for _union, data in rows:
            everyone.extend(data.get("volunteers") or [])
        self._write_all(sheet, everyone, full_ids=full_ids)
        return sheet
