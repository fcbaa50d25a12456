"""The relief lists and the public wish wall page by keyset: no unbounded COUNT over a
province's (or the country's) rows, and every row once."""

from __future__ import annotations

import base64
import json
import re
from datetime import date, timedelta
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relief.views.common import PAGE_SIZE
from tests.factories import make_member
from tests.relief.factories import make_visit, make_wish
from unions.models import Role

NEXT = re.compile(r'rel="next" href="\?([^"]+)"')


@pytest.mark.parametrize("url", ["/relief/visits/"])
def test_a_list_pages_every_row_once_and_never_counts_past_the_cap(
    tree: Any, client_as: Any, url: str
) -> None:
    for i in range(65):  # more than two pages of 30
        make_visit(tree.grassroots_a, visited_on=date(2026, 1, 1) + timedelta(days=i % 7))
    make_visit(tree.grassroots_b, visited_name="乙区的人")  # outside district A
    client = client_as(make_member(tree.district_a, Role.ADMIN))
    pages = walk_pages(client, url)
    seen = [str(v.pk) for page in pages for v in page.context["page_obj"].object_list]
    assert len(pages) == 3
    assert len(seen) == len(set(seen)) == 65
    assert "乙区的人" not in pages[-1].content.decode()


def test_the_public_wall_pages_every_wish_once_without_a_full_count(tree: Any, client: Any) -> None:
    """The wall holds every union's wishes: it pages by keyset, open wishes first and the
    newest first among them, each wish on one page."""
    opened = [make_wish(tree.grassroots_a, wish=f"心愿{i:02d}") for i in range(PAGE_SIZE + 5)]
    claimed = make_wish(tree.grassroots_b, wish="已认领的心愿", status="claimed")
    make_wish(tree.grassroots_b, wish="已实现的心愿", status="fulfilled")
    pages = walk_pages(client, reverse("relief:wall"))
    seen = [w.wish for page in pages for w in page.context["wishes"]]
    assert len(pages) == 2
    # Open wishes first (those a visitor can claim), the newest first; then the claimed one;
    # never the fulfilled one.
    assert seen == [w.wish for w in reversed(opened)] + [claimed.wish]
    # The link to the next page names the last wish by its public token, not by its key.
    cursor = pages[0].context["page_obj"].next_cursor
    values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))["v"]
    last = opened[-PAGE_SIZE]
    assert values[-1] == str(last.public_id)
    assert last.pk not in values


def walk_pages(client: Any, url: str) -> list[Any]:
    """Every page of a keyset list, following 下一页; a count, if any, stops reading at
    the cap (shown as 10,000+)."""
    responses, query = [], ""
    while True:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{url}?{query}")
        assert response.status_code == 200
        counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
        assert all("LIMIT 10001" in sql for sql in counts), counts
        responses.append(response)
        found = NEXT.search(response.content.decode())
        if not found:
            return responses
        query = unescape(found.group(1))
