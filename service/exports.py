"""The campaigns app's sheets: team roster, project list, activity log, service hours.

All written through ``unionvol.xlsx.SafeWorkbook`` from scoped selectors, and audited.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from service import selectors
from service.models import TeamMember
from unionvol.audit import audit
from unionvol.models import AuditAction
from unionvol.scoping import union_of
from unionvol.xlsx import Column, SafeWorkbook

CHUNK = 2000


def _meta(user: Any) -> list[tuple[str, int]]:
    union = union_of(user)
    return [
        (_("填表单位：%(u)s") % {"u": union.name if union else ""}, 3),
        (_("填表日期：%(d)s") % {"d": timezone.localdate().isoformat()}, 3),
    ]


def _finish(wb: SafeWorkbook, *, user: Any, what: str, rows: int, filename: str) -> FileResponse:
    audit(user=user, action=AuditAction.EXPORT, what=what, rows=rows)
    return wb.response(filename)


def team_roster(*, user: Any, campaign_id: int | None = None) -> FileResponse:
    """志愿服务队花名册: one row per member; teams outside the composition rule are marked."""
    teams = {t.pk: t for t in selectors.team_list(user=user, campaign_id=campaign_id)}
    members = (
        TeamMember.objects.visible_to(user)
        .filter(team_id__in=list(teams))
        .select_related("volunteer", "volunteer__union")
        .order_by("team__union__path", "team__name", "team_id", "role", "pk")
    )
    wb = SafeWorkbook()
    sheet = wb.add_sheet(
        _("志愿服务队花名册"),
        [
            Column(_("序号"), 6, center=True),
            Column(_("志愿服务队名称"), 24),
            Column(_("组建工会"), 22),
            Column(_("活动通知"), 20),
            Column(_("队内职务"), 10, center=True),
            Column(_("姓名"), 10),
            Column(_("性别"), 6, center=True),
            Column(_("身份证号码"), 22, text=True),
            Column(_("联系电话"), 14, text=True),
            Column(_("工作单位"), 22),
            Column(_("组队要求"), 28),
        ],
        landscape=True,
    )
    sheet.title(_("志愿服务队花名册"))
    sheet.meta(_meta(user))
    sheet.header()
    n = 0
    for m in members.iterator(chunk_size=CHUNK):
        team = teams[m.team_id]
        v = m.volunteer
        n += 1
        sheet.row(
            [
                n,
                team.name,
                team.union.name,
                team.campaign.doc_number,
                m.get_role_display(),
                v.name,
                v.get_gender_display(),
                v.masked_id,
                v.phone,
                v.workplace,
                "；".join(team.composition.flags) or _("符合"),
            ]
        )
    return _finish(
        wb, user=user, what=_("志愿服务队花名册"), rows=n, filename=_("志愿服务队花名册")
    )


def project_list(*, user: Any) -> FileResponse:
    """志愿服务项目一览 (the fields of seed 000's 情况调度表)."""
    wb = SafeWorkbook()
    sheet = wb.add_sheet(
        _("志愿服务项目"),
        [
            Column(_("序号"), 6, center=True),
            Column(_("志愿服务队名称"), 22),
            Column(_("志愿服务项目名称"), 24),
            Column(_("项目执行时间"), 22),
            Column(_("参与项目总人次"), 10, center=True),
            Column(_("服务时长（小时）"), 10, center=True),
            Column(_("物质或资金支持情况"), 22),
            Column(_("支持金额（元）"), 12),
            Column(_("负责人姓名"), 10),
            Column(_("职务"), 12),
            Column(_("电话"), 14, text=True),
            Column(_("结对志愿服务单位、社区"), 22),
            Column(_("服务对象人数"), 10, center=True),
            Column(_("状态"), 10, center=True),
            Column(_("提示"), 24),
        ],
        landscape=True,
    )
    sheet.title(_("志愿服务项目一览"))
    sheet.meta(_meta(user))
    sheet.header()
    n = 0
    # The selector's rows carry their totals (person_times, total_hours) mypy cannot see.
    projects: Iterator[Any] = selectors.project_list(user=user, chunk=CHUNK)
    for p in projects:
        n += 1
        period = (
            f"{p.period_start:%Y-%m-%d} — {p.period_end:%Y-%m-%d}"
            if p.period_end
            else (f"{p.period_start:%Y-%m-%d} —")
        )
        sheet.row(
            [
                n,
                p.team.name,
                p.name,
                period,
                p.person_times,
                p.total_hours,
                p.support_items,
                p.support_amount,
                p.leader_name,
                p.leader_position,
                p.leader_phone,
                p.paired_unit,
                p.beneficiaries,
                p.get_status_display(),
                str(selectors.FLAG_NO_PAIRED_UNIT) if p.lacks_paired_unit else "",
            ]
        )
    return _finish(wb, user=user, what=_("志愿服务项目一览"), rows=n, filename=_("志愿服务项目"))


def activity_log(*, user: Any) -> FileResponse:
    """志愿服务日志: one row per activity with person-times and hours."""
    wb = SafeWorkbook()
    sheet = wb.add_sheet(
        _("志愿服务日志"),
        [
            Column(_("序号"), 6, center=True),
            Column(_("服务日期"), 12, center=True),
            Column(_("时间"), 14, center=True),
            Column(_("志愿服务队名称"), 22),
            Column(_("志愿服务项目名称"), 22),
            Column(_("活动类别"), 14),
            Column(_("服务地点"), 20),
            Column(_("服务内容"), 40),
            Column(_("特色活动"), 8, center=True),
            Column(_("服务对象人数"), 10, center=True),
            Column(_("参与人次"), 10, center=True),
            Column(_("服务时长（小时）"), 10, center=True),
            Column(_("记录人"), 10),
        ],
        landscape=True,
    )
    sheet.title(_("志愿服务日志"))
    sheet.meta(_meta(user))
    sheet.header()
    n = 0
    # The selector's rows carry annotations (person_times, total_hours) mypy cannot see.
    activities: Iterator[Any] = selectors.activity_list(user=user).iterator(chunk_size=CHUNK)
    for a in activities:
        n += 1
        sheet.row(
            [
                n,
                a.date,
                f"{a.start_time:%H:%M}-{a.end_time:%H:%M}",
                a.team.name,
                a.project.name if a.project_id else "",
                a.category.name if a.category_id else "",
                a.place,
                a.description,
                _("是") if a.featured else "",
                a.beneficiaries,
                a.person_times,
                a.total_hours,
                (a.created_by.get_full_name() or a.created_by.username) if a.created_by else "",
            ]
        )
    return _finish(wb, user=user, what=_("志愿服务日志"), rows=n, filename=_("志愿服务日志"))


RECORD_COLUMNS = [
    Column(_("序号"), 6, center=True),
    Column(_("姓名"), 10),
    Column(_("身份证号码"), 22, text=True),
    Column(_("服务日期"), 12, center=True),
    Column(_("服务内容"), 40),
    Column(_("服务地点"), 20),
    Column(_("服务时长（小时）"), 10, center=True),
    Column(_("志愿服务组织"), 24),
    Column(_("记录人"), 10),
]


def hours(*, user: Any, volunteer: Any | None = None) -> FileResponse:
    """志愿服务记录 for the national volunteer system (志愿服务记录与证明出具办法, 2021):
    one row per service record; for the whole scope also a summary sheet per volunteer."""
    wb = SafeWorkbook()
    if volunteer is None:
        summary = wb.add_sheet(
            _("志愿服务时长汇总"),
            [
                Column(_("序号"), 6, center=True),
                Column(_("姓名"), 10),
                Column(_("身份证号码"), 22, text=True),
                Column(_("登记工会"), 24),
                Column(_("服务人次"), 10, center=True),
                Column(_("服务时长（小时）"), 12, center=True),
                Column(_("积分"), 10, center=True),
            ],
        )
        summary.title(_("志愿服务时长汇总"))
        summary.meta(_meta(user))
        summary.header()
        for i, v in enumerate(
            selectors.hours_per_volunteer(user=user).iterator(chunk_size=CHUNK), 1
        ):
            summary.row(
                [
                    i,
                    v.name,
                    v.masked_id,
                    v.union.name,
                    v.person_times,
                    v.total_hours,
                    v.total_points,
                ]
            )
        records = selectors.all_service_records(user=user)
    else:
        records = selectors.service_records(user=user, volunteer=volunteer)
    sheet = wb.add_sheet(_("志愿服务记录"), RECORD_COLUMNS, landscape=True)
    sheet.title(_("志愿服务记录") + (f"（{volunteer.name}）" if volunteer is not None else ""))
    sheet.meta(_meta(user))
    sheet.header()
    n = 0
    for r in records.iterator(chunk_size=CHUNK):
        a = r.activity
        n += 1
        sheet.row(
            [
                n,
                r.volunteer.name,
                r.volunteer.masked_id,
                a.date,
                a.description,
                a.place,
                r.hours,
                a.team.union.name,
                (a.created_by.get_full_name() or a.created_by.username) if a.created_by else "",
            ]
        )
    name = _("志愿服务记录") + (f"-{volunteer.name}" if volunteer is not None else "")
    audit(
        user=user,
        action=AuditAction.EXPORT,
        target=volunteer,
        what="" if volunteer is not None else _("志愿服务记录"),
        rows=n,
    )
    return wb.response(name)
