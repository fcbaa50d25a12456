"""Imports under failure and under arbitrary input (issue 7: workflow integrity, fuzzing)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_id_number
from tests.volunteers.test_imports import good_rows, named, roster_bytes
from volunteers import imports
from volunteers.imports import commit_roster, read_roster
from volunteers.models import ApprovalStep, Volunteer

pytestmark = pytest.mark.django_db


def test_a_database_error_in_the_middle_of_an_import_leaves_zero_rows(
    tree: Any, clerk_a: Any
) -> None:
    report = read_roster(named(roster_bytes(good_rows())), union=tree.grassroots_a, user=clerk_a)
    assert report.ok
    # Volunteers are written, then the specialties step fails: everything must roll back.
    with (
        mock.patch.object(imports, "_set_specialties", side_effect=DatabaseError("disk full")),
        pytest.raises(DatabaseError),
    ):
        commit_roster(report, union=tree.grassroots_a, by=clerk_a)
    assert Volunteer.objects.count() == 0
    assert ApprovalStep.objects.count() == 0
    assert Volunteer.history.count() == 0


cells = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(min_value=-(10**18), max_value=10**18),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
    st.sampled_from(["男", "女", "中共党员", "群众", "在职职工", make_id_number(5), "=1+1", "@x"]),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(st.lists(cells, min_size=0, max_size=10), min_size=0, max_size=6))
def test_arbitrary_cells_never_crash_the_import(
    rows: list[list[Any]], tree: Any, clerk_a: Any
) -> None:
    cleaned = [
        [c for c in row if not (isinstance(c, str) and any(ord(ch) < 32 for ch in c))]
        for row in rows
    ]
    try:
        report = read_roster(
            named(roster_bytes([[i + 1, *row] for i, row in enumerate(cleaned)])),
            union=tree.grassroots_a,
            user=clerk_a,
        )
    except ValidationError as exc:  # a whole-file problem (no data rows): a clear message
        assert all(m.strip() for m in exc.messages)  # noqa: PT017 - any row set may be refused
        return
    # Every row with content is accepted (to create, update or leave) or reported.
    accepted = {r.row for r in [*report.creates, *report.updates, *report.unchanged]}
    reported = {e.row for e in report.errors}
    for i, row in enumerate(cleaned):
        if any(c is not None and str(c).strip() for c in row):
            assert (4 + i) in accepted | reported, (i, row, report.errors)
    for error in report.errors:
        assert str(error.message).strip()
