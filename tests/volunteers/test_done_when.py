"""Issue 3 «Done when»: a grassroots clerk under 中山区总工会 registers a volunteer, three
reviewers approve in turn, the volunteer is on the roster, counts toward 中山区总工会's
quota, and the exported 花名册 matches seed 001's attachment column for column."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from openpyxl import load_workbook

from campaigns.models import Campaign, CampaignAddressee, CampaignKind
from tests.factories import make_id_number, make_member, make_union
from tests.volunteers.conftest import form_data
from unions.models import Role, UnionKind
from volunteers.models import QuotaAllocation, Volunteer, VolunteerStatus
from volunteers.selectors import quota_table

pytestmark = pytest.mark.django_db

SEED_ROSTER_COLUMNS = ["序号", "姓名", "性别", "身份证号码", "工作单位", "政治面貌", "身份", "特长"]


def test_registration_to_roster_through_three_approvals(client: Any) -> None:
    city = make_union(name="大连市总工会", code="DL", kind=UnionKind.CITY)
    zhongshan = make_union(city, name="中山区总工会", code="DL-01", kind=UnionKind.DISTRICT)
    xigang = make_union(city, name="西岗区总工会", code="DL-02", kind=UnionKind.DISTRICT)
    store = make_union(zhongshan, name="大连商场工会", code="DL-01-G01")
    campaign = Campaign.objects.create(
        issuer=city,
        doc_number="大工办发[2012]18号",
        title="关于组建工会服务帮扶志愿者队伍的通知",
        kind=CampaignKind.HELPER_CORPS,
        issue_date=date(2012, 7, 3),
        status="published",
        recruits_volunteers=True,
    )
    CampaignAddressee.objects.create(campaign=campaign, union=zhongshan)
    QuotaAllocation.objects.create(campaign=campaign, union=zhongshan, order=1, quota=300)
    QuotaAllocation.objects.create(campaign=campaign, union=xigang, order=2, quota=300)

    clerk = make_member(store, Role.CLERK, username="gr_clerk")
    reviewers = [
        make_member(store, Role.REVIEWER, username="gr_reviewer"),
        make_member(zhongshan, Role.REVIEWER, username="zs_reviewer"),
        make_member(city, Role.REVIEWER, username="dl_reviewer"),
    ]

    client.force_login(clerk)
    data = {
        **form_data(name="王芳", id_number=make_id_number(8, male=False), workplace="大连商场"),
        "union": store.pk,
        "campaign": campaign.pk,
    }
    response = client.post("/volunteers/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    volunteer = Volunteer.objects.get(name="王芳")
    assert volunteer.gender == "F"

    for reviewer in reviewers:
        client.force_login(reviewer)
        inbox = client.get("/volunteers/inbox/").content.decode()
        assert "王芳" in inbox
        response = client.post(
            f"/volunteers/{volunteer.pk}/review/", {"decision": "approved", "opinion": "同意"}
        )
        assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.APPROVED
    assert volunteer.steps.count() == 3

    client.force_login(reviewers[1])
    assert "王芳" in client.get("/volunteers/?status=approved").content.decode()
    row = quota_table(campaign=campaign, user=reviewers[1]).rows[0]
    assert (row.allocation.union, row.approved, row.quota) == (zhongshan, 1, 300)
    assert "中山区总工会" in client.get(f"/volunteers/quotas/{campaign.pk}/").content.decode()

    response = client.get(f"/volunteers/export/roster/?union={zhongshan.pk}")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [list(r) for r in wb.active.iter_rows(values_only=True)]
    assert rows[0][0] == "服务帮扶志愿者花名册"
    assert rows[1][0].startswith("区市县、产业工会：中山区总工会")
    assert rows[2] == SEED_ROSTER_COLUMNS
    assert rows[3] == [
        1,
        "王芳",
        "女",
        volunteer.masked_id,
        "大连商场",
        "中共党员",
        "在职职工",
        None,
    ]
