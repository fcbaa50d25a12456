"""The official sheets: one class each in one registry, the same figures everywhere, the
roster of a campaign is its approved volunteers, full numbers by the one rule, and every
sheet a union fills offline reads back through its own class and re-exports unchanged."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from campaigns.models import SheetKind
from reports import exports
from reports.models import Submission, SubmissionStatus, SubmissionVersion
from service.figures import service_figures
from tests.campaigns.factories import add_members, make_activity, make_project, make_team
from tests.factories import make_id_number, make_member, make_volunteer
from tests.reports.factories import make_reporting_campaign
from unions.models import Role
from unionvol.idnumbers import mask_id_number
from unionvol.sheets import SHEETS, Period, get_sheet
from unionvol.xlsx import SafeWorkbook

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
OWNERS = {
    "dispatch": "service",
    "plan": "service",
    "typical": "service",
    "summary": "service",
    "quota": "volunteers",
    "roster": "volunteers",
    "registration": "volunteers",
    "warmth_stats": "relief",
}


def saved(wb: SafeWorkbook) -> Any:
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return load_workbook(buf)


def values(ws: Any) -> list[list[Any]]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def texts(ws: Any) -> list[str]:
    return [str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None]


# --- one class per sheet, one registry ---------------------------------------------------------


def test_every_official_sheet_is_one_registered_class_of_its_owning_app() -> None:
    assert set(SHEETS) == set(SheetKind.values)
    for key, sheet in SHEETS.items():
        assert type(sheet).__module__ == f"{OWNERS[key]}.sheets", key


def test_no_second_writer_of_an_official_sheet() -> None:
    """No module that writes worksheets, other than the sheet classes' own, names an
    official sheet's title (the old writers did: 统计表 on the relief page, 花名册 in
    the volunteers app, a second copy in reports)."""
    titles = {str(sheet.title) for sheet in SHEETS.values()}
    allowed = {f"{app}/sheets.py" for app in set(OWNERS.values())} | {"unionvol/sheets.py"}
    offenders = []
    for app in ("unionvol", "unions", "campaigns", "volunteers", "service", "relief", "reports"):
        for path in (ROOT / app).rglob("*.py"):
            rel = str(path.relative_to(ROOT))
            if rel in allowed or "/migrations/" in rel:
                continue
            text = path.read_text(encoding="utf-8")
            if "add_sheet(" not in text and "Workbook(" not in text:
                continue
            offenders += [f"{rel}: {t}" for t in titles if t in text]
    assert offenders == []


# --- the roster of a campaign -------------------------------------------------------------------


@pytest.fixture
def roster_campaign(tree: Any) -> Any:
    campaign = make_reporting_campaign(
        tree.city, [tree.district_a, tree.district_b], forms=("roster",), title="帮扶志愿者"
    )
    other = make_reporting_campaign(tree.city, [tree.district_a], forms=("roster",))
    make_volunteer(tree.grassroots_a, name="甲通过", status="approved", campaign=campaign)
    make_volunteer(tree.district_a, name="甲本级通过", status="approved", campaign=campaign)
    make_volunteer(tree.grassroots_a, name="甲审核中", status="pending", campaign=campaign)
    make_volunteer(tree.grassroots_a, name="甲退回", status="returned", campaign=campaign)
    make_volunteer(tree.grassroots_a, name="甲未通过", status="rejected", campaign=campaign)
    make_volunteer(tree.grassroots_a, name="甲别的通知", status="approved", campaign=other)
    make_volunteer(tree.grassroots_b, name="乙通过", status="approved", campaign=campaign)
    make_volunteer(tree.city, name="市本级通过", status="approved", campaign=campaign)
    return campaign


def _names(ws: Any) -> list[str]:
    return [r[1] for r in values(ws)[3:] if isinstance(r[0], int)]


def test_a_districts_roster_lists_exactly_its_approved_volunteers_of_the_campaign(
    tree: Any, roster_campaign: Any
) -> None:
    wb = exports.form_workbook("roster", union=tree.district_a, campaign=roster_campaign)
    ws = saved(wb).active
    rows = values(ws)
    assert rows[0][0] == "服务帮扶志愿者花名册"
    assert rows[1][0] == "区市县、产业工会：甲区总工会"
    assert rows[2] == ["序号", "姓名", "性别", "身份证号码", "工作单位", "政治面貌", "身份", "特长"]
    assert sorted(_names(ws)) == ["甲本级通过", "甲通过"]
    assert rows[-1][0] == 2  # the seed's table ends with its last volunteer: no 合计 row


def test_the_aggregated_roster_has_the_issuers_own_then_a_block_per_district(
    tree: Any, roster_campaign: Any
) -> None:
    wb = exports.form_workbook("roster", union=tree.city, campaign=roster_campaign, aggregate=True)
    ws = saved(wb).active
    rows = values(ws)
    assert rows[1][0] == "汇总单位：测试市总工会（共4人）"
    blocks = [r[0] for r in rows if str(r[0]).startswith("区市县、产业工会：")]
    assert blocks == [
        "区市县、产业工会：测试市总工会（本级）（1人）",
        # Nobody has submitted the roster: each district is printed from its records, marked.
        "区市县、产业工会：甲区总工会（未报送，按系统记录）（2人）",
        "区市县、产业工会：乙区总工会（未报送，按系统记录）（1人）",
    ]
    assert sorted(_names(ws)) == ["乙通过", "市本级通过", "甲本级通过", "甲通过"]
    assert rows[-1][0] == 4  # numbered on through the blocks, no 合计 row


def test_a_roster_asked_for_a_status_carries_a_status_column(
    tree: Any, roster_campaign: Any, client_as: Any
) -> None:
    admin = make_member(tree.district_a, Role.ADMIN, username="adm")
    url = f"/volunteers/export/roster/?union={tree.district_a.pk}&campaign={roster_campaign.pk}"
    ws = load_workbook(io.BytesIO(b"".join(client_as(admin).get(url + "&status=all"))))
    rows = values(ws.active)
    assert rows[2][-1] == "状态"
    statuses = {r[1]: r[-1] for r in rows[3:] if isinstance(r[0], int)}
    assert statuses == {
        "甲通过": "已通过",
        "甲本级通过": "已通过",
        "甲审核中": "审核中",
        "甲退回": "已退回",
        "甲未通过": "未通过",
    }
    plain = load_workbook(io.BytesIO(b"".join(client_as(admin).get(url))))
    assert values(plain.active)[2][-1] == "特长"
    assert sorted(_names(plain.active)) == ["甲本级通过", "甲通过"]


# --- full ID numbers by the one rule ----------------------------------------------------------


def test_full_numbers_for_holders_and_the_operator_the_mask_for_everyone_else(
    tree: Any, roster_campaign: Any, client_as: Any, tmp_path: Path
) -> None:
    number = make_id_number(77)
    make_volunteer(
        tree.grassroots_a,
        name="持证",
        status="approved",
        campaign=roster_campaign,
        id_number=number,
    )
    clerk = make_member(tree.city, Role.CLERK, username="city_clerk")
    holder = make_member(tree.city, Role.CLERK, username="city_holder")
    holder.user_permissions.add(Permission.objects.get(codename="view_full_id"))
    for form_id in ("roster", "registration"):
        for user, full in ((clerk, False), (holder, True)):
            resp = client_as(user).post(
                f"/reports/campaigns/{roster_campaign.pk}/export/",
                {"kind": "form", "form": form_id, "union": tree.district_a.pk},
            )
            assert resp.status_code == 200, resp.content[:400]
            text = "".join(texts(load_workbook(io.BytesIO(b"".join(resp))).active))
            assert (number in text) is full, (form_id, user.username)
            assert mask_id_number(number) in text or full
    from django.core.management import call_command

    out = tmp_path / "r.xlsx"
    call_command(
        "export_sheet", "roster", "--campaign", roster_campaign.doc_number, "--aggregate",
        "-o", str(out), stdout=io.StringIO(),
    )  # fmt: skip
    assert number in "".join(texts(load_workbook(out).active))
    # No snapshot a district submits holds a full number.
    data = get_sheet("roster").prefill(tree.district_a, Period.of_campaign(roster_campaign))
    assert number not in str(data)


# --- the same figures everywhere -------------------------------------------------------------


@pytest.fixture
def service_campaign(tree: Any) -> Any:
    campaign = make_reporting_campaign(
        tree.city,
        [tree.district_a, tree.district_b],
        forms=("dispatch", "plan", "summary"),
        title="助力脱贫攻坚",
    )
    for union, people in ((tree.city, 2), (tree.grassroots_a, 3), (tree.grassroots_b, 1)):
        team = make_team(union, campaign, name=f"{union.name}服务队")
        add_members(team, volunteers=people)
        project = make_project(team, name=f"{union.name}项目", beneficiaries=10 * people)
        make_activity(team, project=project, people=people, date=date(2026, 3, 10))
        make_project(team, name=f"{union.name}提议", status="proposed", beneficiaries=99)
    return campaign


def test_dispatch_summary_and_dashboard_agree_and_the_issuers_own_team_counts(
    tree: Any, service_campaign: Any
) -> None:
    campaign = service_campaign
    for union in (tree.district_a, tree.district_b, tree.city):
        fig = service_figures([union.path], campaign=campaign)[union.path]
        summary = get_sheet("summary").prefill(union, Period.of_campaign(campaign))["service"]
        blocks = get_sheet("dispatch").prefill(union, Period.of_campaign(campaign))["blocks"]
        counted = [b for b in blocks if b["project"]]
        assert summary["projects"] == fig.projects == len(counted)
        assert summary["project_person_times"] == fig.project_person_times
        assert fig.project_person_times == sum(b["person_times"] for b in counted)
        assert (
            summary["beneficiaries"]
            == fig.beneficiaries
            == sum(b["beneficiaries"] for b in counted)
        )
    # Aggregated: the issuer's own team first (本级), then each district; 合计 = the city's.
    city = service_figures([tree.city.path], campaign=campaign)[tree.city.path]
    ws = saved(
        exports.form_workbook("plan", union=tree.city, campaign=campaign, aggregate=True)
    ).active
    rows = values(ws)
    body = [r for r in rows if isinstance(r[0], int)]
    assert [r[1] for r in body] == [
        "测试市总工会（本级）",
        "甲区总工会（未报送，按系统记录）",
        "乙区总工会（未报送，按系统记录）",
    ]
    assert [r[3] for r in body] == [2, 3, 1]  # each union's own team's members
    total = next(r for r in rows if r[0] == "合计")
    assert total[3] == city.members
    ws = saved(
        exports.form_workbook("dispatch", union=tree.city, campaign=campaign, aggregate=True)
    ).active
    rows = values(ws)
    total = rows[-2]  # above the note on who reported
    assert total[0] == "合计"
    assert city.project_person_times == 6
    assert total[2:] == [city.projects, city.members, city.project_person_times, 30 + 10 + 20]


def test_the_summary_counts_the_units_listed_and_says_which_reported(
    tree: Any, service_campaign: Any
) -> None:
    milestone = service_campaign.milestones.get(form="dispatch")
    sub = Submission.objects.create(
        milestone=milestone,
        union=tree.district_a,
        data=exports.prefill("dispatch", tree.district_a, Period.of_milestone(milestone)),
        status=SubmissionStatus.SUBMITTED,
    )
    SubmissionVersion.objects.create(
        submission=sub, number=1, snapshot=sub.data, submitted_at=timezone.now()
    )
    ws = saved(
        exports.form_workbook(
            "dispatch", union=tree.city, campaign=service_campaign, aggregate=True
        )
    ).active
    rows = values(ws)
    assert rows[-3][1] == "填报单位数"
    assert rows[-2][1] == 2  # the two districts listed (the 本级 is no 填报单位)
    assert rows[-1][0].startswith("其中已报送1个单位，未报送1个单位（按系统记录列出）")
    labels = [r[0] for r in rows if str(r[0]).startswith("填报单位：")]
    assert labels == [
        "填报单位：测试市总工会（本级）",
        "填报单位：甲区总工会",
        "填报单位：乙区总工会（未报送，按系统记录）",
    ]


# --- round trip ---------------------------------------------------------------------------------


def test_a_dispatch_sheet_reads_back_and_re_exports_identically(
    tree: Any, service_campaign: Any
) -> None:
    sheet = get_sheet("dispatch")
    data = sheet.prefill(tree.district_a, Period.of_campaign(service_campaign))
    data["blocks"][0]["progress"] = "进展顺利。" * 40
    first = saved(_written(sheet, tree.district_a, data)).active
    read = sheet.read(first)
    assert read.errors == []
    keys = [k for k, _l in read.labels]
    for block, back in zip(data["blocks"], read.data["blocks"], strict=True):
        assert {k: back[k] for k in keys} == {k: block[k] for k in keys}
    again = saved(_written(sheet, tree.district_a, read.data)).active
    assert values(again) == values(first)


def _written(sheet: Any, union: Any, data: dict[str, Any]) -> SafeWorkbook:
    wb = SafeWorkbook()
    sheet.write(wb, union, data)
    return wb


def test_a_statistics_sheet_keeps_its_year_through_a_round_trip(tree: Any) -> None:
    sheet = get_sheet("warmth_stats")
    data = {
        "year": 2019,
        "stats": {
            "aided": 12,
            "amount_wan": 3.5,
            "donations": 12000.5,
            "visits": 30,
            "prev_people": 10,
            "prev_amount": 28000,
        },
    }
    first = saved(_written(sheet, tree.district_a, data)).active
    rows = values(first)
    assert rows[0][0] == "2019年教育工会春节送温暖活动统计表"
    assert rows[1][0].startswith("工会（盖章）：")
    header = rows[2]
    assert header[1] == "2019年春节送温暖帮困受助人数"
    assert header[5:] == ["2018年度帮困总人数", "2018年度帮困总金额"]
    assert first.cell(row=4, column=4).number_format == '#,##0.00"元"'  # the unit in the cell
    read = sheet.read(first)
    assert read.errors == []
    assert read.data == data
    labels = dict(read.labels)
    assert labels["prev_people"] == "2018年度帮困总人数"
    assert values(saved(_written(sheet, tree.district_a, read.data)).active) == rows


def test_a_bad_figure_is_refused_with_its_row_and_label(tree: Any) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["2019年教育工会春节送温暖活动统计表"])
    ws.append(["序号", "2019年春节送温暖帮困受助人数", "帮困金额（万元）", "一日捐筹措资金（元）",
               "慰问走访人数", "2018年度帮困总人数", "2018年度帮困总金额（元）"])  # fmt: skip
    ws.append([1, "十二", 1, 1, 1.5, 1, 1])
    read = get_sheet("warmth_stats").read(ws)
    assert any(re.search(r"第3行：“2019年春节送温暖帮困受助人数”", e) for e in read.errors)
    assert any("慰问走访人数" in e for e in read.errors)


ROUND_TRIP = {
    "summary": {
        "service": {
            "teams": 2,
            "members": 9,
            "projects": 2,
            "activities": 5,
            "person_times": 31,
            "project_person_times": 28,
            "hours": 62.5,
            "beneficiaries": 120,
            "funds": 3000.5,
        },
        "narrative": "全年开展活动五次。\n服务对象一百二十人。",
    },
    "plan": {
        "teams": [
            {"team": "医疗服务队", "members": 6, "description": "义诊"},
            {"team": "法律服务队", "members": 3, "description": "=咨询"},
        ],
        "narrative": "三月启动，十二月总结。",
    },
    "quota": {
        "quotas": [
            {"union": "中山区总工会", "quota": 300, "note": ""},
            {"union": "西岗区总工会", "quota": 280, "note": "含新就业形态"},
        ]
    },
}


@pytest.mark.parametrize("form_id", sorted(ROUND_TRIP))
def test_every_table_sheet_reads_back_and_re_exports_identically(tree: Any, form_id: str) -> None:
    sheet = get_sheet(form_id)
    assert sheet.readable
    data = ROUND_TRIP[form_id]
    first = saved(_written(sheet, tree.district_a, data)).active
    read = sheet.read(first)
    assert read.errors == []
    assert read.data == data
    again = saved(_written(sheet, tree.district_a, read.data)).active
    assert values(again) == values(first)


def test_a_summary_filled_offline_imports_with_a_labelled_preview(
    tree: Any, client_as: Any
) -> None:
    from reports import services

    campaign = make_reporting_campaign(tree.city, [tree.district_a], forms=("summary",))
    milestone = campaign.milestones.get()
    services.ensure_submissions(milestone=milestone)
    sub = Submission.objects.get(milestone=milestone, union=tree.district_a)
    data = dict(ROUND_TRIP["summary"])
    upload = io.BytesIO()
    _written(get_sheet("summary"), tree.district_a, data).save(upload)
    upload.seek(0)
    upload.name = "summary.xlsx"
    clerk = make_member(tree.district_a, Role.CLERK, username="sum_clerk")
    client = client_as(clerk)
    page = client.post(f"/reports/submissions/{sub.pk}/import/", {"file": upload})
    assert page.status_code == 200
    html = page.content.decode()
    assert "参与项目总人次" in html  # labels, never keys
    assert "project_person_times" not in html
    assert "全年开展活动五次。" in html
    response = client.post(f"/reports/submissions/{sub.pk}/import/", {"confirm": "1"})
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.data["service"]["person_times"] == 31
    assert sub.data["records"]["person_times"] == 0  # what the records say, kept
    assert sub.narrative.startswith("全年开展活动五次。")
    # The figures differ from the records: submitting asks for the reason.
    errors = get_sheet("summary").validate(sub.data, narrative=sub.narrative)
    assert any("与系统记录不同" in e for e in errors)


def test_a_grassroots_union_sees_its_nearest_target_in_the_quota_table(tree: Any) -> None:
    from volunteers.models import QuotaAllocation

    campaign = make_reporting_campaign(tree.city, [tree.district_a], forms=("quota",))
    QuotaAllocation.objects.create(campaign=campaign, union=tree.district_a, quota=300, order=1)
    QuotaAllocation.objects.create(campaign=campaign, union=tree.district_b, quota=280, order=2)
    QuotaAllocation.objects.create(campaign=campaign, union=tree.city, quota=900, order=3)
    data = get_sheet("quota").prefill(tree.grassroots_a, Period.of_campaign(campaign))
    assert [(r["union"], r["quota"]) for r in data["quotas"]] == [("甲区总工会", 300)]
    data = get_sheet("quota").prefill(tree.city, Period.of_campaign(campaign))
    assert sum(r["quota"] for r in data["quotas"]) == 1480


@pytest.mark.parametrize("form_id", ["dispatch", "summary", "plan", "roster"])
def test_the_records_of_many_unions_at_once_are_each_unions_own(
    tree: Any, service_campaign: Any, form_id: str
) -> None:
    """An aggregate reads the records of the unions that have not reported all at once
    (``prefill_many``): the same data as each union's own prefill, nested unions too."""
    sheet = get_sheet(form_id)
    period = Period.of_campaign(service_campaign)
    unions = [tree.district_a, tree.district_b, tree.grassroots_a, tree.city]
    many = sheet.prefill_many(unions, period)
    assert many == {u.pk: sheet.prefill(u, period) for u in unions}
    if form_id == "dispatch":  # the records hold projects, so this compares something
        assert any(b.get("project") for b in many[tree.city.pk]["blocks"])
