from __future__ import annotations

from typing import Any

import pytest

from reports import services
from reports.models import Submission
from tests.reports.helpers import make_records

pytestmark = pytest.mark.django_db


def test_dispatch_is_prefilled_from_the_records(campaign: Any, dispatch_ms: Any, tree: Any) -> None:
    dispatch_ms.due_date = dispatch_ms.due_date.replace(year=2026, month=12, day=31)
    dispatch_ms.save()
    make_records(tree.grassroots_a, campaign, people=3, activities=2)
    services.ensure_submissions(milestone=dispatch_ms)
    sub = Submission.objects.get(union=tree.district_a, milestone=dispatch_ms)
    block = sub.data["blocks"][0]
    assert block["team"] == "甲区某企业工会志愿服务队"
    assert block["project"] == "送教下乡"
    assert block["team_size"] == 4  # 3 volunteers + 1 cadre
    assert block["person_times"] == 6  # 3 people × 2 activities
    assert block["beneficiaries"] == 40
    assert "5000" in block["support"]
    assert block["leader_position"] == "副主席"
    figures = sub.data["figures"]
    assert figures["activities"] == 2
    assert figures["person_times"] == 6
    assert figures["hours"] == 12.0
    assert figures["funds"] == 5000.0
    # the sibling district has no records
    other = Submission.objects.get(union=tree.district_b, milestone=dispatch_ms)
    assert other.data["figures"]["activities"] == 0


def test_refresh_takes_new_records_and_keeps_the_typed_text(
    campaign: Any, dispatch_ms: Any, tree: Any, clerk_a: Any
) -> None:
    dispatch_ms.due_date = dispatch_ms.due_date.replace(year=2026, month=12, day=31)
    dispatch_ms.save()
    project = make_records(tree.grassroots_a, campaign, people=2, activities=1)
    services.ensure_submissions(milestone=dispatch_ms)
    sub = Submission.objects.get(union=tree.district_a, milestone=dispatch_ms)
    sub = services.submission_save(
        submission=sub, user=clerk_a, version=sub.version, cleaned={"progress_0": "已写的"}
    )
    from tests.campaigns.factories import make_activity

    make_activity(project.team, project=project, people=2)
    sub = services.submission_refresh(submission=sub, user=clerk_a, version=sub.version)
    assert sub.data["blocks"][0]["person_times"] == 4
    assert sub.data["blocks"][0]["progress"] == "已写的"


def test_submitted_figures_do_not_change_with_later_records(
    campaign: Any, dispatch_ms: Any, tree: Any, clerk_a: Any
) -> None:
    project = make_records(tree.grassroots_a, campaign, people=2, activities=1)
    services.ensure_submissions(milestone=dispatch_ms, unions=[tree.district_a])
    sub = Submission.objects.get(union=tree.district_a, milestone=dispatch_ms)
    sub = services.submission_save(
        submission=sub, user=clerk_a, version=sub.version, cleaned={"progress_0": "x"}
    )
    snap = services.submission_submit(submission=sub, user=clerk_a, version=sub.version)
    from tests.campaigns.factories import make_activity

    make_activity(project.team, project=project, people=2)
    from reports.exports import data_for

    data = data_for("dispatch", tree.district_a, campaign, dispatch_ms)
    assert data["blocks"][0]["person_times"] == snap.snapshot["blocks"][0]["person_times"]


def test_warmth_stats_prefill_comes_from_relief_records(campaign: Any, tree: Any) -> None:
    from decimal import Decimal

    from campaigns.models import Milestone
    from tests.relief.factories import make_donation, make_visit

    make_visit(tree.grassroots_a, campaign=campaign)
    make_visit(tree.grassroots_a, campaign=campaign, visited_name="王老师")
    make_donation(tree.grassroots_a, campaign=campaign, amount=Decimal("8000.00"))
    ms = Milestone.objects.create(
        campaign=campaign, title="统计表", form="warmth_stats", due_date=campaign.issue_date
    )
    services.ensure_submissions(milestone=ms, unions=[tree.district_a])
    data = Submission.objects.get(milestone=ms, union=tree.district_a).data
    stats = data["stats"]
    assert stats["visits"] == 2
    assert stats["donations"] == 8000.0
    assert data["year"] == 2026
