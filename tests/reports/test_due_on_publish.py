"""Reports exist when they are due: publishing a campaign (or adding a milestone or an
addressee to a published one) creates the addressees' submissions at once, so a clerk's
home lists them before any report page was visited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from campaigns import services as campaign_services
from campaigns.models import CampaignAddressee, CampaignStatus, Milestone, SheetKind
from reports.models import Submission
from tests.factories import make_campaign, make_member
from unions.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(tree: Any) -> Any:
    campaign = make_campaign(tree.city, status=CampaignStatus.DRAFT)
    for union in (tree.district_a, tree.district_b):
        CampaignAddressee.objects.get_or_create(campaign=campaign, union=union)
    Milestone.objects.create(
        campaign=campaign,
        title="情况调度表",
        form=SheetKind.DISPATCH,
        due_date=timezone.localdate() + timedelta(days=10),
    )
    return campaign


def test_publishing_creates_every_addressees_submission_once(draft: Any) -> None:
    assert not Submission.objects.exists()
    campaign_services.campaign_transition(campaign=draft, action="publish")
    rows = set(Submission.objects.values_list("union__code", "status"))
    assert rows == {("C-A", "draft"), ("C-B", "draft")}
    # Idempotent: a later milestone save creates nothing twice.
    saved = draft.milestones.get()
    campaign_services.milestone_save(milestone=saved, version=saved.version)
    assert Submission.objects.count() == 2


def test_a_milestone_added_after_publishing_is_due_at_once(draft: Any) -> None:
    campaign_services.campaign_transition(campaign=draft, action="publish")
    m = Milestone(
        campaign=draft,
        title="半程",
        form=SheetKind.DISPATCH,
        due_date=timezone.localdate() + timedelta(days=40),
    )
    campaign_services.milestone_save(milestone=m)
    assert Submission.objects.filter(milestone=m).count() == 2


def test_the_clerks_home_lists_the_due_report_before_any_visit(
    draft: Any, tree: Any, client: Any
) -> None:
    campaign_services.campaign_transition(campaign=draft, action="publish")
    clerk = make_member(tree.district_a, Role.CLERK)
    client.force_login(clerk)
    home = client.get("/").content.decode()
    assert "待报送的材料" in home
    assert "暂无待办事项" not in home
    index = client.get("/reports/").content.decode()
    assert "情况调度表" in index


def test_the_campaign_page_leads_each_milestone_to_its_reports(
    draft: Any, tree: Any, client: Any
) -> None:
    campaign_services.campaign_transition(campaign=draft, action="publish")
    clerk = make_member(tree.district_a, Role.CLERK)
    client.force_login(clerk)
    own = Submission.objects.get(union=tree.district_a)
    assert (
        f"/reports/submissions/{own.pk}/" in client.get(f"/campaigns/{draft.pk}/").content.decode()
    )
    issuer = make_member(tree.city, Role.REVIEWER)
    client.force_login(issuer)
    page = client.get(f"/campaigns/{draft.pk}/").content.decode()
    assert f"/reports/campaigns/{draft.pk}/dashboard/" in page


def test_the_operator_lands_on_a_page_that_says_what_to_do(client: Any) -> None:
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x-Pass-123")
    client.force_login(admin)
    page = client.get("/").content.decode()
    assert "尚未分配" not in page
    assert "/admin/" in page


def test_reports_page_shows_days_left_and_days_late(draft: Any, tree: Any, client: Any) -> None:
    campaign_services.campaign_transition(campaign=draft, action="publish")
    clerk = make_member(tree.district_a, Role.CLERK)
    client.force_login(clerk)
    assert "还有 10 天截止" in client.get("/reports/").content.decode()
    ms = draft.milestones.get()
    ms.due_date = timezone.localdate() - timedelta(days=4)
    ms.save()
    assert "已逾期 4 天" in client.get("/reports/").content.decode()
