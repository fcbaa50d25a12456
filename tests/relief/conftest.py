from __future__ import annotations

from typing import Any

import pytest

from tests.factories import make_member
from unions.models import Role


@pytest.fixture
def clerk_g(tree: Any) -> Any:
    """An insider: a clerk of grassroots_a, the union that owns the files."""
    return make_member(tree.grassroots_a, Role.CLERK, username="clerk_g", first_name="周婷")


@pytest.fixture
def reviewer_g(tree: Any) -> Any:
    return make_member(tree.grassroots_a, Role.REVIEWER, username="reviewer_g")


@pytest.fixture
def viewer_g(tree: Any) -> Any:
    return make_member(tree.grassroots_a, Role.VIEWER, username="viewer_g")


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache() -> Any:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
