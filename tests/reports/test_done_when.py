"""Issue 6 "Done when", under the demo data: a 高校工会 clerk opens the 6-30 milestone of
鲁教工〔2019〕13号, finds the dispatch sheet prefilled from its activities, writes the progress
text, submits one day late; the 山东 issuer sees the matrix and the totals, returns it, the
clerk resubmits, the issuer accepts and downloads the aggregated 调度表 and the whole-campaign
workbook; both open with openpyxl and carry the seed's labels."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from campaigns.models import Campaign
from reports.models import Submission, SubmissionStatus
from service.sheets import DISPATCH_LABELS, DISPATCH_TITLE
from tests.reports.test_exports import _texts, read
from unionvol.models import ExportJob, ExportStatus

pytestmark = pytest.mark.django_db

PROGRESS = "组织教师赴岸堤镇开展学习辅导，培训乡村教师六十人次，特色是“送教下乡”结对。"


def test_the_dispatch_story(client: Any, monkeypatch: Any) -> None:
    call_command("load_demo", stdout=io.StringIO())
    users = get_user_model().objects
    clerk, issuer = users.get(username="sdu_clerk"), users.get(username="sd_reviewer")
    campaign = Campaign.objects.get(doc_number="鲁教工〔2019〕13号")
    milestone = campaign.milestones.get(due_date=date(2019, 6, 30))
    july_1 = datetime(2019, 7, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    monkeypatch.setattr(timezone, "now", lambda: july_1)

    # the clerk opens the campaign: its submissions exist, prefilled from its activities
    client.force_login(clerk)
    assert client.get(f"/reports/campaigns/{campaign.pk}/").status_code == 200
    sub = Submission.objects.get(milestone=milestone, union__code="SD-U01")
    page = client.get(sub.get_absolute_url()).content.decode()
    assert "沂蒙山区乡村学校“送教下乡”" in page
    block = sub.data["blocks"][0]
    assert block["person_times"] > 0
    assert block["beneficiaries"] == 320
    assert block["team_size"] >= 9
    assert all(b["project"] != "乡村义诊与健康讲座" for b in sub.data["blocks"])  # only proposed
    assert sub.data["figures"]["hours"] > 0

    # writes the progress text and submits one day late
    fields = {f"progress_{i}": PROGRESS for i in range(len(sub.data["blocks"]))}
    resp = client.post(
        sub.get_absolute_url(), {"action": "submit", "version": sub.version, **fields}
    )
    assert resp.status_code == 302
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.SUBMITTED
    assert sub.days_late == 1
    assert "逾期 1 天" in client.get(sub.get_absolute_url()).content.decode()

    # the issuer sees the matrix and the totals
    client.force_login(issuer)
    dash = client.get(f"/reports/campaigns/{campaign.pk}/dashboard/").content.decode()
    assert "山东大学工会" in dash
    assert "逾期报送" in dash
    assert "报送率" in dash
    assert "<svg" in dash

    # returns it with a comment
    client.post(
        f"/reports/submissions/{sub.pk}/review/",
        {"decision": "return", "comment": "请补充特色做法", "version": sub.version},
    )
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.RETURNED

    # the clerk resubmits
    client.force_login(clerk)
    fields = {k: v + "补充：建立长期志愿服务基地。" for k, v in fields.items()}
    client.post(sub.get_absolute_url(), {"action": "submit", "version": sub.version, **fields})
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.SUBMITTED
    assert sub.versions.count() == 2

    # the issuer accepts
    client.force_login(issuer)
    client.post(
        f"/reports/submissions/{sub.pk}/review/",
        {"decision": "accept", "comment": "", "version": sub.version},
    )
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.ACCEPTED

    # and downloads the aggregated 调度表 ...
    sd = campaign.issuer
    resp = client.post(
        f"/reports/campaigns/{campaign.pk}/export/",
        {"kind": "aggregate", "form": "dispatch", "milestone": milestone.pk, "union": sd.pk},
    )
    job = ExportJob.objects.latest("pk")
    assert job.status == ExportStatus.DONE, job.error
    wb = load_workbook(read(client.get(f"/exports/{job.pk}/download/")))
    texts = _texts(wb)
    assert DISPATCH_TITLE in texts
    for label in DISPATCH_LABELS.values():
        assert label in texts
    assert "填报单位：山东大学工会" in texts
    assert any("建立长期志愿服务基地" in t for t in texts)
    assert "合计" in texts

    # ... and the whole-campaign workbook
    client.post(f"/reports/campaigns/{campaign.pk}/export/", {"kind": "campaign", "union": sd.pk})
    job = ExportJob.objects.latest("pk")
    assert job.status == ExportStatus.DONE, job.error
    wb = load_workbook(read(client.get(f"/exports/{job.pk}/download/")))
    assert "报送完成情况" in wb.sheetnames
    assert sum("情况调度表" in n for n in wb.sheetnames) == 3
    texts = _texts(wb)
    assert "已采纳" in texts
    for label in DISPATCH_LABELS.values():
        assert label in texts


def test_the_demo_shows_a_normal_reporting_day(settings: Any, tmp_path: Any, client: Any) -> None:
    """This year's round: the clerk's home lists due reports before any page was visited,
    and the dashboard's on-time rate matches a hand count of the submissions."""
    from django.contrib.auth import get_user_model

    from campaigns.demo import current_round_campaigns
    from reports.selectors import completeness_matrix

    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=io.StringIO())
    client.force_login(get_user_model().objects.get(username="sdu_clerk"))
    home = client.get("/").content.decode()
    assert "待报送的材料" in home
    reviewer = get_user_model().objects.get(username="sd_reviewer")
    campaign = next(c for c in current_round_campaigns() if c.issuer.code == "SD")
    column = completeness_matrix(campaign=campaign, user=reviewer).columns[0]
    subs = Submission.objects.filter(milestone=column.milestone)
    on_time = subs.filter(first_submitted_at__isnull=False, first_days_late=0).count()
    addressed = campaign.addressee_rows.count()
    assert column.on_time == on_time
    assert column.on_time_rate == round(100 * on_time / addressed, 1)
    assert 0 < column.on_time < addressed
