from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from tests.factories import make_id_number, make_volunteer
from volunteers.models import Specialty, VolunteerStatus

pytestmark = pytest.mark.django_db


def fill(union: Any, count: int, start: int = 100) -> list[Any]:
    specialty, _ = Specialty.objects.get_or_create(name="法律咨询")
    out = []
    for i in range(count):
        v = make_volunteer(union, id_number=make_id_number(start + i), name=f"队员{start + i}")
        v.specialties.add(specialty)
        out.append(v)
    return out


def test_roster_shows_the_subtree_with_masked_ids(
    tree: Any, viewer_a: Any, admin_b: Any, client_as: Any
) -> None:
    mine = make_volunteer(tree.grassroots_a, id_number=make_id_number(1), name="本区志愿者")
    other = make_volunteer(tree.grassroots_b, id_number=make_id_number(2), name="他区志愿者")
    html = client_as(viewer_a).get("/volunteers/").content.decode()
    assert "本区志愿者" in html
    assert "他区志愿者" not in html
    assert mine.masked_id in html
    assert mine.id_number not in html
    html = client_as(admin_b).get("/volunteers/").content.decode()
    assert "他区志愿者" in html
    assert "本区志愿者" not in html
    assert other.id_number not in html


def test_roster_requires_login(client: Any) -> None:
    assert client.get("/volunteers/").status_code == 302


@pytest.mark.parametrize("rows", [5, 40])
def test_roster_uses_a_constant_number_of_queries(
    tree: Any, admin_a: Any, client_as: Any, django_assert_max_num_queries: Any, rows: int
) -> None:
    fill(tree.grassroots_a, rows)
    client = client_as(admin_a)
    # 18: the page asks once whether the user holds the full-ID permission (two queries:
    # the user's and the groups' permissions) to offer the search by ID number.
    with django_assert_max_num_queries(18):
        response = client.get("/volunteers/?sort=name")
    assert response.status_code == 200
    specialty = Specialty.objects.get(name="法律咨询").pk
    with django_assert_max_num_queries(18):
        client.get(
            f"/volunteers/?union={tree.grassroots_a.pk}&specialty={specialty}&status=pending"
        )


def test_filters_and_search(tree: Any, admin_a: Any, client_as: Any) -> None:
    fill(tree.district_a, 2, start=10)
    approved = make_volunteer(
        tree.grassroots_a,
        id_number=make_id_number(20),
        name="王通过",
        status=VolunteerStatus.APPROVED,
        political_status="01",
        identity="retired",
        phone="13800000020",
    )
    client = client_as(admin_a)

    def names(query: str) -> str:
        return client.get(f"/volunteers/?{query}").content.decode()

    assert "队员10" not in names(f"union={tree.grassroots_a.pk}")
    assert "王通过" in names(f"union={tree.grassroots_a.pk}")
    assert "队员10" not in names("status=approved")
    assert "王通过" in names("political_status=01")
    assert "队员10" not in names("identity=retired")
    assert "王通过" in names("q=13800000020")
    assert "队员11" in names("q=队员11")
    assert "队员10" not in names("q=队员11")
    assert "王通过" in names("specialty=")
    specialty = Specialty.objects.get(name="法律咨询").pk
    assert "队员10" in names(f"specialty={specialty}")
    assert "王通过" not in names(f"specialty={specialty}")
    day = timezone.localdate(approved.registered_at).isoformat()  # the filter is by local date
    assert "王通过" in names(f"registered_after={day}&registered_before={day}")
    assert "王通过" not in names("registered_before=2000-01-01")
    # a union outside the scope is not a valid choice
    html = names(f"union={tree.district_b.pk}")
    assert "王通过" not in html


def test_sorting_and_pagination(tree: Any, admin_a: Any, client_as: Any) -> None:
    fill(tree.grassroots_a, 55, start=200)
    client = client_as(admin_a)
    html = client.get("/volunteers/?sort=name").content.decode()
    assert html.index("队员200") < html.index("队员201")
    assert "队员254" not in html
    html = client.get("/volunteers/?sort=name&page=2").content.decode()
    assert "队员254" in html
    html = client.get("/volunteers/?sort=-name").content.decode()
    assert html.index("队员254") < html.index("队员253")


def test_roster_filters_by_team_and_offers_only_visible_teams(
    tree: Any, clerk_a: Any, client_as: Any
) -> None:
    from service.models import TeamMember, TeamRole
    from tests.campaigns.factories import make_team

    in_team, outside = fill(tree.grassroots_a, 2, start=300)
    team = make_team(tree.grassroots_a, name="甲区助学服务队")
    other_team = make_team(tree.grassroots_b, name="乙区服务队")
    TeamMember.objects.create(team=team, volunteer=in_team, role=TeamRole.VOLUNTEER)
    client = client_as(clerk_a)
    html = client.get("/volunteers/").content.decode()
    assert "甲区助学服务队" in html
    assert "乙区服务队" not in html
    html = client.get(f"/volunteers/?team={team.pk}").content.decode()
    assert in_team.name in html
    assert outside.name not in html
    # a team outside the scope is not a valid choice
    response = client.get(f"/volunteers/?team={other_team.pk}")
    assert response.status_code == 200
