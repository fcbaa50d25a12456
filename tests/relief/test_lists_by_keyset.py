"""The relief lists page by keyset: no unbounded COUNT over a province's rows, and every
row once."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_member
from tests.relief.factories import make_visit
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
    seen: list[str] = []
    query = ""
    pages = 0
    while True:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{url}?{query}")
        assert response.status_code == 200
        # A count, if any, stops reading at the cap (shown as 10,000+).
        counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
        assert all("LIMIT 10001" in sql for sql in counts), counts
        visits = list(response.context["page_obj"].object_list)
        seen += [str(v.pk) for v in visits]
        pages += 1
        found = NEXT.search(response.content.decode())
        if not found:
            break
        query = unescape(found.group(1))
    assert pages == 3
    assert len(seen) == len(set(seen)) == 65
    assert "乙区的人" not in response.content.decode()
