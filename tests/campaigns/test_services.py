"""Service-layer rules, without the views."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from campaigns import services
from campaigns.models import CampaignStatus
from service import services as svc
from service.models import ProjectStatus
from tests.campaigns.factories import add_members, make_project, make_team
from tests.factories import make_campaign

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [(time(9), time(11, 30), "2.5"), (time(8), time(8, 20), "0.3"), (time(13), time(17), "4.0")],
)
def test_duration_in_hours(start: time, end: time, hours: str) -> None:
    assert svc.activity_duration_hours(start, end) == Decimal(hours)


def test_campaign_create_defaults_to_direct_children(tree: Any, admin_a: Any) -> None:
    c = services.campaign_create(
        issuer=tree.city,
        user=admin_a,
        doc_number="市工发〔2026〕1号",
        title="通知",
        kind="other",
        issue_date=date(2026, 1, 1),
    )
    assert set(c.addressees.all()) == {tree.district_a, tree.district_b}


def test_campaign_transitions_are_one_way(tree: Any) -> None:
    c = make_campaign(tree.city, status=CampaignStatus.DRAFT)
    services.campaign_transition(campaign=c, action="publish")
    with pytest.raises(ValidationError):
        services.campaign_transition(campaign=c, action="publish")
    services.campaign_transition(campaign=c, action="close")
    with pytest.raises(ValidationError):
        services.campaign_transition(campaign=c, action="close")


def test_sub_team_must_share_the_campaign(tree: Any, campaign: Any, admin_a: Any) -> None:
    parent = make_team(tree.district_a)  # another campaign
    with pytest.raises(ValidationError):
        svc.team_create(
            union=tree.grassroots_a, campaign=campaign, user=admin_a, name="分队", parent=parent
        )


def test_only_approved_volunteers_join(tree: Any, campaign: Any) -> None:
    from tests.factories import make_volunteer

    team = make_team(tree.grassroots_a, campaign=campaign)
    with pytest.raises(ValidationError):
        svc.team_set_members(
            team=team, version=team.version, volunteers=[make_volunteer(tree.grassroots_a)]
        )


def test_no_more_than_three_photos(tree: Any, campaign: Any, clerk_g: Any) -> None:
    from django.core.files.base import ContentFile

    team = make_team(tree.grassroots_a, campaign=campaign)
    photos = [ContentFile(b"x", name=f"{i}.jpg") for i in range(4)]
    with pytest.raises(ValidationError):
        svc.activity_create(
            team=team,
            user=clerk_g,
            photos=photos,
            date=date(2026, 5, 1),
            start_time=time(9),
            end_time=time(10),
            place="社区",
            description="服务",
        )
    assert not team.activities.exists()  # one transaction: nothing written


def test_closed_project_takes_no_activities(tree: Any, campaign: Any, clerk_g: Any) -> None:
    team = make_team(tree.grassroots_a, campaign=campaign)
    add_members(team, volunteers=1)
    project = make_project(team, status=ProjectStatus.CLOSED)
    with pytest.raises(ValidationError):
        svc.activity_create(
            team=team,
            user=clerk_g,
            project=project,
            date=date(2026, 5, 1),
            start_time=time(9),
            end_time=time(10),
            place="社区",
            description="服务",
        )


def test_superuser_may_approve_any_proposal(
    tree: Any, campaign: Any, django_user_model: Any
) -> None:
    root = django_user_model.objects.create_superuser("root", "r@example.org", "x-Long-passw0rd")
    p = make_project(make_team(tree.grassroots_a, campaign=campaign), status=ProjectStatus.PROPOSED)
    svc.project_approve(project=p, user=root)
    assert p.status == ProjectStatus.APPROVED
