"""Issue 14 item 9: the day of the three user groups, walked through real pages.

1. Registration: a grassroots clerk starts from a recruiting notice, fills the 登记表,
   and three reviewers (unit, district, city: seed 001's chain) approve it from their
   inbox; the volunteer is then in the roster as 已通过 and counted in the quota table.
2. Reporting day: a grassroots clerk finds the due 情况调度表 on the home page, corrects
   a figure with a reason, submits; the issuer's reviewer returns it, the clerk
   resubmits, the reviewer accepts, and the dashboard counts it.
3. An admin downloads the 花名册 and the file holds the approved volunteer.
4. The public application: a clerk finds the QR code on the recruiting notice and prints
   the poster; a citizen scans it on a phone, applies, gets a 报名编号, goes Back without
   applying twice, and checks the status with the number and the ID number's last four
   characters (apply-*.png at 1366 px and 390 px).

Only the login page is opened by address: every later page is reached by a click on the
page before, so a dead end fails the journey. Each step leaves a full-page screenshot at
1366×768 in docs/journeys/<journey>-<nn>-<step>.png (committed, for people to look at).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Generator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from campaigns import services as campaign_services
from campaigns.models import CampaignAddressee, CampaignKind, CampaignStatus, Milestone, SheetKind
from reports.models import Submission
from tests.browser.conftest import ARTIFACTS
from tests.factories import PASSWORD, make_campaign, make_id_number, make_member
from tests.reports.helpers import make_records
from tests.volunteers.conftest import form_data
from unions.models import Role
from unionvol.idnumbers import mask_id_number
from volunteers import services as volunteer_services
from volunteers.demo import SPECIALTIES
from volunteers.exports import may_see_full_ids
from volunteers.models import (
    ApprovalDecision,
    QuotaAllocation,
    Specialty,
    Volunteer,
    VolunteerStatus,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# ``make journeys`` (UNIONVOL_JOURNEY_SHOTS=docs/journeys) refreshes the committed pictures;
# an ordinary test run writes them to a scratch folder and leaves the checkout clean.
SHOTS = (
    Path(os.environ["UNIONVOL_JOURNEY_SHOTS"]).resolve()
    if os.environ.get("UNIONVOL_JOURNEY_SHOTS")
    else Path(tempfile.gettempdir()) / "unionvol-journeys"
)
VIEWPORT = {"width": 1366, "height": 768}
HELPER_CORPS_TITLE = "关于组建工会服务帮扶志愿者队伍的通知"


class Journey:
    """The browser sessions of one journey (one per user) and its numbered screenshots."""

    def __init__(self, browser: Any, base: str, name: str) -> None:
        self.browser = browser
        self.base = base
        self.name = name
        self.step = 0
        self.contexts: list[Any] = []
        self.last_page: Any = None
        self.csp_violations: list[str] = []

    def log_in(self, username: str) -> Any:
        """A fresh session for the user, from the login page to the home page."""
        context = self.browser.new_context(locale="zh-CN", viewport=VIEWPORT)
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        # data-confirm buttons ask window.confirm(); the user says yes.
        page.on("dialog", lambda dialog: dialog.accept())
        page.on(
            "console",
            lambda msg: (
                self.csp_violations.append(msg.text)
                if "Content Security Policy" in msg.text
                else None
            ),
        )
        page.goto(f"{self.base}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        follow(page, page.locator("#login-form button[type=submit]"))
        assert page.url == f"{self.base}/", f"{username} did not reach the home page"
        assert "工作台" in heading(page)
        self.last_page = page
        return page

    def shot(self, page: Any, step: str) -> None:
        self.step += 1
        self.last_page = page
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{self.name}-{self.step:02d}-{step}.png"), full_page=True)

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def journey(browser: Any, live_server: Any, request: pytest.FixtureRequest) -> Generator[Any]:
    journeys: list[Journey] = []

    def start(name: str) -> Journey:
        # Screenshots of an earlier run (a step renamed or dropped) must not linger.
        for old in SHOTS.glob(f"{name}-*.png"):
            old.unlink()
        journeys.append(Journey(browser, live_server.url, name))
        return journeys[-1]

    yield start
    report = getattr(request.node, "rep_call", None)
    for j in journeys:
        if (report is None or report.failed) and j.last_page is not None:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            try:
                j.last_page.screenshot(
                    path=str(ARTIFACTS / f"journey-{j.name}.png"), full_page=True
                )
            except Exception as exc:  # a screenshot must not hide the real failure
                print(f"screenshot failed: {exc}")
        j.close()


def follow(page: Any, target: Any) -> None:
    """Click a link or button and wait for the page it leads to."""
    with page.expect_navigation():
        target.click()
    page.wait_for_load_state()


def heading(page: Any) -> str:
    return page.locator("h1").first.inner_text().strip()


def flash(page: Any) -> str:
    return "\n".join(page.locator(".alert").all_inner_texts())


def link(page: Any, name: str, *, within: str = "body") -> Any:
    return page.locator(within).get_by_role("link", name=name, exact=True).first


def nav(page: Any, name: str) -> Any:
    return page.locator("#mainnav-links").get_by_role("link", name=name, exact=True)


def awaiting(page: Any, label: str) -> Any:
    """The home page's 待办事项 entry with that label (asserted to be there)."""
    item = page.locator("#awaiting li").filter(has_text=label)
    assert item.count() == 1, page.locator("#awaiting").inner_text()
    return item


def brand(page: Any) -> Any:
    return page.locator(".navbar-brand")


# --- 1. registration ------------------------------------------------------------------
@pytest.fixture
def registration_day(tree: Any) -> Any:
    """Seed 001's chain: the city recruits through both districts, with quotas; a
    second open recruiting notice makes the preselection the campaign page's doing."""
    campaign = make_campaign(
        tree.city,
        doc_number="测工发〔2026〕8号",
        title=HELPER_CORPS_TITLE,
        kind=CampaignKind.HELPER_CORPS,
        recruits_volunteers=True,
        body="各区总工会：为深入开展工会服务帮扶工作，现就组建志愿者队伍有关事项通知如下。",
    )
    for order, (union, quota) in enumerate(((tree.district_a, 5), (tree.district_b, 3)), 1):
        CampaignAddressee.objects.create(campaign=campaign, union=union)
        QuotaAllocation.objects.create(campaign=campaign, union=union, quota=quota, order=order)
    other = make_campaign(
        tree.district_a,
        doc_number="甲工发〔2026〕3号",
        title="关于招募社区服务志愿者的通知",
        recruits_volunteers=True,
    )
    CampaignAddressee.objects.create(campaign=other, union=tree.grassroots_a)
    for order, specialty in enumerate(SPECIALTIES):
        Specialty.objects.create(name=specialty, order=order)
    for union, role, username, name in (
        (tree.grassroots_a, Role.CLERK, "gr_clerk", "李文"),
        (tree.grassroots_a, Role.REVIEWER, "gr_reviewer", "赵敏"),
        (tree.district_a, Role.REVIEWER, "da_reviewer", "钱进"),
        (tree.city, Role.REVIEWER, "city_reviewer", "孙立"),
    ):
        make_member(union, role, username=username, first_name=name)
    return campaign


def approve_from_registration_page(j: Journey, reviewer: str, name: str, step: str) -> Any:
    """A reviewer opens the registration from the inbox and agrees on its page."""
    page = j.log_in(reviewer)
    follow(page, awaiting(page, "待审批的志愿者登记").get_by_role("link"))
    assert heading(page).startswith("待我审批")
    assert name in page.locator("table").inner_text()
    j.shot(page, f"{step}-inbox")
    follow(page, link(page, name, within="table"))
    assert page.locator("#decision-form").is_visible()
    page.get_by_label("同意", exact=True).check()
    page.get_by_label("审批意见").fill("同意推荐。")
    j.shot(page, f"{step}-decide")
    follow(page, page.locator("#decision-form").get_by_role("button", name="提交审批意见"))
    assert "已提交审批意见：同意。" in flash(page)
    return page


def test_registration_passes_three_approvals_into_roster_and_quota(
    journey: Any, registration_day: Any, tree: Any
) -> None:
    campaign = registration_day
    j: Journey = journey("registration")
    name = "王晓明"
    id_number = make_id_number(42)

    # The clerk starts from the recruiting notice.
    clerk = j.log_in("gr_clerk")
    j.shot(clerk, "clerk-home")
    follow(clerk, nav(clerk, "活动通知"))
    j.shot(clerk, "campaigns")
    follow(clerk, link(clerk, HELPER_CORPS_TITLE))
    assert heading(clerk) == HELPER_CORPS_TITLE
    assert "测试市总工会 · 测工发〔2026〕8号" in clerk.locator("main").inner_text()
    j.shot(clerk, "campaign")
    follow(clerk, link(clerk, "登记志愿者"))
    assert heading(clerk) == "登记志愿者"
    # The form opens with the notice it was started from, not the other open one.
    assert clerk.locator("#id_campaign").input_value() == str(campaign.pk)
    assert HELPER_CORPS_TITLE in clerk.locator("#id_campaign option:checked").inner_text()
    assert (
        clerk.locator("#id_union option:checked")
        .inner_text()
        .strip()
        .endswith(tree.grassroots_a.name)
    )
    j.shot(clerk, "form-opened")
    data = form_data(id_number=id_number)
    clerk.fill("#id_name", name)
    clerk.select_option("#id_political_status", data["political_status"])
    clerk.fill("#id_id_number", id_number)
    clerk.fill("#id_phone", data["phone"])
    clerk.fill("#id_work_start", data["work_start"])
    clerk.select_option("#id_education", data["education"])
    clerk.select_option("#id_health", data["health"])
    clerk.fill("#id_workplace", data["workplace"])
    for specialty in ("法律咨询", "心理疏导"):
        clerk.get_by_label(specialty, exact=True).check()
    clerk.fill("#id_resume", data["resume"])
    clerk.fill("#id_application", data["application"])
    clerk.select_option("#id_identity", data["identity"])
    clerk.select_option("#id_member_type", data["member_type"])
    j.shot(clerk, "form-filled")
    follow(clerk, clerk.locator("input[type=submit][name=submit]"))
    assert f"已登记「{name}」，等待审批。" in flash(clerk)
    assert heading(clerk).startswith(name)
    assert "审核中" in heading(clerk)
    assert "等待「甲区某企业工会」审批。" in clerk.locator("main").inner_text()
    fields = clerk.locator("#volunteer-fields").inner_text()
    assert campaign.title in fields
    assert "法律咨询、心理疏导" in fields
    j.shot(clerk, "registered")

    # Level 1 and 2 decide on the registration's own page…
    unit = approve_from_registration_page(j, "gr_reviewer", name, "grassroots")
    trail = unit.locator("#trail").inner_text()
    assert "同意推荐。" in trail
    assert "赵敏" in trail
    assert "等待「甲区总工会」审批。" in unit.locator("main").inner_text()
    j.shot(unit, "grassroots-approved")
    district = approve_from_registration_page(j, "da_reviewer", name, "district")
    assert "等待「测试市总工会」审批。" in district.locator("main").inner_text()
    j.shot(district, "district-approved")

    # …the city agrees from the inbox itself (批量同意).
    city = j.log_in("city_reviewer")
    follow(city, awaiting(city, "待审批的志愿者登记").get_by_role("link"))
    row = city.locator("#bulk-approve tbody tr").filter(has_text=name)
    assert "3" in row.locator("td").nth(7).inner_text()  # the third level
    row.locator("input[name=volunteer]").check()
    city.fill("#id_opinion", "同意。")
    j.shot(city, "city-inbox")
    follow(city, city.get_by_role("button", name="批量同意"))
    assert "已批量同意 1 条登记。" in flash(city)
    assert "暂无待审批的志愿者登记。" in city.locator("main").inner_text()
    j.shot(city, "city-approved")

    volunteer = Volunteer.objects.get(id_number=id_number)
    assert volunteer.status == VolunteerStatus.APPROVED
    assert volunteer.campaign_id == campaign.pk

    # The clerk finds the volunteer approved in the roster…
    follow(clerk, nav(clerk, "志愿者"))
    roster_row = clerk.locator("#roster tbody tr").filter(has_text=name)
    assert roster_row.count() == 1
    assert "已通过" in roster_row.inner_text()
    assert tree.grassroots_a.name in roster_row.inner_text()
    assert "法律咨询、心理疏导" in roster_row.inner_text()
    j.shot(clerk, "roster")

    # …and the city counts it against 甲区's quota.
    follow(city, nav(city, "志愿者"))
    assert "已通过" in city.locator("#roster tbody tr").filter(has_text=name).inner_text()
    follow(city, link(city, campaign.doc_number, within="#quota-links"))
    assert heading(city) == "工会服务帮扶志愿者名额分配表"
    quota_row = city.locator("#quota-table tbody tr").filter(has_text=tree.district_a.name)
    cells = [c.strip() for c in quota_row.locator("td").all_inner_texts()]
    assert cells[1:5] == [tree.district_a.name, "5", "1", "0"], cells  # 人数 已通过 审批中
    assert "20%" in cells[5]
    j.shot(city, "quota-table")
    assert j.csp_violations == []


# --- 2. reporting day -----------------------------------------------------------------
@pytest.fixture
def reporting_day(tree: Any) -> dict[str, Any]:
    """The city asks both grassroots unions for a 情况调度表 due in ten days; grassroots A
    has a team, a project and two activities in the records. Publishing creates the
    reports at once."""
    campaign = make_campaign(
        tree.city,
        doc_number="测教工〔2026〕13号",
        title="助力脱贫攻坚志愿服务活动",
        status=CampaignStatus.DRAFT,
    )
    for union in (tree.grassroots_a, tree.grassroots_b):
        CampaignAddressee.objects.create(campaign=campaign, union=union)
    milestone = Milestone.objects.create(
        campaign=campaign,
        title="情况调度表",
        form=SheetKind.DISPATCH,
        due_date=timezone.localdate() + timedelta(days=10),
    )
    make_records(tree.grassroots_a, campaign)
    campaign_services.campaign_transition(campaign=campaign, action="publish")
    submission = Submission.objects.get(milestone=milestone, union=tree.grassroots_a)
    make_member(tree.grassroots_a, Role.CLERK, username="gr_clerk", first_name="李文")
    make_member(tree.city, Role.REVIEWER, username="city_reviewer", first_name="孙立")
    return {"campaign": campaign, "records": submission.data["blocks"][0]["records"]}


def open_due_report(clerk: Any, label: str, doc_number: str) -> None:
    """From the home page's 待办事项 to the union's own report."""
    follow(clerk, awaiting(clerk, label).get_by_role("link"))
    assert heading(clerk) == "报送"
    follow(clerk, clerk.get_by_role("link", name=re.compile(re.escape(doc_number))).first)


def test_reporting_day_correct_submit_return_resubmit_accept(
    journey: Any, reporting_day: dict[str, Any], tree: Any
) -> None:
    campaign = reporting_day["campaign"]
    records = reporting_day["records"]
    corrected = records["person_times"] + 5
    reason = "另有5人次的送教活动尚未录入系统。"
    j: Journey = journey("reporting")

    # The due report is on the clerk's home page before any report page was visited.
    clerk = j.log_in("gr_clerk")
    assert awaiting(clerk, "待报送的材料").locator(".badge").inner_text() == "1"
    j.shot(clerk, "clerk-home")
    follow(clerk, awaiting(clerk, "待报送的材料").get_by_role("link"))
    own = clerk.locator(".card").filter(has_text="本单位的报送")
    assert f"{campaign.doc_number} · " in own.inner_text()
    assert "草稿" in own.inner_text()
    j.shot(clerk, "reports")
    follow(clerk, own.get_by_role("link").first)
    assert heading(clerk) == f"情况调度表 · {tree.grassroots_a.name}"
    figure = clerk.locator("#id_person_times_0")
    assert figure.input_value() == str(records["person_times"])
    assert f"系统记录：{records['person_times']}" in clerk.locator("main").inner_text()
    j.shot(clerk, "report-opened")

    # A corrected figure without a reason is refused, naming the figure.
    figure.fill(str(corrected))
    clerk.fill("#id_progress_0", "开展送教下乡两次，覆盖港湾社区四十名学生。")
    follow(clerk, clerk.get_by_role("button", name="报送", exact=True))
    assert (
        "“送教下乡”的参与项目总人次与系统记录不同，请填写原因。"
        in clerk.locator("main").inner_text()
    )
    assert clerk.locator("#id_person_times_0").input_value() == str(corrected)
    j.shot(clerk, "reason-needed")
    clerk.fill("#id_reason_0", reason)
    follow(clerk, clerk.get_by_role("button", name="报送", exact=True))
    assert "已报送。" in flash(clerk)
    assert "已报送" in clerk.locator("main").inner_text()
    assert clerk.locator("#id_person_times_0").count() == 0  # frozen once sent
    j.shot(clerk, "submitted")

    # The issuer's reviewer returns it with a comment.
    reviewer = j.log_in("city_reviewer")
    open_due_report(reviewer, "待审核的报送", campaign.doc_number)
    sheet = reviewer.locator(".dispatch-block").inner_text()
    assert f"系统记录 {records['person_times']}" in sheet
    assert reason in sheet
    reviewer.get_by_label("审核意见").fill("请补充服务对象的具体情况。")
    j.shot(reviewer, "review")
    follow(reviewer, reviewer.get_by_role("button", name="退回", exact=True))
    assert "已退回。" in flash(reviewer)
    j.shot(reviewer, "returned")

    # The clerk sees why, adds to the text, and sends it again.
    follow(clerk, brand(clerk))
    open_due_report(clerk, "待报送的材料", campaign.doc_number)
    assert "审核意见：请补充服务对象的具体情况。" in flash(clerk)
    assert clerk.locator("#id_person_times_0").input_value() == str(corrected)
    assert clerk.locator("#id_reason_0").input_value() == reason
    clerk.fill(
        "#id_progress_0",
        "开展送教下乡两次，服务港湾社区小学四年级学生四十名，赠送图书两百册。",
    )
    j.shot(clerk, "resubmit")
    follow(clerk, clerk.get_by_role("button", name="报送", exact=True))
    assert "已报送。" in flash(clerk)
    j.shot(clerk, "resubmitted")

    # The reviewer accepts; the records stay beside the corrected figure.
    follow(reviewer, brand(reviewer))
    open_due_report(reviewer, "待审核的报送", campaign.doc_number)
    reviewer.get_by_label("审核意见").fill("同意。")
    follow(reviewer, reviewer.get_by_role("button", name="采纳", exact=True))
    assert "已采纳。" in flash(reviewer)
    sheet = reviewer.locator(".dispatch-block").inner_text()
    assert str(corrected) in sheet
    assert f"系统记录 {records['person_times']}" in sheet
    assert "赠送图书两百册" in sheet
    assert "已采纳" in reviewer.locator("main").inner_text()
    j.shot(reviewer, "accepted")

    # The dashboard: grassroots A on time, grassroots B not yet.
    follow(reviewer, link(reviewer, campaign.doc_number, within=".breadcrumb"))
    follow(reviewer, link(reviewer, "统计看板"))
    assert heading(reviewer) == "统计看板"
    counts = reviewer.locator("tfoot tr").filter(has_text="已报 / 按时 / 逾期 / 未报")
    assert counts.locator("td").first.inner_text().strip() == "1 / 1 / 0 / 1"
    assert (
        reviewer.locator("tfoot tr")
        .filter(has_text="按时率")
        .locator("td")
        .first.inner_text()
        .strip()
        .startswith("50")
    )
    j.shot(reviewer, "dashboard")
    assert j.csp_violations == []


# --- 3. roster download ---------------------------------------------------------------
@pytest.fixture
def approved_volunteer(tree: Any) -> Volunteer:
    """A volunteer registered by the grassroots clerk and approved at the three levels."""
    campaign = make_campaign(
        tree.city,
        title=HELPER_CORPS_TITLE,
        kind=CampaignKind.HELPER_CORPS,
        recruits_volunteers=True,
    )
    CampaignAddressee.objects.create(campaign=campaign, union=tree.district_a)
    clerk = make_member(tree.grassroots_a, Role.CLERK, username="gr_clerk")
    volunteer = volunteer_services.volunteer_register(
        union=tree.grassroots_a,
        data=form_data(name="王晓明", id_number=make_id_number(42)),
        by=clerk,
        campaign=campaign,
    )
    for union in (tree.grassroots_a, tree.district_a, tree.city):
        reviewer = make_member(union, Role.REVIEWER)
        volunteer_services.approval_decide(
            volunteer=volunteer, by=reviewer, decision=ApprovalDecision.APPROVED
        )
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.APPROVED
    return volunteer


def test_admin_downloads_the_roster(
    journey: Any, approved_volunteer: Volunteer, tree: Any, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    admin_user = make_member(tree.city, Role.ADMIN, username="city_admin", first_name="周平")
    j: Journey = journey("roster")
    admin = j.log_in("city_admin")
    j.shot(admin, "admin-home")
    follow(admin, nav(admin, "志愿者"))
    row = admin.locator("#roster tbody tr").filter(has_text=approved_volunteer.name)
    assert "已通过" in row.inner_text()
    j.shot(admin, "roster")

    with admin.expect_download() as info:
        admin.get_by_role("link", name="导出花名册（已通过）").click()
    download = info.value
    assert download.suggested_filename.startswith("服务帮扶志愿者花名册-")
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    sheet = load_workbook(path).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "服务帮扶志愿者花名册"
    number = approved_volunteer.id_number
    shown = number if may_see_full_ids(admin_user) else mask_id_number(number)
    mine = [r for r in rows if r[1] == approved_volunteer.name]
    assert len(mine) == 1, rows
    assert list(mine[0][:7]) == [
        1,
        approved_volunteer.name,
        approved_volunteer.get_gender_display(),
        shown,
        approved_volunteer.workplace,
        approved_volunteer.get_political_status_display(),
        approved_volunteer.get_identity_display(),
    ]
    # The page stays where it was: the download is not a dead end either.
    assert heading(admin) == "志愿者花名册"
    j.shot(admin, "downloaded")
    assert j.csp_violations == []


# --- 4. the public application ----------------------------------------------------------
PHONE_VIEWPORT = {"width": 390, "height": 844}


def shot_both(j: Journey, page: Any, step: str) -> None:
    """The page at 1366 px and at 390 px (a phone), back at the width it had."""
    size = page.viewport_size
    for label, viewport in (("1366", VIEWPORT), ("390", PHONE_VIEWPORT)):
        page.set_viewport_size(viewport)
        j.shot(page, f"{step}-{label}")
    page.set_viewport_size(size)


@pytest.fixture
def recruiting_union(tree: Any, settings: Any, live_server: Any) -> Any:
    """The city recruits through district A; the links the pages print are the live
    server's own, as SITE_URL makes them in production."""
    settings.SITE_URL = live_server.url
    campaign = make_campaign(
        tree.city,
        doc_number="测工发〔2026〕8号",
        title=HELPER_CORPS_TITLE,
        kind=CampaignKind.HELPER_CORPS,
        recruits_volunteers=True,
    )
    CampaignAddressee.objects.create(campaign=campaign, union=tree.district_a)
    for order, specialty in enumerate(SPECIALTIES):
        Specialty.objects.create(name=specialty, order=order)
    make_member(tree.grassroots_a, Role.CLERK, username="gr_clerk", first_name="李文")
    make_member(tree.grassroots_a, Role.REVIEWER, username="gr_reviewer", first_name="赵敏")
    return campaign


def test_citizen_scans_applies_and_checks_the_status(
    journey: Any, recruiting_union: Any, tree: Any, browser: Any
) -> None:
    campaign = recruiting_union
    j: Journey = journey("apply")

    # The union's clerk finds the QR code on the recruiting notice and prints a poster.
    clerk = j.log_in("gr_clerk")
    follow(clerk, nav(clerk, "活动通知"))
    follow(clerk, link(clerk, HELPER_CORPS_TITLE))
    follow(clerk, link(clerk, "网上报名二维码"))
    assert heading(clerk) == "网上报名二维码"
    short_url = clerk.locator("#short-url").inner_text().strip()
    assert re.fullmatch(rf"{re.escape(j.base)}/j/[2-9a-z]{{7}}/", short_url), short_url
    assert clerk.locator("#qr-image").evaluate("img => img.naturalWidth") > 200
    shot_both(j, clerk, "clerk-qr")
    follow(clerk, link(clerk, "打印海报"))
    assert short_url in clerk.locator("#poster-url").inner_text()
    assert clerk.locator(".apply-qr").evaluate("img => img.naturalWidth") > 200
    shot_both(j, clerk, "poster")

    # A citizen scans it with a phone: the form of that union and notice, no search.
    context = browser.new_context(locale="zh-CN", viewport=PHONE_VIEWPORT)
    j.contexts.append(context)
    citizen = context.new_page()
    citizen.set_default_timeout(10_000)
    citizen.on(
        "console",
        lambda msg: (
            j.csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None
        ),
    )
    citizen.goto(short_url)
    card = citizen.locator("#apply-union").inner_text()
    assert tree.grassroots_a.name in card
    assert HELPER_CORPS_TITLE in card
    assert citizen.locator("#union-search").count() == 0
    shot_both(j, citizen, "form")
    number = make_id_number(77)
    data = form_data(id_number=number)
    citizen.fill("#id_name", "陈小红")
    citizen.fill("#id_id_number", " ".join([number[:6], number[6:14], number[14:]]))
    citizen.fill("#id_phone", data["phone"])
    citizen.fill("#id_workplace", data["workplace"])
    citizen.get_by_label("法律咨询", exact=True).check()
    citizen.fill("#id_application", data["application"])
    citizen.locator("#id_consent").check()
    follow(citizen, citizen.locator("input[type=submit][name=submit]"))
    assert citizen.url.endswith("/volunteers/apply/done/")
    reference = citizen.locator("#reference").inner_text().strip()
    volunteer = Volunteer.objects.get(id_number=number)
    assert volunteer.reference == reference
    assert (volunteer.union, volunteer.campaign) == (tree.grassroots_a, campaign)
    shot_both(j, citizen, "done")

    # Back and forward again: no second application, the number is not shown twice.
    citizen.go_back()
    citizen.wait_for_load_state()
    assert citizen.locator("#id_name").input_value() in ("", "陈小红")
    citizen.go_forward()
    citizen.wait_for_load_state()
    assert reference not in citizen.locator("main").inner_text()
    assert Volunteer.objects.filter(self_applied=True).count() == 1

    # The status, by 报名编号 and the last four characters of the ID number.
    follow(citizen, link(citizen, "查询审核进度"))
    assert heading(citizen) == "报名进度查询"
    citizen.fill("#id_reference", reference.lower())
    citizen.fill("#id_id_tail", "0000" if not number.endswith("0000") else "1111")
    follow(citizen, citizen.get_by_role("button", name="查询"))
    assert "报名编号或身份证号码后四位不正确" in citizen.locator("main").inner_text()
    shot_both(j, citizen, "status-wrong")
    citizen.fill("#id_id_tail", number[-4:])
    follow(citizen, citizen.get_by_role("button", name="查询"))
    status = citizen.locator("#application-status").inner_text()
    assert "审核中" in status
    assert "待「甲区某企业工会」审核（第 1 级，共 3 级）" in status
    assert "陈**" in status
    assert "陈小红" not in citizen.content()
    shot_both(j, citizen, "status-pending")

    # The union's reviewer agrees; the citizen sees the next level.
    volunteer_services.approval_decide(
        volunteer=volunteer,
        by=volunteer.union.memberships.get(role=Role.REVIEWER).user,
        decision=ApprovalDecision.APPROVED,
    )
    follow(citizen, link(citizen, "查询其他报名"))
    citizen.fill("#id_reference", reference)
    citizen.fill("#id_id_tail", number[-4:])
    follow(citizen, citizen.get_by_role("button", name="查询"))
    assert "第 2 级，共 3 级" in citizen.locator("#application-status").inner_text()
    assert j.csp_violations == []
