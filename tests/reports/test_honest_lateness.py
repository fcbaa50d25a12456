"""Honest lateness: a union is on time or late by its FIRST submission; acceptance,
return and resubmission never change it. The dashboard's 已报 / 按时 / 逾期 / 未报 and
their rates count every addressed union."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from campaigns.models import CampaignAddressee, CampaignStatus, Milestone
from reports import services
from reports.models import Submission
from reports.selectors import completeness_matrix
from tests.factories import make_campaign, make_member, make_union
from unions.models import Role, UnionKind

pytestmark = pytest.mark.django_db


def _submit(sub: Submission, clerk: Any) -> Submission:
    sub.refresh_from_db()
    services.submission_submit(submission=sub, user=clerk, version=sub.version)
    sub.refresh_from_db()
    return sub


def _review(sub: Submission, reviewer: Any, *, accept: bool) -> None:
    sub.refresh_from_db()
    services.submission_review(
        submission=sub, user=reviewer, accept=accept, comment="请补充", version=sub.version
    )


def test_on_time_late_returned_and_missing_are_counted_honestly(tree: Any) -> None:
    city = tree.city
    districts = [tree.district_a, tree.district_b]
    districts += [
        make_union(city, name=f"丙{i}区总工会", code=f"C-X{i}", kind=UnionKind.DISTRICT)
        for i in range(2)
    ]
    campaign = make_campaign(city, status=CampaignStatus.PUBLISHED)
    for d in districts:
        CampaignAddressee.objects.get_or_create(campaign=campaign, union=d)
    today = timezone.localdate()
    ms = Milestone.objects.create(
        campaign=campaign, title="总结", form="summary", due_date=today + timedelta(days=5)
    )
    services.ensure_submissions(milestone=ms)
    clerks = [make_member(d, Role.CLERK) for d in districts]
    reviewer = make_member(city, Role.REVIEWER)
    subs = [Submission.objects.get(milestone=ms, union=d) for d in districts]
    for sub in subs:
        sub.narrative = "全年开展志愿服务活动十二次。" * 20
        sub.save()

    on_time, late, returned, never = subs
    _submit(on_time, clerks[0])
    first = _submit(returned, clerks[2])
    assert (first.first_days_late, first.days_late) == (0, 0)

    ms.due_date = today - timedelta(days=3)  # the deadline passes
    ms.save()
    assert _submit(late, clerks[1]).first_days_late == 3
    _review(returned, reviewer, accept=False)
    again = _submit(returned, clerks[2])
    assert again.days_late == 3  # this submission was late …
    assert again.first_days_late == 0  # … but the union first reported on time
    _review(on_time, reviewer, accept=True)
    _review(late, reviewer, accept=True)
    late.refresh_from_db()
    assert late.status == "accepted"
    assert late.first_days_late == 3  # acceptance does not make it on time

    column = completeness_matrix(campaign=campaign, user=reviewer).columns[0]
    assert (column.reported, column.on_time, column.late, column.missing) == (3, 2, 1, 1)
    assert column.reporting_rate == 75.0
    assert column.on_time_rate == 50.0
    assert column.late_rate == 25.0
    assert never.union not in {s.union for s in (on_time, late, returned)}


def test_an_accepted_late_report_still_shows_its_lateness_on_the_dashboard(
    tree: Any, client: Any
) -> None:
    campaign = make_campaign(tree.city, status=CampaignStatus.PUBLISHED)
    CampaignAddressee.objects.get_or_create(campaign=campaign, union=tree.district_a)
    today = timezone.localdate()
    ms = Milestone.objects.create(
        campaign=campaign, title="总结", form="summary", due_date=today - timedelta(days=2)
    )
    services.ensure_submissions(milestone=ms)
    sub = Submission.objects.get(milestone=ms)
    sub.narrative = "全年开展志愿服务活动十二次。" * 20
    sub.save()
    _submit(sub, make_member(tree.district_a, Role.CLERK))
    reviewer = make_member(tree.city, Role.REVIEWER)
    _review(sub, reviewer, accept=True)
    client.force_login(reviewer)
    page = client.get(f"/reports/campaigns/{campaign.pk}/dashboard/").content.decode()
    assert "首报逾期2天" in page
