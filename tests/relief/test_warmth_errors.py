"""送温暖活动统计表's filter: an unasked page shows the hint, not a required-field error;
a bad choice is named by its Chinese label, not by the form's field name."""

from __future__ import annotations

from typing import Any

import pytest
from lxml import html as lxml_html

pytestmark = pytest.mark.django_db


def alert(response: Any) -> str | None:
    assert response.status_code == 200
    found = lxml_html.fromstring(response.content.decode()).xpath('//*[@id="warmth-errors"]')
    return found[0].text_content() if found else None


def test_the_page_opened_plainly_shows_no_error(tree: Any, clerk_a: Any, client_as: Any) -> None:
    response = client_as(clerk_a).get("/relief/stats/")
    assert alert(response) is None
    html = response.content.decode()
    assert "请选择春节送温暖活动通知。" in html
    assert "这个字段是必填项" not in html


def test_a_union_outside_the_scope_is_named_by_its_label(
    tree: Any, clerk_a: Any, client_as: Any
) -> None:
    text = alert(client_as(clerk_a).get("/relief/stats/", {"union": tree.district_b.pk}))
    assert text is not None
    assert "工会：选择一个有效的选项" in text
    assert "campaign" not in text
    assert "union" not in text
