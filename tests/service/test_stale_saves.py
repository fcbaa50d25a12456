"""Issue 12: no silent lost update in the service record — teams and their member lists,
projects (and their states), activities and their participants' hours."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from service import services
from service.models import ProjectStatus, ServiceProject, ServiceTeam
from tests.campaigns.factories import (
    add_members,
    make_activity,
    make_approved_volunteer,
    make_project,
    make_team,
)
from tests.factories import make_member
from tests.lost_updates import client_for, opened, second_save_is_refused
from unions.models import Role
from unionvol.locking import STALE

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk_h(tree: Any) -> Any:
    """A second clerk of grassroots_a, editing the same records as clerk_g."""
    return make_member(tree.grassroots_a, Role.CLERK, username="clerk_h")


@pytest.fixture
def team(tree: Any, campaign: Any) -> ServiceTeam:
    t = make_team(tree.grassroots_a, campaign=campaign, name="甲企业志愿服务队")
    add_members(t, volunteers=3)
    return t


def test_a_stale_team_save_is_refused(team: ServiceTeam, clerk_g: Any, clerk_h: Any) -> None:
    url = reverse("service:team_edit", args=[team.pk])
    second_save_is_refused(
        client_for(clerk_g),
        client_for(clerk_h),
        url,
        {"name": "甲企业第一服务队"},
        {"name": "甲企业第二服务队", "description": "第二人写的简介"},
    )
    team.refresh_from_db()
    assert (team.name, team.description) == ("甲企业第一服务队", "")


def test_a_stale_member_list_is_refused_never_merged(
    tree: Any, team: ServiceTeam, clerk_g: Any, clerk_h: Any
) -> None:
    a, b, c = (m.volunteer for m in team.members.order_by("pk"))
    d = make_approved_volunteer(tree.grassroots_a)
    url = reverse("service:team_members", args=[team.pk])
    second_save_is_refused(
        client_for(clerk_g),
        client_for(clerk_h),
        url,
        {"captain": a.pk, "volunteers": [b.pk]},  # the first drops c
        {"captain": c.pk, "volunteers": [a.pk, d.pk]},  # the second, from the old list
    )
    members = dict(team.members.values_list("volunteer_id", "role"))
    assert members == {a.pk: "captain", b.pk: "volunteer"}  # exactly the first's list


def test_concurrent_member_saves_from_one_version_pass_once(tree: Any, team: ServiceTeam) -> None:
    a, b, c = (m.volunteer for m in team.members.order_by("pk"))
    version = team.version
    services.team_set_members(team=team, version=version, volunteers=[a, b])
    with pytest.raises(ValidationError) as exc:
        services.team_set_members(team=team, version=version, volunteers=[c])
    assert exc.value.messages == [str(STALE)]
    assert set(team.members.values_list("volunteer_id", flat=True)) == {a.pk, b.pk}


def test_a_stale_project_save_is_refused(team: ServiceTeam, clerk_g: Any, clerk_h: Any) -> None:
    project = make_project(team, name="结对帮扶项目")
    url = reverse("service:project_edit", args=[project.pk])
    second_save_is_refused(
        client_for(clerk_g),
        client_for(clerk_h),
        url,
        {"name": "结对帮扶项目（一）"},
        {"name": "结对帮扶项目（二）", "leader_name": "张强"},
    )
    project.refresh_from_db()
    assert (project.name, project.leader_name) == ("结对帮扶项目（一）", "王丽")


def test_an_edit_opened_before_approval_does_not_undo_it(
    tree: Any, team: ServiceTeam, clerk_g: Any
) -> None:
    project = make_project(team, status=ProjectStatus.PROPOSED, created_by=clerk_g)
    clerk = client_for(clerk_g)
    url = reverse("service:project_edit", args=[project.pk])
    seen = opened(clerk, url)
    reviewer = make_member(tree.district_a, Role.REVIEWER, username="reviewer_district")
    services.project_approve(project=project, user=reviewer)
    response = clerk.post(url, {**seen, "name": "改名"})
    assert response.status_code == 200
    assert str(STALE) in response.content.decode()
    project.refresh_from_db()
    assert project.status == ProjectStatus.APPROVED
    assert project.approved_by == reviewer
    assert project.name == "结对帮扶项目"


def test_project_states_change_once(tree: Any, team: ServiceTeam, clerk_g: Any) -> None:
    project = make_project(team, status=ProjectStatus.PROPOSED, created_by=clerk_g)
    stale = ServiceProject.objects.get(pk=project.pk)
    first = make_member(tree.district_a, Role.REVIEWER, username="reviewer_1")
    second = make_member(tree.city, Role.REVIEWER, username="reviewer_2")
    services.project_approve(project=project, user=first)
    with pytest.raises(ValidationError):
        services.project_approve(project=stale, user=second)
    project.refresh_from_db()
    assert project.approved_by == first
    services.project_transition(project=project, action="start")
    services.project_transition(project=project, action="close")
    with pytest.raises(ValidationError):  # a stale 开始实施 cannot reopen a closed project
        services.project_transition(project=stale, action="start")
    project.refresh_from_db()
    assert project.status == ProjectStatus.CLOSED
    statuses = list(project.history.order_by("history_id").values_list("status", flat=True))
    assert statuses[-3:] == ["approved", "running", "closed"]


def test_a_stale_activity_save_is_refused(team: ServiceTeam, clerk_g: Any, clerk_h: Any) -> None:
    activity = make_activity(team, people=2, hours="2")
    first_two = sorted(p.volunteer_id for p in activity.participations.all())
    url = reverse("service:activity_edit", args=[activity.pk])
    second_save_is_refused(
        client_for(clerk_g),
        client_for(clerk_h),
        url,
        {"place": "港湾社区活动室"},
        {"place": "海滨公园", "description": "第二人写的内容"},
    )
    activity.refresh_from_db()
    assert (activity.place, activity.description) == ("港湾社区活动室", "义务劳动")
    assert sorted(p.volunteer_id for p in activity.participations.all()) == first_two


def test_stale_hours_are_refused(team: ServiceTeam, clerk_g: Any, clerk_h: Any) -> None:
    activity = make_activity(team, people=2, hours="3")
    first, second = activity.participations.order_by("pk")
    url = reverse("service:participation_hours", args=[activity.pk])
    second_save_is_refused(
        client_for(clerk_g),
        client_for(clerk_h),
        url,
        {f"hours_{first.pk}": "1.5"},
        {f"hours_{second.pk}": "2.5"},
    )
    hours = dict(activity.participations.values_list("pk", "hours"))
    assert hours == {first.pk: Decimal("1.5"), second.pk: Decimal("3.0")}
