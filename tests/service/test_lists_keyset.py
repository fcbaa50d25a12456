"""The service log and the hours list page by keyset: every row once, the counts and
totals of each page right, and the same queries for a page of many rows as of few —
with an insider, a read-only member and an outsider."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from html import unescape
from typing import Any

import pytest

from service.models import Participation
from tests.campaigns.factories import add_members, make_activity, make_team

pytestmark = pytest.mark.django_db

NEXT = re.compile(r'rel="next" href="\?([^"]+)"')


def walk(client: Any, url: str) -> list[list[Any]]:
    pages = []
    response = client.get(url)
    while True:
        pages.append(list(response.context["object_list"]))
        following = NEXT.search(response.content.decode())
        if not following:
            return pages
        response = client.get(f"{url}?{unescape(following.group(1))}")


def test_the_service_log_pages_every_activity_once_with_its_counts(
    tree: Any, clerk_a: Any, viewer_a: Any, admin_b: Any, client_as: Any
) -> None:
    team = make_team(tree.grassroots_a)
    add_members(team, volunteers=2)
    made = [
        make_activity(team, people=2, hours="1.5", date=date(2026, 1, 1) + timedelta(days=i % 40))
        for i in range(60)
    ]
    for client_user in (clerk_a, viewer_a):
        pages = walk(client_as(client_user), "/service/activities/")
        assert [len(p) for p in pages] == [50, 10]
        rows = [a for p in pages for a in p]
        assert sorted(a.pk for a in rows) == sorted(a.pk for a in made)
        assert [a.date for a in rows] == sorted((a.date for a in rows), reverse=True)
        assert {a.person_times for a in rows} == {2}
        assert {a.total_hours for a in rows} == {Decimal("3.0")}
    assert walk(client_as(admin_b), "/service/activities/") == [[]]


def test_the_hours_list_pages_by_name_with_each_volunteers_totals(
    tree: Any, clerk_a: Any, admin_b: Any, client_as: Any
) -> None:
    team = make_team(tree.grassroots_a)
    members = add_members(team, volunteers=55)
    activity = make_activity(team, people=0)
    for i, m in enumerate(members):
        Participation.objects.create(activity=activity, volunteer=m.volunteer, hours=i % 4 + 1)
    pages = walk(client_as(clerk_a), "/service/hours/")
    assert [len(p) for p in pages] == [50, 5]
    rows = [v for p in pages for v in p]
    assert [(v.name, v.pk) for v in rows] == sorted((v.name, v.pk) for v in rows)
    hours = {m.volunteer_id: Decimal(i % 4 + 1) for i, m in enumerate(members)}
    assert {v.pk: v.total_hours for v in rows} == hours
    assert {v.person_times for v in rows} == {1}
    assert walk(client_as(admin_b), "/service/hours/") == [[]]


@pytest.mark.parametrize("n", [3, 70])
def test_list_pages_cost_the_same_queries(
    tree: Any, clerk_a: Any, client_as: Any, django_assert_max_num_queries: Any, n: int
) -> None:
    team = make_team(tree.grassroots_a)
    members = add_members(team, volunteers=n)
    for _ in range(n):
        make_activity(team, people=0)
    activity = make_activity(team, people=0)
    for m in members:
        Participation.objects.create(activity=activity, volunteer=m.volunteer, hours=1)
    client = client_as(clerk_a)
    for url in ("/service/activities/", "/service/hours/"):
        with django_assert_max_num_queries(11):
            html = client.get(url).content.decode()
        following = NEXT.search(html)
        if following:
            with django_assert_max_num_queries(11):
                client.get(f"{url}?{unescape(following.group(1))}")
