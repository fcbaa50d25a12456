"""Service projects: proposed below, approved by the parent union, or issued from above."""

from __future__ import annotations

from typing import Any

import pytest

from service.models import ProjectStatus, ServiceProject
from service.services import APPROVER_IS_PROPOSER
from tests.campaigns.factories import make_activity, make_project, make_team
from tests.factories import make_member
from unions.models import Role

pytestmark = pytest.mark.django_db


def _form(team: Any, **extra: Any) -> dict[str, Any]:
    data = {
        "team": team.pk,
        "name": "困难职工结对帮扶",
        "period_start": "2026-04-01",
        "period_end": "",
        "paired_unit": "港湾社区",
        "beneficiaries": "12",
        "support_items": "米面油",
        "support_amount": "1200.50",
        "leader_name": "王丽",
        "leader_position": "工会主席",
        "leader_phone": "0411-82610421",
        "progress": "",
    }
    data.update(extra)
    return data


def test_grassroots_proposal_waits_for_the_parent(
    tree: Any, campaign: Any, clerk_g: Any, client: Any
) -> None:
    team = make_team(tree.grassroots_a, campaign=campaign)
    client.force_login(clerk_g)
    response = client.post("/service/projects/new/", _form(team), follow=True)
    p = ServiceProject.objects.get()
    assert p.status == ProjectStatus.PROPOSED
    assert str(p.support_amount) == "1200.50"
    assert "等待上级工会审批" in response.content.decode()


def test_upper_union_issues_a_project_already_approved(
    tree: Any, campaign: Any, clerk_a: Any, client: Any
) -> None:
    team = make_team(tree.grassroots_a, campaign=campaign)
    client.force_login(clerk_a)
    client.post("/service/projects/new/", _form(team))
    p = ServiceProject.objects.get()
    assert p.status == ProjectStatus.APPROVED
    assert p.proposed_by == tree.district_a
    assert p.approved_by == clerk_a


def test_bad_phone_and_period_keep_the_input(
    tree: Any, campaign: Any, clerk_g: Any, client: Any
) -> None:
    team = make_team(tree.grassroots_a, campaign=campaign)
    client.force_login(clerk_g)
    response = client.post(
        "/service/projects/new/",
        _form(team, leader_phone="12", period_end="2026-01-01", name="保留我"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "leader_phone" in form.errors
    assert "period_end" in form.errors
    assert form["name"].value() == "保留我"
    assert not ServiceProject.objects.exists()


def test_only_a_reviewer_above_the_proposer_approves(
    tree: Any, campaign: Any, reviewer_g: Any, clerk_a: Any, reviewer_a: Any, client: Any
) -> None:
    team = make_team(tree.grassroots_a, campaign=campaign)
    p = make_project(team, status=ProjectStatus.PROPOSED)
    url = f"/service/projects/{p.pk}/approve/"

    client.force_login(reviewer_g)  # the proposing union itself
    response = client.post(url, follow=True)
    assert str(APPROVER_IS_PROPOSER) in response.content.decode()
    client.force_login(clerk_a)  # above, but no review capability
    assert client.post(url).status_code == 403
    p.refresh_from_db()
    assert p.status == ProjectStatus.PROPOSED

    client.force_login(reviewer_a)
    client.post(url)
    p.refresh_from_db()
    assert p.status == ProjectStatus.APPROVED
    assert p.approved_by == reviewer_a


def test_the_proposer_cannot_approve_own_project(tree: Any, campaign: Any, client: Any) -> None:
    upper = make_member(tree.district_a, Role.REVIEWER)
    team = make_team(tree.grassroots_a, campaign=campaign)
    p = make_project(team, status=ProjectStatus.PROPOSED, created_by=upper)
    client.force_login(upper)
    client.post(f"/service/projects/{p.pk}/approve/")
    p.refresh_from_db()
    assert p.status == ProjectStatus.PROPOSED


def test_running_then_closed(tree: Any, campaign: Any, clerk_g: Any, client: Any) -> None:
    p = make_project(make_team(tree.grassroots_a, campaign=campaign))
    client.force_login(clerk_g)
    client.post(f"/service/projects/{p.pk}/close/")  # approved, not running yet
    p.refresh_from_db()
    assert p.status == ProjectStatus.APPROVED
    client.post(f"/service/projects/{p.pk}/start/")
    client.post(f"/service/projects/{p.pk}/close/")
    p.refresh_from_db()
    assert p.status == ProjectStatus.CLOSED


def test_project_without_paired_unit_is_flagged(
    tree: Any, campaign: Any, clerk_g: Any, client: Any
) -> None:
    p = make_project(make_team(tree.grassroots_a, campaign=campaign), paired_unit="")
    client.force_login(clerk_g)
    flag = "未填写结对志愿服务单位、社区"
    assert flag in client.get("/service/projects/").content.decode()
    assert flag in client.get(p.get_absolute_url()).content.decode()
    assert flag in client.get(p.team.get_absolute_url()).content.decode()


def test_edit_project(tree: Any, campaign: Any, clerk_g: Any, client: Any) -> None:
    p = make_project(make_team(tree.grassroots_a, campaign=campaign))
    client.force_login(clerk_g)
    data = _form(p.team, name="新名称", version=p.version)
    data.pop("team")
    assert client.post(f"/service/projects/{p.pk}/edit/", data).status_code == 302
    p.refresh_from_db()
    assert p.name == "新名称"


def test_viewer_and_outsider(
    tree: Any, campaign: Any, viewer_a: Any, admin_b: Any, client: Any
) -> None:
    p = make_project(make_team(tree.grassroots_a, campaign=campaign))
    client.force_login(viewer_a)
    assert client.get("/service/projects/").status_code == 200
    assert client.get(p.get_absolute_url()).status_code == 200
    assert client.get("/service/projects/new/").status_code == 403
    assert client.post(f"/service/projects/{p.pk}/start/").status_code == 403
    client.force_login(admin_b)
    assert p.name not in client.get("/service/projects/").content.decode()
    assert client.get(p.get_absolute_url()).status_code == 404


def test_project_pages_query_counts_are_constant(
    tree: Any,
    campaign: Any,
    clerk_a: Any,
    client: Any,
    count_queries: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client.force_login(clerk_a)
    team = make_team(tree.grassroots_a, campaign=campaign)
    p = make_project(team)
    make_activity(team, project=p)
    small_list = count_queries(lambda: client.get("/service/projects/"))
    small_detail = count_queries(lambda: client.get(p.get_absolute_url()))
    for _ in range(6):
        make_project(team, paired_unit="")
        make_activity(team, project=p, people=2)
    with django_assert_max_num_queries(small_list):
        client.get("/service/projects/")
    with django_assert_max_num_queries(small_detail):
        client.get(p.get_absolute_url())
