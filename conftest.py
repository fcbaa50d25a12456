"""Shared fixtures: a small union tree with an insider, a reader and an outsider.

    city (市总)
    ├── district_a (区总) ── grassroots_a (基层)
    └── district_b (区总) ── grassroots_b (基层)

Users of district_a are insiders for district_a's subtree; users of district_b
are outsiders to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.factories import make_member, make_union
from unions.models import Role, Union, UnionKind
from unionvol.scoping import system_scope


@pytest.fixture(autouse=True)
def _system_scope() -> Iterator[None]:
    """Test code (factories, direct calls of services and selectors) runs in the system
    scope, as commands do; each request through the test client enters its user's."""
    with system_scope():
        yield


@dataclass
class Tree:
    city: Union
    district_a: Union
    grassroots_a: Union
    district_b: Union
    grassroots_b: Union


@pytest.fixture
def tree(db: Any) -> Tree:
    city = make_union(name="测试市总工会", code="C", kind=UnionKind.CITY)
    district_a = make_union(city, name="甲区总工会", code="C-A", kind=UnionKind.DISTRICT)
    district_b = make_union(city, name="乙区总工会", code="C-B", kind=UnionKind.DISTRICT)
    grassroots_a = make_union(district_a, name="甲区某企业工会", code="C-A-1")
    grassroots_b = make_union(district_b, name="乙区某企业工会", code="C-B-1")
    for u in (city, district_a, district_b):
        u.refresh_from_db()
    return Tree(city, district_a, grassroots_a, district_b, grassroots_b)


@pytest.fixture
def admin_a(tree: Tree) -> Any:
    return make_member(tree.district_a, Role.ADMIN, username="admin_a")


@pytest.fixture
def reviewer_a(tree: Tree) -> Any:
    return make_member(tree.district_a, Role.REVIEWER, username="reviewer_a")


@pytest.fixture
def clerk_a(tree: Tree) -> Any:
    return make_member(tree.district_a, Role.CLERK, username="clerk_a")


@pytest.fixture
def viewer_a(tree: Tree) -> Any:
    return make_member(tree.district_a, Role.VIEWER, username="viewer_a")


@pytest.fixture
def admin_b(tree: Tree) -> Any:
    """An outsider to district A: an admin of the sibling district."""
    return make_member(tree.district_b, Role.ADMIN, username="admin_b")


@pytest.fixture
def client_as(client: Any) -> Any:
    def login(user: Any) -> Any:
        client.force_login(user)
        return client

    return login


@pytest.fixture
def rollups_current() -> Callable[[], None]:
    """``rollups_current()`` fails the test unless ``manage.py check_rollups`` finds every
    rollup cell equal to what the records give (see ``unionvol.rollups``)."""
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    def check() -> None:
        out = io.StringIO()
        try:
            call_command("check_rollups", stdout=out)
        except CommandError as exc:
            pytest.fail(f"{exc}\n{out.getvalue()}")

    return check
