from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from tests.factories import make_member
from unions.models import Membership, Role, Union

pytestmark = pytest.mark.django_db


def test_tree_shows_only_the_users_subtree(tree: Any, clerk_a: Any, client_as: Any) -> None:
    response = client_as(clerk_a).get("/unions/")
    assert response.status_code == 200
    html = response.content.decode()
    assert tree.district_a.name in html
    assert tree.grassroots_a.name in html
    assert tree.district_b.name not in html
    assert tree.city.name not in html


def test_tree_uses_a_constant_number_of_queries(
    tree: Any, clerk_a: Any, client_as: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_as(clerk_a)
    client.get("/unions/")
    from tests.factories import make_union

    for _ in range(10):
        make_union(tree.grassroots_a)
    with django_assert_max_num_queries(8):
        client.get("/unions/")


def test_tree_opens_one_level_and_reads_the_next_when_asked(
    tree: Any, viewer_a: Any, admin_b: Any, client_as: Any
) -> None:
    from tests.factories import make_union

    deep = make_union(tree.grassroots_a, name="甲区第三级工会")
    client = client_as(viewer_a)
    html = client.get("/unions/").content.decode()
    assert tree.grassroots_a.name in html  # the user's union and its children
    assert deep.name not in html  # a level further: read when opened
    url = f"/unions/{tree.grassroots_a.pk}/tree/"
    assert f'data-children-url="{url}"' in html
    assert "1 个下级" in html  # from treebeard's count, not by reading the level

    level = client.get(url)
    assert level.status_code == 200
    assert deep.name in level.content.decode()
    assert "<html" not in level.content.decode()  # a fragment for the open node
    # A read-only member reads it; an outsider gets 404, as for every object.
    assert client_as(admin_b).get(url).status_code == 404
    assert client_as(admin_b).get(f"/unions/{tree.district_a.pk}/tree/").status_code == 404


def test_a_level_lists_at_most_the_limit_and_links_to_the_rest(
    tree: Any, clerk_a: Any, client_as: Any, monkeypatch: Any
) -> None:
    from tests.factories import make_union
    from unions import selectors

    for i in range(3):
        make_union(tree.grassroots_a, name=f"下属工会{i}", code=f"C-A-1-{i}")
    monkeypatch.setattr(selectors, "TREE_LIMIT", 2)
    html = client_as(clerk_a).get(f"/unions/{tree.grassroots_a.pk}/tree/").content.decode()
    assert "下属工会0" in html
    assert "下属工会1" in html
    assert "下属工会2" not in html
    assert f'<a href="/unions/{tree.grassroots_a.pk}/">全部 3 个下级工会…</a>' in html

    # The union's own page pages through them all.
    page1 = client_as(clerk_a).get(f"/unions/{tree.grassroots_a.pk}/").content.decode()
    page2 = client_as(clerk_a).get(f"/unions/{tree.grassroots_a.pk}/?page=2").content.decode()
    assert "下级工会 (3)" in page1
    assert "下属工会1" in page1
    assert "下属工会2" not in page1
    assert "下属工会2" in page2
    assert "下属工会0" not in page2


def test_tree_search_finds_unions_of_the_scope_only(
    tree: Any, viewer_a: Any, client_as: Any
) -> None:
    html = client_as(viewer_a).get("/unions/?q=企业").content.decode()
    assert tree.grassroots_a.name in html
    assert "上级：甲区总工会" in html
    assert tree.grassroots_b.name not in html  # 乙区某企业工会: another district's
    assert 'value="企业"' in html  # the box keeps what was typed
    html = client_as(viewer_a).get("/unions/?q=乙区").content.decode()
    assert "没有名称、简称或编码含“乙区”的工会。" in html
    assert tree.district_b.name not in html.split('id="union-matches"')[1]


def test_tree_requires_login(client: Any) -> None:
    response = client.get("/unions/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_detail_for_insider_viewer_and_outsider(
    tree: Any, viewer_a: Any, admin_b: Any, client_as: Any
) -> None:
    url = f"/unions/{tree.grassroots_a.pk}/"
    response = client_as(viewer_a).get(url)
    assert response.status_code == 200
    assert tree.grassroots_a.name in response.content.decode()
    assert "新建下级工会" not in response.content.decode()  # no manage buttons for a viewer
    assert client_as(admin_b).get(url).status_code == 404


def test_parent_union_is_404_for_a_district_user(tree: Any, admin_a: Any, client_as: Any) -> None:
    assert client_as(admin_a).get(f"/unions/{tree.city.pk}/").status_code == 404


def test_admin_creates_a_child_union(tree: Any, admin_a: Any, client_as: Any) -> None:
    response = client_as(admin_a).post(
        f"/unions/{tree.district_a.pk}/children/new/",
        {"name": "甲区某街道工会", "code": "C-A-9", "kind": "street", "is_active": "on"},
    )
    assert response.status_code == 302
    child = Union.objects.get(code="C-A-9")
    assert child.is_within(tree.district_a)
    assert child.depth == tree.district_a.depth + 1


@pytest.mark.parametrize("code", ["C", "C-B", "C-B-1"])  # above, beside and below beside
def test_a_code_used_outside_the_subtree_is_refused_not_a_500(
    tree: Any, admin_a: Any, client_as: Any, code: str
) -> None:
    client = client_as(admin_a)
    response = client.post(
        f"/unions/{tree.district_a.pk}/children/new/",
        {"name": "新的工会", "code": code, "kind": "street", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "具有 编码 的 工会 已存在。" in response.content.decode()  # names no union
    assert not Union.objects.filter(name="新的工会").exists()
    # The same for a rename of a union of one's own.
    response = client.post(
        f"/unions/{tree.grassroots_a.pk}/edit/",
        {"name": tree.grassroots_a.name, "code": code, "kind": "grassroots", "version": 1},
    )
    assert response.status_code == 200
    assert "具有 编码 的 工会 已存在。" in response.content.decode()
    assert Union.objects.get(pk=tree.grassroots_a.pk).code == "C-A-1"


def test_a_bad_child_union_keeps_what_was_typed(tree: Any, admin_a: Any, client_as: Any) -> None:
    response = client_as(admin_a).post(
        f"/unions/{tree.district_a.pk}/children/new/",
        {"name": "保留的名称", "code": "C-A", "kind": "street"},  # duplicate code
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "保留的名称" in html
    assert Union.objects.filter(name="保留的名称").count() == 0


def test_clerk_cannot_create_or_edit_unions(tree: Any, clerk_a: Any, client_as: Any) -> None:
    client = client_as(clerk_a)
    assert client.get(f"/unions/{tree.district_a.pk}/children/new/").status_code == 403
    assert client.post(f"/unions/{tree.grassroots_a.pk}/edit/", {"name": "x"}).status_code == 403


def test_admin_edits_a_union(tree: Any, admin_a: Any, client_as: Any) -> None:
    response = client_as(admin_a).post(
        f"/unions/{tree.grassroots_a.pk}/edit/",
        {
            "name": "甲区某企业工会（改）",
            "code": "C-A-1",
            "kind": "grassroots",
            "contact_person": "王五",
            "contact_phone": "0411-82610421",
            "is_active": "on",
            "version": tree.grassroots_a.version,
        },
    )
    assert response.status_code == 302
    tree.grassroots_a.refresh_from_db()
    assert tree.grassroots_a.contact_person == "王五"


def test_move_is_admin_only_and_stays_in_scope(
    tree: Any, admin_a: Any, clerk_a: Any, client_as: Any
) -> None:
    from tests.factories import make_union

    street = make_union(tree.district_a, name="街道", code="C-A-2", kind="street")
    url = f"/unions/{tree.grassroots_a.pk}/move/"
    assert client_as(clerk_a).post(url, {"target": street.pk}).status_code == 403
    # a target outside the admin's subtree is not offered
    response = client_as(admin_a).post(url, {"target": tree.district_b.pk})
    assert response.status_code == 200
    tree.grassroots_a.refresh_from_db()
    assert tree.grassroots_a.is_within(tree.district_a)
    response = client_as(admin_a).post(url, {"target": street.pk})
    assert response.status_code == 302
    tree.grassroots_a.refresh_from_db()
    street.refresh_from_db()
    assert tree.grassroots_a.is_within(street)


def test_admin_cannot_move_own_union(tree: Any, admin_a: Any, client_as: Any) -> None:
    response = client_as(admin_a).post(
        f"/unions/{tree.district_a.pk}/move/", {"target": tree.grassroots_a.pk}
    )
    assert response.status_code == 200
    tree.district_a.refresh_from_db()
    assert tree.district_a.depth == 2


def test_admin_adds_a_member_below(tree: Any, admin_a: Any, client_as: Any) -> None:
    response = client_as(admin_a).post(
        f"/unions/{tree.grassroots_a.pk}/members/new/",
        {
            "username": "newclerk",
            "full_name": "新经办人",
            "role": "clerk",
            "password1": "Correct-horse-battery-9",
            "password2": "Correct-horse-battery-9",
        },
    )
    assert response.status_code == 302
    member = Membership.objects.get(user__username="newclerk")
    assert member.union == tree.grassroots_a
    assert member.role == Role.CLERK


def test_weak_member_password_is_refused(tree: Any, admin_a: Any, client_as: Any) -> None:
    response = client_as(admin_a).post(
        f"/unions/{tree.grassroots_a.pk}/members/new/",
        {
            "username": "weak",
            "full_name": "弱密码",
            "role": "clerk",
            "password1": "12345678",
            "password2": "12345678",
        },
    )
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="weak").exists()
    assert "weak" in response.content.decode()  # the username is kept


def test_disabling_a_member_ends_their_sessions(
    tree: Any, admin_a: Any, client: Any, django_user_model: Any
) -> None:
    from django.test import Client

    victim = make_member(tree.grassroots_a, Role.CLERK, username="victim")
    victim_client = Client()
    victim_client.force_login(victim)
    assert victim_client.get("/").status_code == 200

    client.force_login(admin_a)
    membership = Membership.objects.get(user=victim)
    response = client.post(
        f"/unions/members/{membership.pk}/edit/",
        {"role": "clerk", "title": "", "phone": "", "version": membership.version},
    )
    assert response.status_code == 302
    victim.refresh_from_db()
    assert not victim.is_active
    assert victim_client.get("/").status_code == 302  # sent to the login page


def test_the_operator_sees_the_roots_each_opened_on_demand(
    tree: Any, django_user_model: Any, client_as: Any, django_assert_max_num_queries: Any
) -> None:
    from tests.factories import make_union

    for i in range(5):
        make_union(name=f"另一个省总工会{i}", code=f"P{i}")
    operator = django_user_model.objects.create_superuser("tree_operator", password="x-Pass-12345")
    client = client_as(operator)
    client.get("/unions/")
    with django_assert_max_num_queries(8):  # not one query per root
        html = client.get("/unions/").content.decode()
    assert tree.city.name in html
    assert "另一个省总工会4" in html
    assert tree.district_a.name not in html  # read when the city is opened
    assert f'data-children-url="/unions/{tree.city.pk}/tree/"' in html
