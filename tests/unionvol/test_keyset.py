from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from tests.factories import make_id_number, make_volunteer
from unionvol import keyset
from unionvol.keyset import InvalidCursor, KeysetPaginator
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


def test_an_ordering_must_end_in_the_primary_key_or_a_unique_column() -> None:
    with pytest.raises(ValueError, match="primary key or a unique column"):
        KeysetPaginator(Volunteer.objects.all(), ["name"])
    KeysetPaginator(Volunteer.objects.all(), ["name", "pk"])
    KeysetPaginator(Volunteer.objects.all(), ["name", "id_number"])  # unique


def test_cursors_round_trip_and_refuse_what_they_did_not_make(tree: Any) -> None:
    people = [
        make_volunteer(tree.grassroots_a, id_number=make_id_number(i), name=f"队员{i}")
        for i in range(1, 8)
    ]
    paginator = KeysetPaginator(Volunteer.objects.all(), ["union__path", "name", "pk"], per_page=3)
    page = paginator.page()
    assert [v.name for v in page] == ["队员1", "队员2", "队员3"]
    assert page.has_next
    assert not page.has_previous
    assert paginator.decode(page.next_cursor) == [tree.grassroots_a.path, "队员3", people[2].pk]
    page = paginator.page(after=page.next_cursor)
    assert [v.name for v in page] == ["队员4", "队员5", "队员6"]
    back = paginator.page(before=page.previous_cursor)
    assert [v.name for v in back] == ["队员1", "队员2", "队员3"]
    assert not back.has_previous
    other = KeysetPaginator(Volunteer.objects.all(), ["name", "pk"])
    with pytest.raises(InvalidCursor):
        other.decode(page.next_cursor)  # made for another ordering
    for bad in ("", "%%%", "e30", "WzFd"):  # '', not base64, {}, [1]
        with pytest.raises(InvalidCursor):
            paginator.decode(bad)


def test_estimates_look_like_estimates() -> None:
    assert keyset._round(87) == 87
    assert keyset._round(6138) == 6100
    assert keyset._round(123_456) == 120_000


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate")
def test_a_large_estimate_is_shown_as_one(tree: Any, monkeypatch: Any) -> None:
    for i in range(1, 5):
        make_volunteer(tree.grassroots_a, id_number=make_id_number(i))
    monkeypatch.setattr(keyset, "plan_estimate", lambda qs: (123_456, 50_000.0))
    monkeypatch.setattr(keyset, "COUNT_CAP", 1_000_000)
    page = KeysetPaginator(Volunteer.objects.all(), ["-registered_at", "-pk"], per_page=2).page()
    assert page.total is None
    assert page.estimate == 120_000
    assert page.total_label == "约 120,000 条"
    # Few rows expected, but at a high cost (a city's subtree read for its 600): no count.
    monkeypatch.setattr(keyset, "plan_estimate", lambda qs: (613, 30_000.0))
    page = KeysetPaginator(Volunteer.objects.all(), ["-registered_at", "-pk"], per_page=2).page()
    assert page.total_label == "约 610 条"
    # Few and cheap (a union's): counted.
    monkeypatch.setattr(keyset, "plan_estimate", lambda qs: (613, 300.0))
    page = KeysetPaginator(Volunteer.objects.all(), ["-registered_at", "-pk"], per_page=2).page()
    assert page.total_label == "共 4 条"
