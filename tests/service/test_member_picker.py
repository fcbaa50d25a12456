"""The member form stays bounded: a team of a city chooses among tens of thousands of
volunteers, and the page used to list every one of them three times. It now lists the
people chosen and the first candidates; the search (by name or phone) finds the rest,
and what the form accepts is still every candidate of the team's subtree."""

from __future__ import annotations

from typing import Any

import pytest

from service import widgets
from service.models import TeamMember, TeamRole
from tests.campaigns.factories import make_approved_volunteer, make_team
from tests.factories import make_member, make_volunteer
from unions.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree: Any, campaign: Any) -> dict[str, Any]:
    team = make_team(tree.district_a, campaign=campaign)
    names = ["甲一", "甲二", "甲三", "甲四"]
    found = {n: make_approved_volunteer(tree.district_a, name=n) for n in names}
    found["基层"] = make_approved_volunteer(tree.grassroots_a, name="基层", phone="13900001234")
    found["team"] = team
    return found


def _offered(html: str, name: str) -> bool:
    return f"{name}（" in html


def test_the_form_lists_the_first_candidates_and_the_chosen(
    people: Any, clerk_a: Any, client_as: Any, monkeypatch: Any
) -> None:
    team = people["team"]
    TeamMember.objects.create(team=team, volunteer=people["基层"], role=TeamRole.VOLUNTEER)
    monkeypatch.setattr(widgets, "PICKER_LIMIT", 2)
    html = client_as(clerk_a).get(f"/service/teams/{team.pk}/members/").content.decode()
    # The team's own union first, by name; the rest only through the search.
    for name in ("甲一", "甲三"):  # sorted by name: 甲一 甲三 甲二 甲四 (code points)
        assert _offered(html, name), name
    assert not _offered(html, "甲二")
    assert not _offered(html, "甲四")
    assert _offered(html, "基层")  # a member is always shown, ticked
    assert "下面只列出前 2 名可选人员和已选人员，其余人员请按姓名或电话查找。" in html
    # Cadres: the first two; volunteers: the member ticked, then the first two.
    assert html.count('type="checkbox" class="form-check-input" name="cadres"') == 2
    assert html.count('type="checkbox" class="form-check-input" name="volunteers"') == 3
    assert html.count('data-search-multi="/service/teams/') == 2  # on each list's first box
    assert 'data-search="/service/teams/' in html  # the captain's select


def test_a_candidate_found_by_the_search_is_accepted(
    people: Any, clerk_a: Any, client_as: Any, monkeypatch: Any
) -> None:
    team = people["team"]
    monkeypatch.setattr(widgets, "PICKER_LIMIT", 1)
    client = client_as(clerk_a)
    answer = client.get(f"/service/teams/{team.pk}/candidates/?q=甲四").json()
    tail = people["甲四"].phone[-4:]
    assert answer == {
        "results": [{"id": people["甲四"].pk, "label": f"甲四（甲区总工会，尾号 {tail}）"}],
        "more": False,
    }
    response = client.post(
        f"/service/teams/{team.pk}/members/",
        {"captain": people["甲四"].pk, "volunteers": [people["基层"].pk], "version": team.version},
    )
    assert response.status_code == 302
    members = {m.volunteer.name: m.role for m in TeamMember.objects.filter(team=team)}
    assert members == {"甲四": TeamRole.CAPTAIN, "基层": TeamRole.VOLUNTEER}


def test_the_search_finds_candidates_only(
    people: Any, tree: Any, clerk_a: Any, viewer_a: Any, admin_b: Any, client_as: Any
) -> None:
    team = people["team"]
    make_volunteer(tree.district_a, name="甲五")  # not approved
    make_approved_volunteer(tree.district_b, name="甲六")  # another district's
    url = f"/service/teams/{team.pk}/candidates/"
    client = client_as(clerk_a)
    labels = [r["label"] for r in client.get(url + "?q=甲").json()["results"]]
    assert labels == [
        f"{name}（甲区总工会，尾号 {people[name].phone[-4:]}）"
        for name in ("甲一", "甲三", "甲二", "甲四")
    ]
    by_phone = client.get(url + "?q=0001234").json()["results"]
    assert [r["label"] for r in by_phone] == ["基层（甲区某企业工会，尾号 1234）"]
    assert client.get(url + "?q=").json() == {"results": [], "more": False}
    # A read-only member may not choose members; an outsider does not see the team.
    assert client_as(viewer_a).get(url + "?q=甲").status_code == 403
    assert client_as(admin_b).get(url + "?q=甲").status_code == 404


def test_two_people_of_one_name_are_told_apart(
    people: Any, tree: Any, clerk_a: Any, client_as: Any
) -> None:
    make_approved_volunteer(tree.district_a, name="甲一", phone="13811118888")
    html = client_as(clerk_a).get(f"/service/teams/{people['team'].pk}/members/").content.decode()
    assert f"甲一（甲区总工会，尾号 {people['甲一'].phone[-4:]}）" in html
    assert "甲一（甲区总工会，尾号 8888）" in html
    answer = client_as(clerk_a).get(f"/service/teams/{people['team'].pk}/candidates/?q=甲一")
    assert len({r["label"] for r in answer.json()["results"]}) == 2


def test_the_search_says_when_it_stopped_short(
    people: Any, clerk_a: Any, client_as: Any, monkeypatch: Any
) -> None:
    from service import selectors

    monkeypatch.setattr(selectors, "CANDIDATE_SEARCH_LIMIT", 2)
    answer = client_as(clerk_a).get(f"/service/teams/{people['team'].pk}/candidates/?q=甲").json()
    assert len(answer["results"]) == 2
    assert answer["more"] is True


def test_the_page_does_not_grow_with_the_candidates(
    tree: Any, campaign: Any, clerk_a: Any, client_as: Any, monkeypatch: Any
) -> None:
    team = make_team(tree.district_a, campaign=campaign)
    monkeypatch.setattr(widgets, "PICKER_LIMIT", 5)
    for i in range(5):
        make_approved_volunteer(tree.grassroots_a, name=f"候选{i:02d}")
    client = client_as(clerk_a)
    small = len(client.get(f"/service/teams/{team.pk}/members/").content)
    for i in range(5, 40):
        make_approved_volunteer(tree.grassroots_a, name=f"候选{i:02d}")
    large = client.get(f"/service/teams/{team.pk}/members/").content.decode()
    assert "候选05" not in large
    # The same boxes, and the one line that says the search finds the rest.
    assert len(large.encode()) - small < 400
    make_member(tree.district_a, Role.VIEWER)  # (the viewer's 403 is in test_object_urls)
