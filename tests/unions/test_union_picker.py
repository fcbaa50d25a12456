"""The union picker: every form's union list is bounded by the tree's fan-out, not by
the size of the user's subtree; the search reaches the rest of the scope and nothing
outside it; the forms accept any union of their queryset, whatever the page offered."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html as lxml_html

from service.models import ServiceTeam
from tests.factories import make_campaign, make_member, make_union
from unions import widgets
from unions.models import Role, Union
from volunteers.models import QuotaAllocation

pytestmark = pytest.mark.django_db


@dataclass
class Deep:
    street: Union  # a child of district A, beside grassroots A
    deep: Union  # a grandchild of district A: never listed, found by the search
    closed: Union  # a dissolved child of district A


@pytest.fixture
def deep(tree: Any) -> Deep:
    street = make_union(tree.district_a, name="甲区某街道工会", code="C-A-2")
    street.refresh_from_db()
    deep = make_union(street, name="甲区某街道社区工会", code="C-A-2-1")
    closed = make_union(tree.district_a, name="甲区已撤销工会", code="C-A-9", is_active=False)
    tree.district_a.refresh_from_db()
    return Deep(street, deep, closed)


def select_of(html: str, name: str) -> Any:
    found = lxml_html.fromstring(html).xpath(f'//select[@name="{name}"]')
    assert len(found) == 1, f"no <select name={name}>"
    assert found[0].get("data-search", "").startswith("/unions/search/")
    return found[0]


def options(html: str, name: str) -> list[tuple[str, str]]:
    """(value, label) of each option; the label keeps its indent."""
    return [(o.get("value", ""), o.text_content()) for o in select_of(html, name).iter("option")]


def picker_pages(tree: Any) -> dict[str, tuple[str, str]]:
    """Every page with a union picker: URL and the select's name."""
    campaign = make_campaign(tree.district_a, recruits_volunteers=True)
    return {
        "volunteer": ("/volunteers/new/", "union"),
        "import": ("/volunteers/import/", "union"),
        "team": ("/service/teams/new/", "union"),
        "link": ("/volunteers/apply-link/", "union"),
        "warmth": ("/relief/stats/", "union"),
        "export": (f"/reports/campaigns/{campaign.pk}/export/", "union"),
        "move": (f"/unions/{tree.grassroots_a.pk}/move/", "target"),
        "quotas": (f"/volunteers/quotas/{campaign.pk}/edit/", "form-0-union"),
    }


PAGES = ["volunteer", "import", "team", "link", "warmth", "export", "move", "quotas"]


@pytest.mark.parametrize("page", PAGES)
def test_each_form_lists_its_union_and_children_only(
    page: str, tree: Any, deep: Deep, admin_a: Any, client_as: Any
) -> None:
    url, name = picker_pages(tree)[page]
    response = client_as(admin_a).get(url)
    assert response.status_code == 200
    listed = {label for value, label in options(response.content.decode(), name) if value}
    # The grandchild and the other district's unions are never in the list.
    assert deep.deep.name not in listed
    assert tree.grassroots_b.name not in listed
    assert tree.district_b.name not in listed
    children = {tree.grassroots_a.name, deep.street.name}
    if page == "move":  # grassroots A cannot move below itself
        children.discard(tree.grassroots_a.name)
    if page in ("warmth", "export"):  # reports keep a dissolved union's data
        children.add(deep.closed.name)
    if page == "quotas":  # the quota rows are the issuer's children, not the issuer
        expected = children
    else:  # the children are indented under their parent (full-width spaces)
        expected = {tree.district_a.name, *(f"\u3000{c}" for c in children)}
    assert listed == expected


def test_the_chosen_union_is_listed_even_when_deep(
    tree: Any, deep: Deep, admin_a: Any, client_as: Any
) -> None:
    html = client_as(admin_a).get(f"/volunteers/apply-link/?union={deep.deep.pk}").content.decode()
    chosen = [o for o in select_of(html, "union").iter("option") if o.get("selected") is not None]
    assert [o.get("value") for o in chosen] == [str(deep.deep.pk)]
    assert chosen[0].text_content() == deep.deep.name


def test_a_form_accepts_a_union_the_page_did_not_list(
    tree: Any, deep: Deep, admin_a: Any, client_as: Any
) -> None:
    """Picked by the search: the team is created for the grandchild."""
    campaign = make_campaign(tree.district_a)
    response = client_as(admin_a).post(
        "/service/teams/new/",
        {"campaign": campaign.pk, "union": deep.deep.pk, "name": "社区志愿服务队"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ServiceTeam.objects.get(name="社区志愿服务队").union == deep.deep


def test_a_form_still_refuses_a_union_outside_its_queryset(
    tree: Any, deep: Deep, admin_a: Any, client_as: Any
) -> None:
    url = f"/unions/{tree.grassroots_a.pk}/move/"
    # Outside the admin's scope, and below the union itself: both refused, nothing moved.
    for target in (tree.district_b, tree.grassroots_a):
        response = client_as(admin_a).post(url, {"target": target.pk})
        assert response.status_code == 200
        assert "选择一个有效的选项" in response.content.decode()
    tree.grassroots_a.refresh_from_db()
    assert Union.objects.get_parent(tree.grassroots_a) == tree.district_a
    # A union the page did not list is accepted.
    response = client_as(admin_a).post(url, {"target": deep.deep.pk})
    assert response.status_code == 302
    tree.grassroots_a.refresh_from_db()
    assert Union.objects.get_parent(tree.grassroots_a) == deep.deep


def test_a_wide_union_lists_its_first_children_and_points_to_the_search(
    tree: Any, deep: Deep, admin_a: Any, client_as: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(widgets, "PICKER_LIMIT", 2)
    opts = options(client_as(admin_a).get("/service/teams/new/").content.decode(), "union")
    listed = [label for value, label in opts if value]
    assert listed == [tree.district_a.name, f"\u3000{tree.grassroots_a.name}"]
    assert opts[-1] == ("", "……其余工会请在上方查找")


def test_the_list_does_not_grow_with_the_subtree(
    tree: Any,
    deep: Deep,
    admin_a: Any,
    client_as: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_as(admin_a)
    url = "/volunteers/apply-link/"
    before = options(client.get(url).content.decode(), "union")
    for i in range(30):
        make_union(deep.deep, name=f"社区下属工会{i}", code=f"C-A-2-1-{i}")
    with django_assert_max_num_queries(12):
        after = options(client.get(url).content.decode(), "union")
    assert after == before


def test_quota_rows_read_the_issuers_children_once(tree: Any, admin_a: Any, client_as: Any) -> None:
    """Each row of the 名额分配表 editor has a picker; the rows share one read."""
    campaign = make_campaign(tree.district_a, recruits_volunteers=True)
    client = client_as(admin_a)
    url = f"/volunteers/quotas/{campaign.pk}/edit/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(6):
        union = make_union(tree.district_a, name=f"甲区产业工会{i}", code=f"C-A-P{i}")
        QuotaAllocation.objects.create(campaign=campaign, union=union, quota=10, order=i)
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert len(many) == len(few)
    # Nine rows (six allocations, three blank), each with its union chosen.
    chosen = [
        [
            o.text_content()
            for o in select_of(html, f"form-{i}-union").iter("option")
            if o.get("selected") is not None
        ]
        for i in range(9)
    ]
    assert chosen == [[f"甲区产业工会{i}"] for i in range(6)] + [[], [], []]


# --- the search -----------------------------------------------------------------------------


def search(client: Any, **params: Any) -> Any:
    return client.get("/unions/search/", params)


def names(response: Any) -> list[str]:
    assert response.status_code == 200
    return [r["name"] for r in response.json()["results"]]


@pytest.mark.parametrize("role", [Role.ADMIN, Role.VIEWER])
def test_search_finds_the_members_subtree_only(
    tree: Any, deep: Deep, role: str, client_as: Any
) -> None:
    """An insider and a read-only member find their subtree's unions by name; an
    outsider finds only their own subtree's (district B's) and none of district A's."""
    user = make_member(tree.district_a, role, username=f"searcher_{role}")
    response = search(client_as(user), q="企业")
    assert names(response) == [tree.grassroots_a.name]
    # The parent's name tells apart unions of the same name.
    assert response.json()["results"][0]["label"] == f"{tree.grassroots_a.name}（甲区总工会）"
    assert names(search(client_as(user), q="社区")) == [deep.deep.name]
    assert names(search(client_as(user), q="C-A-2")) == [deep.street.name, deep.deep.name]


def test_search_by_an_outsider(tree: Any, deep: Deep, admin_b: Any, client_as: Any) -> None:
    client = client_as(admin_b)
    assert names(search(client, q="企业")) == [tree.grassroots_b.name]
    assert names(search(client, q="甲区")) == []
    # A union of another scope named as a bound is 404, not an empty answer.
    assert search(client, q="区", under=tree.district_a.pk).status_code == 404
    assert search(client, q="区", outside=deep.deep.pk).status_code == 404
    assert search(client, q="区", under="x").status_code == 404


def test_search_bounds_and_dissolved_unions(
    tree: Any, deep: Deep, admin_a: Any, client_as: Any
) -> None:
    client = client_as(admin_a)
    assert names(search(client, q="甲区", under=deep.street.pk)) == [deep.deep.name]
    assert tree.district_a.name not in names(search(client, q="甲区", under=tree.district_a.pk))
    assert names(search(client, q="甲区", outside=tree.grassroots_a.pk)) == [
        tree.district_a.name,
        deep.street.name,
        deep.deep.name,
    ]
    assert deep.closed.name not in names(search(client, q="撤销"))
    assert names(search(client, q="撤销", inactive=1)) == [deep.closed.name]
    assert names(search(client, q="  ")) == []


def test_search_says_when_there_are_more(
    tree: Any, deep: Deep, admin_a: Any, client_as: Any, monkeypatch: Any
) -> None:
    from unions import selectors

    monkeypatch.setattr(selectors, "UNION_SEARCH_LIMIT", 2)
    data = search(client_as(admin_a), q="甲区").json()
    assert [r["name"] for r in data["results"]] == [tree.district_a.name, tree.grassroots_a.name]
    assert data["more"] is True


def test_search_needs_a_login(tree: Any, client: Any) -> None:
    response = client.get("/unions/search/", {"q": "区"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_search_costs_the_same_for_many_matches(
    tree: Any, deep: Deep, admin_a: Any, client_as: Any
) -> None:
    client = client_as(admin_a)
    search(client, q="甲区")
    with CaptureQueriesContext(connection) as few:
        search(client, q="甲区")
    for i in range(40):
        make_union(deep.street, name=f"甲区社区{i}工会", code=f"C-A-2-{i + 10}")
    with CaptureQueriesContext(connection) as many:
        data = search(client, q="甲区").json()
    assert len(many) == len(few)
    assert len(data["results"]) == 20
    assert data["more"] is True


def test_the_picker_renders_an_empty_queryset_and_keeps_required(tree: Any, admin_a: Any) -> None:
    from volunteers.forms import ApplyLinkUnionForm, QuotaRowForm

    # QuotaRowForm's own queryset is none(): a form built without unions still renders.
    html = str(QuotaRowForm(user=admin_a, issuer=tree.district_a)["union"])
    assert [value for value, _label in options(html, "union")] == [""]
    # A required picker keeps the browser's check (its first option is the empty one).
    assert " required" in str(ApplyLinkUnionForm(user=admin_a)["union"])
