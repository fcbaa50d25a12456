from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import make_id_number, make_union, make_volunteer
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
    # 13: the session (read, then saved in three), the user, their membership, the
    # full-ID grant, recruiting notices, the filter's unions, specialties and teams, the
    # rows and their specialties, the total (a count stopped at 10,001 rows).
    with django_assert_max_num_queries(13):
        response = client.get("/volunteers/?sort=name")
    assert response.status_code == 200
    specialty = Specialty.objects.get(name="法律咨询").pk
    with django_assert_max_num_queries(16):  # + the chosen union, its filter choices
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


ROW_NAME = re.compile(r'<a href="/volunteers/\d+/">([^<]+)</a>')
NEXT = re.compile(r'rel="next" href="\?([^"]+)"')
PREVIOUS = re.compile(r'rel="prev" href="\?([^"]+)"')


def page_names(html: str) -> list[str]:
    return ROW_NAME.findall(html)


def link(pattern: re.Pattern[str], html: str) -> str | None:
    match = pattern.search(html)
    return unescape(match.group(1)) if match else None


def test_sorting_and_pagination(tree: Any, admin_a: Any, client_as: Any) -> None:
    fill(tree.grassroots_a, 55, start=200)
    client = client_as(admin_a)
    html = client.get("/volunteers/?sort=name").content.decode()
    assert html.index("队员200") < html.index("队员201")
    assert "队员254" not in html
    assert "共 55 条" in html
    html = client.get(f"/volunteers/?{link(NEXT, html)}").content.decode()
    assert "队员254" in html
    assert "队员249" not in html
    assert link(NEXT, html) is None
    html = client.get("/volunteers/?sort=-name").content.decode()
    assert html.index("队员254") < html.index("队员253")


@pytest.mark.parametrize("sort", ["", "registered_at", "name", "-name", "union", "status"])
def test_keyset_pages_walk_every_row_once_forward_and_back(
    tree: Any, admin_a: Any, client_as: Any, sort: str
) -> None:
    """Every sort pages by cursor: forward, the pages hold every visible row exactly
    once in the sort's order; back, the same pages in reverse; the filters stay."""
    rows = fill(tree.grassroots_a, 60, start=400) + fill(tree.district_a, 60, start=500)
    for v in rows[::3]:
        v.status = VolunteerStatus.APPROVED
        v.save(update_fields=["status"])
    make_volunteer(tree.grassroots_b, id_number=make_id_number(77), name="他区志愿者")
    client = client_as(admin_a)
    query = f"sort={sort}&specialty={Specialty.objects.get(name='法律咨询').pk}"
    pages: list[list[str]] = []
    html = client.get(f"/volunteers/?{query}").content.decode()
    while True:
        pages.append(page_names(html))
        following = link(NEXT, html)
        if following is None:
            break
        assert f"sort={sort}" in following
        assert "specialty=" in following
        html = client.get(f"/volunteers/?{following}").content.decode()
    assert [len(p) for p in pages] == [50, 50, 20]
    seen = [name for page in pages for name in page]
    assert sorted(seen) == sorted(v.name for v in rows)  # each once, none from outside
    expected = {
        "name": sorted(seen),
        "-name": sorted(seen, reverse=True),
    }.get(sort)
    if expected:
        assert seen == expected
    if sort == "status":  # 已通过 (approved) first, then 审核中 (pending)
        approved = {v.name for v in rows[::3]}
        assert set(seen[: len(approved)]) == approved
    # Back from the last page: the same pages, in reverse.
    for page in reversed(pages[:-1]):
        html = client.get(f"/volunteers/?{link(PREVIOUS, html)}").content.decode()
        assert page_names(html) == page
    assert link(PREVIOUS, html) is None


def test_a_cursor_is_stable_when_rows_are_added(tree: Any, admin_a: Any, client_as: Any) -> None:
    fill(tree.grassroots_a, 55, start=200)
    client = client_as(admin_a)
    first = client.get("/volunteers/").content.decode()
    # A newer registration goes to the top of page 1; page 2 neither repeats nor skips.
    make_volunteer(tree.grassroots_a, id_number=make_id_number(999), name="新登记")
    second = client.get(f"/volunteers/?{link(NEXT, first)}").content.decode()
    assert len(page_names(second)) == 5
    assert not set(page_names(first)) & set(page_names(second))
    assert "新登记" not in second


@pytest.mark.parametrize(
    "cursor",
    [
        "after=garbage",
        "after=" + "A" * 3000,
        "before=eyJvIjoibmFtZSxwayIsInYiOlsieCIsMV19",  # made for sort=name
        "after=eyJvIjoiLXJlZ2lzdGVyZWRfYXQsLXBrIiwidiI6WyJub3QgYSBkYXRlIiwxXX0",
        "after=eyJvIjoiLXJlZ2lzdGVyZWRfYXQsLXBrIiwidiI6WyIyMDI2LTAxLTAxVDAwOjAwOjAwKzAwOjAwIiw5OTk5OTk5OTk5OTk5OTk5OTk5OTk5XX0",
        "after=eyJvIjoiLXJlZ2lzdGVyZWRfYXQsLXBrIiwidiI6W3RydWUsMV19",
    ],
)
def test_a_bad_cursor_gives_the_first_page_and_says_so(
    tree: Any, admin_a: Any, client_as: Any, cursor: str
) -> None:
    fill(tree.grassroots_a, 3, start=200)
    response = client_as(admin_a).get(f"/volunteers/?{cursor}")
    assert response.status_code == 200
    html = response.content.decode()
    assert len(page_names(html)) == 3
    assert "翻页位置已失效，已回到第一页。" in html


def test_the_total_is_capped_not_counted(
    tree: Any, admin_a: Any, client_as: Any, monkeypatch: Any
) -> None:
    from unionvol import keyset

    fill(tree.grassroots_a, 60, start=200)
    monkeypatch.setattr(keyset, "COUNT_CAP", 55)
    html = client_as(admin_a).get("/volunteers/").content.decode()
    assert "55+ 条" in html
    assert "共 60 条" not in html


def union_options(html: str) -> set[int]:
    select = html.split('name="union"')[1].split("</select>")[0]
    return set(map(int, re.findall(r'<option value="(\d+)"', select)))


def test_the_union_filter_offers_the_path_and_the_children_only(
    tree: Any, admin_a: Any, viewer_a: Any, client_as: Any
) -> None:
    """A province would otherwise list a thousand unions: the filter drills down."""
    deep = make_union(tree.grassroots_a, name="甲区某企业工会第一分会", code="C-A-1-1")
    client = client_as(admin_a)
    html = client.get("/volunteers/").content.decode()
    options = re.findall(
        r'<option value="(\d+)"', html.split('name="union"')[1].split("</select>")[0]
    )
    assert set(map(int, options)) == {tree.district_a.pk, tree.grassroots_a.pk}
    html = client.get(f"/volunteers/?union={tree.grassroots_a.pk}").content.decode()
    options = re.findall(
        r'<option value="(\d+)"', html.split('name="union"')[1].split("</select>")[0]
    )
    assert set(map(int, options)) == {tree.district_a.pk, tree.grassroots_a.pk, deep.pk}
    assert "乙区" not in html.split('name="union"')[1].split("</select>")[0]
    # the read-only member gets the same roster; the outsider's choice is refused
    assert client_as(viewer_a).get(f"/volunteers/?union={deep.pk}").status_code == 200


@pytest.mark.parametrize("rows", [5, 120])
def test_every_page_of_the_roster_costs_the_same_queries(
    tree: Any, admin_a: Any, client_as: Any, django_assert_max_num_queries: Any, rows: int
) -> None:
    fill(tree.grassroots_a, rows, start=1000)
    client = client_as(admin_a)
    with django_assert_max_num_queries(14):
        html = client.get("/volunteers/?sort=union").content.decode()
    following = link(NEXT, html)
    if rows > 50:
        with django_assert_max_num_queries(14):
            html = client.get(f"/volunteers/?{following}").content.decode()
        with django_assert_max_num_queries(14):
            client.get(f"/volunteers/?{link(PREVIOUS, html)}")
        with django_assert_max_num_queries(14 + 15):  # a status: read in two parts
            html = client.get("/volunteers/?sort=status").content.decode()
            client.get(f"/volunteers/?{link(NEXT, html)}")


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


def test_roster_rows_list_each_volunteers_specialties_in_the_lists_order(
    tree: Any, admin_a: Any, client_as: Any
) -> None:
    """In the specialties' own order (by ``order``, then name), not the order chosen."""
    first = Specialty.objects.create(name="乙特长", order=2)
    second = Specialty.objects.create(name="甲特长", order=1)
    third = Specialty.objects.create(name="丙特长", order=3)
    v = make_volunteer(tree.grassroots_a, id_number=make_id_number(7), name="多特长")
    v.specialties.add(third, first, second)
    make_volunteer(tree.grassroots_a, id_number=make_id_number(8), name="无特长")
    html = client_as(admin_a).get("/volunteers/").content.decode()

    def cells(name: str) -> list[str]:
        row = next(r for r in html.split("<tr>") if name in r)
        return re.findall(r"<td[^>]*>(.*?)</td>", row)

    assert cells("多特长")[7] == "甲特长、乙特长、丙特长"  # the 特长 column
    assert cells("无特长")[7] == ""
