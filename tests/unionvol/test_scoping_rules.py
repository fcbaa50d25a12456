"""Scoping is a guarantee, not a convention.

* No module but ``unionvol/scoping.py`` writes the subtree filter (``path__startswith``)
  or lets the superuser past it (``is_superuser``): the rest of the code asks
  ``subtree_q``, ``within``, ``visible_to`` and ``is_operator``.
* A union-owned model queried with no scope raises ``ScopeError``.
* A request without a login gets no scope, so a view that reads a union-owned model
  fails (500) instead of showing every union's rows; a logged-in user's request sees
  only the user's subtree, even in a view that forgets ``visible_to``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from tests.factories import make_member, make_volunteer
from unions.models import Role, Union
from unionvol.scoping import ScopedManager, ScopeError, no_scope, system_scope, user_scope
from volunteers.models import Volunteer

ROOT = Path(__file__).resolve().parents[2]
APP_PACKAGES = ("unionvol", "unions", "campaigns", "volunteers", "service", "relief", "reports")
FORBIDDEN = re.compile(r"path__startswith|is_superuser")

# Files that may still spell the rule out, and why.
ALLOWED = {
    # The one scoping module.
    "unionvol/scoping.py",
}


def _code_files() -> list[Path]:
    files = []
    for package in APP_PACKAGES:
        for path in sorted((ROOT / package).rglob("*")):
            # Migrations are frozen history, run in the system scope by `migrate`.
            if "migrations" in path.parts or path.suffix not in {".py", ".html", ".txt"}:
                continue
            files.append(path)
    return files


def test_no_subtree_filter_or_superuser_bypass_outside_the_scoping_module() -> None:
    offenders = []
    for path in _code_files():
        rel = path.relative_to(ROOT).as_posix()
        if rel in ALLOWED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if FORBIDDEN.search(line):
                offenders.append(f"{rel}:{number}: {line.strip()}")
    assert not offenders, (
        "use unionvol.scoping (subtree_q, within, visible_to, is_operator) instead:\n"
        + "\n".join(offenders)
    )


def test_the_allow_list_holds_only_files_that_still_need_it() -> None:
    stale = [
        rel
        for rel in sorted(ALLOWED)
        if not (ROOT / rel).exists()
        or not FORBIDDEN.search((ROOT / rel).read_text(encoding="utf-8"))
    ]
    assert not stale, f"remove from ALLOWED in {Path(__file__).name}: {stale}"


def _scoped_models() -> list[Any]:
    params = []
    for model in apps.get_models():
        if getattr(model, "scope_lookup", None) is None:
            continue
        params.append(pytest.param(model, id=model._meta.label))
    return params


@pytest.mark.django_db
@pytest.mark.parametrize("model", _scoped_models())
def test_every_union_owned_model_raises_when_queried_without_a_scope(
    model: type[models.Model],
) -> None:
    assert isinstance(model._default_manager, ScopedManager)
    with no_scope(), pytest.raises(ScopeError):
        model._default_manager.count()


@pytest.mark.parametrize(
    "query",
    [
        pytest.param(lambda: Volunteer.objects.count(), id="count"),
        pytest.param(lambda: list(Volunteer.objects.all()), id="list"),
        pytest.param(lambda: Volunteer.objects.filter(name="x").first(), id="first"),
        pytest.param(lambda: Volunteer.objects.exists(), id="exists"),
        pytest.param(lambda: Volunteer.objects.aggregate(n=models.Count("pk")), id="aggregate"),
        pytest.param(lambda: list(Volunteer.objects.values_list("name")), id="values_list"),
        pytest.param(lambda: list(Volunteer.objects.iterator()), id="iterator"),
        pytest.param(lambda: Volunteer.objects.update(name="x"), id="update"),
        pytest.param(lambda: Volunteer.objects.all().delete(), id="delete"),
    ],
)
def test_a_volunteer_query_without_a_scope_raises(tree: Any, query: Any) -> None:
    make_volunteer(tree.grassroots_a, name="甲区志愿者")
    with no_scope(), pytest.raises(ScopeError):
        query()
    assert Volunteer.objects.filter(name="甲区志愿者").count() == 1  # nothing was changed


def test_a_related_manager_without_a_scope_raises(tree: Any) -> None:
    make_volunteer(tree.grassroots_a)
    union = Union.objects.get(pk=tree.grassroots_a.pk)
    with no_scope(), pytest.raises(ScopeError):
        list(union.volunteers.all())


def test_a_queryset_built_without_a_scope_runs_once_given_one(tree: Any) -> None:
    make_volunteer(tree.grassroots_a)
    with no_scope():
        qs = Volunteer.objects.filter(union=tree.grassroots_a)
    with system_scope():
        assert qs.visible_to(make_member(tree.district_a, Role.VIEWER)).count() == 1


@pytest.fixture
def volunteers_everywhere(tree: Any) -> None:
    make_volunteer(tree.city, name="市总志愿者")
    make_volunteer(tree.district_a, name="甲区志愿者")
    make_volunteer(tree.grassroots_a, name="甲区基层志愿者")
    make_volunteer(tree.grassroots_b, name="乙区基层志愿者")


@pytest.mark.urls("tests.unionvol.urls_scoping")
def test_an_anonymous_request_to_a_view_that_reads_volunteers_raises(
    volunteers_everywhere: None,
) -> None:
    with pytest.raises(ScopeError):
        Client().get("/test-scoping/volunteers/")


@pytest.mark.urls("tests.unionvol.urls_scoping")
def test_an_anonymous_request_gets_a_500_page_and_no_names(volunteers_everywhere: None) -> None:
    response = Client(raise_request_exception=False).get("/test-scoping/volunteers/")
    assert response.status_code == 500
    body = response.content.decode()
    for name in ("市总志愿者", "甲区志愿者", "甲区基层志愿者", "乙区基层志愿者"):
        assert name not in body
    assert "ScopeError" not in body


@pytest.mark.urls("tests.unionvol.urls_scoping")
def test_a_view_that_forgets_visible_to_still_shows_only_the_users_subtree(
    volunteers_everywhere: None, viewer_a: Any, admin_b: Any, client_as: Any
) -> None:
    data = client_as(viewer_a).get("/test-scoping/volunteer-count/").json()
    assert data == {"count": 2, "names": sorted(["甲区志愿者", "甲区基层志愿者"])}

    data = client_as(admin_b).get("/test-scoping/volunteer-count/").json()
    assert data == {"count": 1, "names": ["乙区基层志愿者"]}

    names = client_as(viewer_a).get("/test-scoping/volunteers/").content.decode().split("\n")
    assert sorted(names) == sorted(["甲区志愿者", "甲区基层志愿者"])


@pytest.mark.urls("tests.unionvol.urls_scoping")
def test_a_user_without_a_union_sees_nothing_and_the_operator_everything(
    volunteers_everywhere: None, django_user_model: Any, client_as: Any
) -> None:
    stray = django_user_model.objects.create_user("stray", password="x-Pass-12345")
    assert client_as(stray).get("/test-scoping/volunteer-count/").json()["count"] == 0

    operator = django_user_model.objects.create_superuser("operator", password="x-Pass-12345")
    assert client_as(operator).get("/test-scoping/volunteer-count/").json()["count"] == 4


# --- the union tree itself ------------------------------------------------------------------


@pytest.mark.urls("tests.unionvol.urls_scoping")
def test_a_view_that_lists_unions_without_visible_to_shows_only_the_subtree(
    tree: Any, viewer_a: Any, client_as: Any
) -> None:
    codes = client_as(viewer_a).get("/test-scoping/unions/").json()["codes"]
    assert codes == ["C-A", "C-A-1"]  # not the city above, not the sibling district


def test_union_queries_without_a_scope_raise_and_nothing_is_read(tree: Any) -> None:
    with no_scope():
        for query in (
            lambda: Union.objects.count(),
            lambda: list(Union.objects.filter(code="C")),
            lambda: Union.objects.get_children(tree.city).count(),
            lambda: Union.objects.filter(code="C").update(name="改名"),
        ):
            with pytest.raises(ScopeError):
                query()
        # A form's placeholder choices read nothing, so they need no scope.
        assert list(Union.objects.none()) == []
    assert Union.objects.get(code="C").name == "测试市总工会"


def test_the_chain_above_a_union_is_the_one_read_outside_the_subtree(tree: Any) -> None:
    clerk = make_member(tree.grassroots_a, Role.CLERK)
    with user_scope(clerk):
        own = Union.objects.get(code="C-A-1")
        assert [u.code for u in Union.objects.all()] == ["C-A-1"]
        assert [u.code for u in Union.objects.chain_above(own)] == ["C", "C-A"]
        assert not Union.objects.filter(code="C-A").exists()  # only through the chain


def test_tree_edits_in_a_users_scope_stay_in_the_subtree(tree: Any) -> None:
    admin = make_member(tree.district_a, Role.ADMIN)
    with user_scope(admin):
        parent = Union.objects.get(code="C-A")
        child = Union.objects.add_child(
            parent, instance=Union(name="甲区新工会", code="C-A-2", kind="grassroots")
        )
        assert child.path.startswith(parent.path)
        assert child.depth == 3
        assert Union.objects.get(code="C-A").numchild == 2
        # The sibling district's node is not there to be a target at all.
        assert not Union.objects.filter(code="C-B").exists()
    assert [u.code for u in Union.objects.get_children(tree.district_a)] == ["C-A-1", "C-A-2"]
