"""Teams: forming, members from the union's approved volunteers, composition rule flags."""

from __future__ import annotations

from typing import Any

import pytest

from campaigns.models import CampaignStatus
from service.models import ServiceTeam, TeamMember, TeamRole
from service.selectors import composition_of
from service.services import CAMPAIGN_NOT_OPEN
from tests.campaigns.factories import add_members, make_approved_volunteer, make_team
from tests.factories import make_campaign, make_volunteer

pytestmark = pytest.mark.django_db


def test_composition_rule_of_seed_000(campaign: Any) -> None:
    assert composition_of(campaign=campaign, volunteers=8, cadres=1).ok
    assert composition_of(campaign=campaign, volunteers=6, cadres=1).flags == [
        "志愿者人数少于 7 人"
    ]
    assert composition_of(campaign=campaign, volunteers=11, cadres=3).flags == [
        "志愿者人数多于 10 人",
        "工会干部多于 2 人",
    ]
    assert composition_of(campaign=campaign, volunteers=7, cadres=0).flags == ["工会干部少于 1 人"]


def test_no_rule_no_flag(tree: Any) -> None:
    c = make_campaign(tree.city)
    assert composition_of(campaign=c, volunteers=1, cadres=9).ok


def test_clerk_forms_a_team_and_a_sub_team(
    tree: Any, campaign: Any, clerk_a: Any, client: Any
) -> None:
    client.force_login(clerk_a)
    client.post(
        "/service/teams/new/",
        {"campaign": campaign.pk, "union": tree.district_a.pk, "name": "甲区服务队"},
    )
    parent = ServiceTeam.objects.get(name="甲区服务队")
    assert parent.created_by == clerk_a
    client.post(
        "/service/teams/new/",
        {
            "campaign": campaign.pk,
            "union": tree.grassroots_a.pk,
            "name": "企业分队",
            "parent": parent.pk,
        },
    )
    assert ServiceTeam.objects.get(name="企业分队").parent == parent
    assert "企业分队" in client.get(parent.get_absolute_url()).content.decode()


def test_team_in_a_union_outside_the_scope_is_refused(
    tree: Any, campaign: Any, clerk_a: Any, client: Any
) -> None:
    client.force_login(clerk_a)
    response = client.post(
        "/service/teams/new/",
        {"campaign": campaign.pk, "union": tree.grassroots_b.pk, "name": "越权"},
    )
    assert response.status_code == 200
    assert not ServiceTeam.objects.exists()


def test_team_under_a_draft_campaign_is_refused(tree: Any, admin_a: Any, client: Any) -> None:
    draft = make_campaign(tree.district_a, status=CampaignStatus.DRAFT)
    client.force_login(admin_a)
    response = client.post(
        "/service/teams/new/",
        {"campaign": draft.pk, "union": tree.district_a.pk, "name": "草稿队"},
    )
    assert response.status_code == 200
    assert not ServiceTeam.objects.exists()
    assert "campaign" in response.context["form"].errors


def test_team_service_refuses_a_draft_campaign(tree: Any, admin_a: Any) -> None:
    from django.core.exceptions import ValidationError

    from service.services import team_create

    draft = make_campaign(tree.district_a, status=CampaignStatus.DRAFT)
    with pytest.raises(ValidationError) as exc:
        team_create(union=tree.district_a, campaign=draft, user=admin_a, name="草稿队")
    assert str(CAMPAIGN_NOT_OPEN) in exc.value.messages


def test_members_come_from_the_unions_approved_volunteers(
    tree: Any, campaign: Any, clerk_a: Any, client: Any
) -> None:
    team = make_team(tree.grassroots_a, campaign=campaign)
    ok = make_approved_volunteer(tree.grassroots_a, name="已通过")
    make_volunteer(tree.grassroots_a, name="审核中")
    make_approved_volunteer(tree.grassroots_b, name="别区的")
    make_approved_volunteer(tree.district_a, name="上级的")
    client.force_login(clerk_a)
    form = client.get(f"/service/teams/{team.pk}/members/").context["form"]
    assert list(form.fields["volunteers"].queryset) == [ok]


def test_a_volunteer_may_be_in_several_teams(
    tree: Any, campaign: Any, clerk_a: Any, client: Any
) -> None:
    v = make_approved_volunteer(tree.grassroots_a)
    teams = [make_team(tree.grassroots_a, campaign=campaign) for _ in range(2)]
    client.force_login(clerk_a)
    for t in teams:
        client.post(f"/service/teams/{t.pk}/members/", {"volunteers": [v.pk], "version": t.version})
    assert TeamMember.objects.filter(volunteer=v).count() == 2


def test_one_volunteer_one_role_per_team(
    tree: Any, campaign: Any, clerk_a: Any, client: Any
) -> None:
    team = make_team(tree.grassroots_a, campaign=campaign)
    v = make_approved_volunteer(tree.grassroots_a)
    client.force_login(clerk_a)
    response = client.post(
        f"/service/teams/{team.pk}/members/", {"captain": v.pk, "volunteers": [v.pk]}
    )
    assert response.status_code == 200
    assert "只能担任一个职务" in response.content.decode()
    assert not team.members.exists()


def test_members_are_replaced_and_roles_changed(
    tree: Any, campaign: Any, clerk_a: Any, client: Any
) -> None:
    team = make_team(tree.grassroots_a, campaign=campaign)
    a, b, c = (make_approved_volunteer(tree.grassroots_a) for _ in range(3))
    client.force_login(clerk_a)
    url = f"/service/teams/{team.pk}/members/"
    client.post(url, {"captain": a.pk, "volunteers": [b.pk], "version": team.version})
    team.refresh_from_db()
    client.post(url, {"cadres": [a.pk], "volunteers": [c.pk], "version": team.version})
    roles = dict(team.members.values_list("volunteer_id", "role"))
    assert roles == {a.pk: TeamRole.CADRE, c.pk: TeamRole.VOLUNTEER}


def test_team_outside_the_rule_is_flagged_on_detail_and_lists(
    tree: Any, campaign: Any, clerk_a: Any, client: Any
) -> None:
    team = make_team(tree.grassroots_a, campaign=campaign)
    add_members(team, volunteers=6, cadres=3)
    client.force_login(clerk_a)
    detail = client.get(team.get_absolute_url()).content.decode()
    assert "志愿者人数少于 7 人" in detail
    assert "工会干部多于 2 人" in detail
    assert "工会干部多于 2 人" in client.get("/service/teams/").content.decode()


def test_viewer_reads_but_cannot_change_teams(
    tree: Any, campaign: Any, viewer_a: Any, client: Any
) -> None:
    team = make_team(tree.grassroots_a, campaign=campaign)
    client.force_login(viewer_a)
    assert client.get("/service/teams/").status_code == 200
    assert client.get(team.get_absolute_url()).status_code == 200
    assert client.get("/service/teams/new/").status_code == 403
    assert client.post(f"/service/teams/{team.pk}/members/", {}).status_code == 403
    assert client.get("/service/teams/export/").status_code == 403


def test_outsider_sees_no_team(tree: Any, campaign: Any, admin_b: Any, client: Any) -> None:
    team = make_team(tree.grassroots_a, campaign=campaign)
    client.force_login(admin_b)
    assert team.name not in client.get("/service/teams/").content.decode()
    assert client.get(team.get_absolute_url()).status_code == 404


def test_team_pages_query_counts_are_constant(
    tree: Any,
    campaign: Any,
    clerk_a: Any,
    client: Any,
    count_queries: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client.force_login(clerk_a)
    team = make_team(tree.grassroots_a, campaign=campaign)
    add_members(team, volunteers=1, cadres=1)
    small_list = count_queries(lambda: client.get("/service/teams/"))
    small_detail = count_queries(lambda: client.get(team.get_absolute_url()))
    small_members = count_queries(lambda: client.get(f"/service/teams/{team.pk}/members/"))
    for _ in range(6):
        t = make_team(tree.grassroots_a, campaign=campaign, parent=team)
        add_members(t, volunteers=2, cadres=1)
    add_members(team, volunteers=8, cadres=2)
    with django_assert_max_num_queries(small_list):
        client.get("/service/teams/")
    with django_assert_max_num_queries(small_detail):
        client.get(team.get_absolute_url())
    with django_assert_max_num_queries(small_members):
        client.get(f"/service/teams/{team.pk}/members/")
