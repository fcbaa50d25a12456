from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from unionvol.navigation import nav_items

pytestmark = pytest.mark.django_db


def active_labels(user: Any, path: str) -> list[str]:
    request = RequestFactory().get(path)
    request.user = user
    return [str(i["label"]) for i in nav_items(request) if i["active"]]


def test_only_the_most_specific_entry_is_active(reviewer_a: Any) -> None:
    assert active_labels(reviewer_a, "/volunteers/inbox/") == ["待我审批"]
    assert active_labels(reviewer_a, "/volunteers/12/") == ["志愿者"]
    assert active_labels(reviewer_a, "/") == []


def test_viewers_get_no_entries_that_need_more_than_viewing(viewer_a: Any) -> None:
    request = RequestFactory().get("/")
    request.user = viewer_a
    labels = [str(i["label"]) for i in nav_items(request)]
    assert "工会组织" in labels
    assert "待我审批" not in labels
