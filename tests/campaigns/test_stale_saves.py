"""Issue 12: no silent lost update of a notice, its addressees, categories and milestones."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns import services
from campaigns.models import Campaign, CampaignStatus, Milestone
from tests.factories import make_campaign, make_member
from tests.lost_updates import client_for, second_save_is_refused
from unions.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk_a2(tree: Any) -> Any:
    """A second clerk of district_a, editing the same notice as admin_a."""
    return make_member(tree.district_a, Role.CLERK, username="clerk_a2")


def test_a_stale_notice_save_is_refused(tree: Any, admin_a: Any, clerk_a2: Any) -> None:
    campaign = make_campaign(tree.district_a, title="旧标题")
    url = reverse("campaigns:edit", args=[campaign.pk])
    second_save_is_refused(
        client_for(admin_a),
        client_for(clerk_a2),
        url,
        {"title": "第一人的标题", "addressees": [tree.grassroots_a.pk]},
        {"title": "第二人的标题", "addressees": []},
    )
    campaign.refresh_from_db()
    assert campaign.title == "第一人的标题"
    assert list(campaign.addressees.all()) == [tree.grassroots_a]


def test_a_stale_category_list_is_refused(tree: Any, admin_a: Any, clerk_a2: Any) -> None:
    campaign = make_campaign(tree.district_a)
    url = reverse("campaigns:categories", args=[campaign.pk])
    second_save_is_refused(
        client_for(admin_a),
        client_for(clerk_a2),
        url,
        {"names": "法律咨询\n环境保护"},
        {"names": "医疗义诊"},
    )
    assert list(campaign.categories.values_list("name", flat=True)) == ["法律咨询", "环境保护"]


def test_a_stale_milestone_save_is_refused(tree: Any, admin_a: Any, clerk_a2: Any) -> None:
    campaign = make_campaign(tree.district_a)
    milestone = Milestone.objects.create(
        campaign=campaign, title="情况调度表", form="dispatch", due_date=date(2026, 6, 30)
    )
    url = reverse("campaigns:milestone_edit", args=[milestone.pk])
    second_save_is_refused(
        client_for(admin_a),
        client_for(clerk_a2),
        url,
        {"due_date": "2026-09-30"},
        {"due_date": "2026-07-15"},
    )
    milestone.refresh_from_db()
    assert milestone.due_date == date(2026, 9, 30)


def test_a_notice_is_published_once(tree: Any) -> None:
    campaign = make_campaign(tree.district_a, status=CampaignStatus.DRAFT)
    stale = Campaign.objects.get(pk=campaign.pk)
    services.campaign_transition(campaign=campaign, action="publish")
    services.campaign_transition(campaign=campaign, action="close")
    with pytest.raises(ValidationError):  # a stale 发布 cannot reopen a closed notice
        services.campaign_transition(campaign=stale, action="publish")
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED
