"""Every URL that takes an object id is scoped: an outsider gets 404 (GET and POST),
a read-only member of the owning union cannot write (403/405).

The URL patterns are enumerated, so a view added later is covered automatically;
its model must be registered in tests/factories.OBJECT_FACTORIES.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import OBJECT_FACTORIES, make_member
from unions.models import Role
from unionvol.models import ExportJob

EXCLUDED_NAMESPACES = {"admin"}
# Rows private to the user who made them, even inside the union.
REQUESTER_ONLY: set[type[models.Model]] = {ExportJob}
ID_KWARGS = {"pk"}


def _walk(
    patterns: list[Any], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, Any]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            if ns in EXCLUDED_NAMESPACES:
                continue
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{namespace}:{p.name}" if namespace else p.name, p


def object_url_patterns() -> list[tuple[str, str, Any]]:
    found = []
    for route, name, pattern in _walk(get_resolver().url_patterns):
        if set(pattern.pattern.converters) & ID_KWARGS:
            found.append((route, name, pattern))
    return found


def model_of(pattern: Any) -> type[models.Model] | None:
    callback = pattern.callback
    view_class = getattr(callback, "view_class", None)
    return getattr(callback, "scoped_model", None) or getattr(view_class, "model", None)


PATTERNS = object_url_patterns()


def test_there_are_object_urls_to_check() -> None:
    assert len(PATTERNS) >= 5


@pytest.mark.parametrize(("route", "name", "pattern"), PATTERNS, ids=[p[1] for p in PATTERNS])
def test_every_object_url_is_scoped(
    route: str, name: str, pattern: Any, tree: Any, client: Any, admin_b: Any
) -> None:
    model = model_of(pattern)
    assert model is not None, f"{name}: the view must declare its model (or scoped_model)"
    factory = OBJECT_FACTORIES.get(model)
    assert factory is not None, f"{name}: register {model.__name__} in OBJECT_FACTORIES"

    obj = factory(tree.grassroots_a)
    url = "/" + route.replace("<int:pk>", str(obj.pk)).replace("<pk>", str(obj.pk))

    client.force_login(admin_b)  # an admin, but of the sibling district
    assert client.get(url).status_code == 404, f"outsider GET {url}"
    assert client.post(url, {}).status_code in {404, 405}, f"outsider POST {url}"

    viewer = make_member(tree.district_a, Role.VIEWER)
    client.force_login(viewer)
    status = client.get(url).status_code
    if model in REQUESTER_ONLY:  # another member's export job does not exist for them
        assert status == 404, f"viewer GET {url} -> {status}"
        return
    assert status in {200, 302, 403, 405}, f"viewer GET {url} -> {status}"
    status = client.post(url, {}).status_code
    assert status in {403, 405}, f"viewer POST {url} -> {status}"
