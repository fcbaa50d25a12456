"""Issue 14 item 6: every form error that concerns a person says who — a captain also
chosen as a member, a volunteer no longer approved, a participant not in the team."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from service import services
from service.models import Activity
from tests.campaigns.factories import add_members, make_approved_volunteer, make_team

pytestmark = pytest.mark.django_db


def test_a_captain_also_chosen_as_a_member_is_named(
    tree: Any, campaign: Any, clerk_g: Any, client: Any
) -> None:
    team = make_team(tree.grassroots_a, campaign=campaign)
    other = make_approved_volunteer(tree.grassroots_a, name="赵六")
    both = make_approved_volunteer(tree.grassroots_a, name="钱七")
    client.force_login(clerk_g)
    response = client.post(
        f"/service/teams/{team.pk}/members/",
        {
            "captain": both.pk,
            "volunteers": [other.pk, both.pk],
            "version": team.version,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "「钱七」既被选为队长，又被选为志愿者" in html
    assert "赵六」既" not in html
    assert not team.members.exists()


def test_the_service_names_the_person_too(tree: Any, campaign: Any) -> None:
    team = make_team(tree.grassroots_a, campaign=campaign)
    both = make_approved_volunteer(tree.grassroots_a, name="孙八")
    with pytest.raises(ValidationError) as caught:
        services.team_set_members(team=team, version=None, captain=both, cadres=[both])
    assert caught.value.messages == [
        "「孙八」既被选为队长，又被选为工会干部：同一名志愿者在一个服务队中只能担任一个职务。"
    ]
    pending = make_approved_volunteer(tree.grassroots_a, name="周九", status="pending")
    with pytest.raises(ValidationError) as caught:
        services.team_set_members(team=team, version=None, volunteers=[pending])
    assert "「周九」的登记尚未审核通过" in caught.value.messages[0]


def test_a_volunteer_no_longer_approved_is_named_on_save(
    tree: Any, campaign: Any, clerk_g: Any, client: Any
) -> None:
    """The list was opened while 吴十 was approved; the approval restarted before saving."""
    team = make_team(tree.grassroots_a, campaign=campaign)
    volunteer = make_approved_volunteer(tree.grassroots_a, name="吴十")
    volunteer.status = "pending"
    volunteer.save()
    client.force_login(clerk_g)
    response = client.post(
        f"/service/teams/{team.pk}/members/",
        {"captain": volunteer.pk, "cadres": [volunteer.pk], "version": team.version},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "「吴十」不在可选的志愿者中" in html
    assert not team.members.exists()


def test_a_participant_outside_the_team_is_named(
    tree: Any, campaign: Any, clerk_g: Any, client: Any
) -> None:
    team = make_team(tree.grassroots_a, campaign=campaign)
    add_members(team, volunteers=2)
    stranger = make_approved_volunteer(tree.grassroots_a, name="郑十一")
    client.force_login(clerk_g)
    response = client.post(
        f"/service/teams/{team.pk}/activities/new/",
        {
            "date": "2026-05-01",
            "start_time": "09:00",
            "end_time": "11:00",
            "place": "港湾社区",
            "description": "清扫楼道",
            "beneficiaries": "10",
            "participants": [stranger.pk],
        },
    )
    assert response.status_code == 200
    assert "「郑十一」不是该服务队的队员" in response.content.decode()
    assert not Activity.objects.exists()


def test_another_union_s_volunteer_is_not_named(
    tree: Any, campaign: Any, clerk_g: Any, client: Any
) -> None:
    team = make_team(tree.grassroots_a, campaign=campaign)
    foreign = make_approved_volunteer(tree.grassroots_b, name="王外人")
    client.force_login(clerk_g)
    response = client.post(
        f"/service/teams/{team.pk}/members/", {"volunteers": [foreign.pk], "version": team.version}
    )
    assert response.status_code == 200
    assert "王外人" not in response.content.decode()
