from __future__ import annotations

from typing import Any

import pytest

from tests.factories import make_id_number, make_member
from tests.volunteers.conftest import form_data
from unions.models import Role
from volunteers.models import ApprovalStep, Volunteer
from volunteers.views.common import APPLY_LIMIT

pytestmark = pytest.mark.django_db


def apply_data(union: Any, seq: int, **overrides: Any) -> dict[str, Any]:
    data = {**form_data(id_number=make_id_number(seq)), "union": union.pk, "consent": "on"}
    data.pop("member_type")
    data.update({"member_type": "invited"})
    data.update(overrides)
    return data


def test_union_search_returns_matching_names(tree: Any, client: Any) -> None:
    response = client.get("/volunteers/apply/unions/?q=甲区")
    assert response.status_code == 200
    names = [r["name"] for r in response.json()["results"]]
    assert names == ["甲区总工会", "甲区某企业工会"]
    assert client.get("/volunteers/apply/unions/?q=x").json()["results"] == []


def test_union_search_is_public_for_a_signed_in_member_too(tree: Any, client_as: Any) -> None:
    # A public page runs in the system scope: a union's member applying for a friend
    # finds every active union, not only those of the member's own subtree.
    member = make_member(tree.grassroots_a, Role.CLERK)
    names = [
        r["name"]
        for r in client_as(member).get("/volunteers/apply/unions/?q=乙区").json()["results"]
    ]
    assert names == ["乙区总工会", "乙区某企业工会"]


def test_the_public_page_lists_search_matches(tree: Any, client: Any) -> None:
    html = client.get("/volunteers/apply/?q=乙区").content.decode()
    assert "乙区某企业工会" in html
    assert "甲区某企业工会" not in html
    assert "个人信息" in html
    assert "volunteers/apply.js" in html  # the search box refills the list as one types
    assert 'data-search-url="/volunteers/apply/unions/"' in html


def test_a_member_of_the_public_applies(tree: Any, client: Any) -> None:
    response = client.post("/volunteers/apply/", apply_data(tree.grassroots_a, 1))
    assert response.status_code == 302
    assert response["Location"] == "/volunteers/apply/done/"
    volunteer = Volunteer.objects.get()
    assert volunteer.self_applied is True
    assert volunteer.created_by is None
    assert volunteer.consent_at is not None
    assert volunteer.status == "pending"
    assert ApprovalStep.objects.get().union == tree.grassroots_a
    assert client.get("/volunteers/apply/done/").status_code == 200


def test_consent_is_required(tree: Any, client: Any) -> None:
    data = apply_data(tree.grassroots_a, 1, name="保留的名字")
    data.pop("consent")
    response = client.post("/volunteers/apply/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "请阅读并同意个人信息处理说明" in html
    assert "保留的名字" in html
    assert Volunteer.objects.count() == 0


def test_applications_are_rate_limited_per_ip(tree: Any, client: Any) -> None:
    for seq in range(APPLY_LIMIT):
        response = client.post("/volunteers/apply/", apply_data(tree.grassroots_a, 10 + seq))
        assert response.status_code == 302
    response = client.post("/volunteers/apply/", apply_data(tree.grassroots_a, 99))
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert Volunteer.objects.count() == APPLY_LIMIT
    other = client.post(
        "/volunteers/apply/", apply_data(tree.grassroots_a, 98), REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 302
