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


_DB_FIXTURES = ("db", "transactional_db", "live_server", "django_db_reset_sequences")


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":  # an xfail is reported as skipped: not checked either
        item.stash[_CALL_FAILED] = report.outcome != "passed"
    return report


@pytest.fixture(autouse=True)
def _rollups_stay_current(request: pytest.FixtureRequest) -> Iterator[None]:
    """After every test that uses the database, each rollup cell must still be what the
    records give (``manage.py check_rollups``): whatever a test wrote — through a view,
    a service, the admin, an import, a job — a write that left the rollups behind fails
    the test that made it. ``@pytest.mark.rollups_may_differ`` marks the tests that
    break a rollup on purpose."""
    node = request.node
    uses_db = node.get_closest_marker("django_db") is not None or any(
        name in request.fixturenames for name in _DB_FIXTURES
    )
    if not uses_db or node.get_closest_marker("rollups_may_differ") is not None:
        yield
        return
    # Set up before this fixture, so torn down (rolled back) after the check below.
    request.getfixturevalue("_django_db_helper")
    yield
    if node.stash.get(_CALL_FAILED, True):
        return  # the test's own failure says more; nothing to add to it
    from django.db import connections

    from unionvol.rollups import rollup_differences

    if any(c.connection is not None and c.needs_rollback for c in connections.all()):
        pytest.fail(
            "the test left its transaction broken: wrap the statement expected to fail "
            "in transaction.atomic()"
        )

    with system_scope():
        lines = rollup_differences()
    if lines:
        shown = "\n".join(lines[:20])
        pytest.fail(f"the rollups no longer match the records after this test:\n{shown}")


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
