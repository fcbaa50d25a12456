"""Issue 14 item 6: every error that concerns a person says who — in the roster import
(the row's 姓名 with each error) and on the volunteer form."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import make_id_number, make_volunteer
from tests.volunteers.conftest import form_data
from tests.volunteers.test_imports import named, roster_bytes, upload
from volunteers.imports import read_roster

pytestmark = pytest.mark.django_db


def test_each_import_error_names_the_row_s_person(tree: Any, clerk_a: Any) -> None:
    make_volunteer(tree.grassroots_b, id_number=make_id_number(3))
    rows = [
        [1, "张三", "女", make_id_number(1), "大连商场", "中共党员", "在职职工", ""],
        [2, "李四", "", "21020219900101123", "大连港", "", "", ""],
        [3, "王五", "", make_id_number(2), "大连港", "火星人", "", ""],
        [4, "赵六", "", make_id_number(3), "大连港", "", "", ""],  # registered elsewhere
        [5, "", "", make_id_number(4), "大连港", "", "", ""],
    ]
    report = read_roster(named(roster_bytes(rows)), union=tree.grassroots_a, user=clerk_a)
    by_row = {e.row: e.name for e in report.errors}
    assert by_row == {4: "张三", 5: "李四", 6: "王五", 7: "赵六", 8: ""}
    lines = report.lines()
    assert any(line.startswith("第4行（张三） C（性别） 错误") for line in lines), lines
    assert any(line.startswith("第7行（赵六）") for line in lines), lines
    assert any(line.startswith("第8行 B（姓名） 错误") for line in lines), lines


def test_the_preview_shows_whose_row_is_wrong(tree: Any, clerk_a: Any, client_as: Any) -> None:
    rows = [[1, "王五", "", 210202199001010000, "", "", "", ""]]
    response = client_as(clerk_a).post(
        "/volunteers/import/", {"file": upload(roster_bytes(rows)), "union": tree.grassroots_a.pk}
    )
    html = response.content.decode()
    table = html[html.index('id="import-errors"') :]
    assert "<th>姓名</th>" in table
    assert "<td>王五</td>" in table


def test_a_visible_duplicate_on_the_form_names_the_registered_person(
    tree: Any, clerk_a: Any, client_as: Any
) -> None:
    existing = make_volunteer(tree.grassroots_a, id_number=make_id_number(7), name="已登记的人")
    response = client_as(clerk_a).post(
        "/volunteers/new/",
        {**form_data(id_number=existing.id_number), "union": tree.grassroots_a.pk},
    )
    assert response.status_code == 200
    assert "已登记的人" in response.content.decode()
