"""Issue 14 item 6: ID and phone numbers are taken as people paste and type them.

Spaces of every kind, full-width digits, a lower-case or full-width x and hyphens in
phone numbers are normalised before anything is checked; what is then still too long
is refused with the limit named.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from openpyxl import Workbook

from tests.factories import make_volunteer
from tests.volunteers.conftest import form_data
from unionvol.idnumbers import complete_id_number
from volunteers.imports import commit_roster, read_roster
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

NUMBER = complete_id_number("21020219850312104")  # 1985-03-12, female (4 is even), ends in X
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def spaced(number: str) -> str:
    return f"{number[:3]} {number[3:6]} {number[6:10]} {number[10:14]} {number[14:]}"


@pytest.mark.parametrize(
    ("typed_id", "typed_phone"),
    [
        (spaced(NUMBER[:-1] + "x"), "139 0411 0001"),
        (
            NUMBER[:6]
            + "\u3000"
            + NUMBER[6:14].translate(FULL_WIDTH)
            + "\u00a0"
            + NUMBER[14:-1]
            + "ｘ",
            "１３９－０４１１－０００１",
        ),
    ],
    ids=["spaces-and-lower-case-x", "full-width"],
)
def test_a_pasted_id_and_phone_register_the_volunteer(
    tree: Any, clerk_a: Any, client_as: Any, typed_id: str, typed_phone: str
) -> None:
    assert len(typed_id) > 18  # Django's max_length check alone would refuse it
    data = {**form_data(id_number=typed_id, phone=typed_phone), "union": tree.grassroots_a.pk}
    response = client_as(clerk_a).post("/volunteers/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    volunteer = Volunteer.objects.get()
    assert volunteer.id_number == NUMBER
    assert volunteer.phone == "13904110001"
    assert str(volunteer.birth_date) == "1985-03-12"
    assert volunteer.gender == "F"


def test_the_register_form_lets_a_spaced_number_be_pasted_whole(
    clerk_a: Any, client_as: Any
) -> None:
    html = client_as(clerk_a).get("/volunteers/new/").content.decode()
    id_input = html[html.index('name="id_number"') :].split(">", 1)[0]
    phone_input = html[html.index('name="phone"') :].split(">", 1)[0]
    assert "maxlength" not in id_input
    assert "maxlength" not in phone_input
    assert 'inputmode="tel"' in phone_input


def test_an_id_still_too_long_is_refused_with_the_id_message(
    tree: Any, clerk_a: Any, client_as: Any
) -> None:
    data = {**form_data(id_number=spaced(NUMBER) + " 7"), "union": tree.grassroots_a.pk}
    response = client_as(clerk_a).post("/volunteers/new/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "身份证号码应为18位" in html
    assert "确保该变量包含不超过" not in html  # Django's generic length message
    assert not Volunteer.objects.exists()


def test_a_name_over_the_limit_is_refused_naming_the_limit_not_cut(
    tree: Any, clerk_a: Any, client_as: Any
) -> None:
    name = "欧" * 41
    data = {**form_data(name=name, id_number=NUMBER), "union": tree.grassroots_a.pk}
    response = client_as(clerk_a).post("/volunteers/new/", data)
    assert response.status_code == 200
    html = response.content.decode()
    error = html.split('id="error_1_id_name"', 1)[1].split("</span>", 1)[0]
    assert "不超过 40 字符" in error
    assert "目前字符数 41" in error
    assert not Volunteer.objects.exists()


def test_a_member_of_the_public_may_paste_a_full_width_number(tree: Any, client: Any) -> None:
    data = {
        **form_data(id_number=NUMBER.translate(FULL_WIDTH), phone="+86 139-0411-0001"),
        "union": tree.grassroots_a.pk,
        "consent": "on",
        "member_type": "invited",
    }
    response = client.post("/volunteers/apply/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    volunteer = Volunteer.objects.get()
    assert (volunteer.id_number, volunteer.phone) == (NUMBER, "13904110001")


def test_search_by_a_spaced_full_width_id_finds_the_volunteer(
    tree: Any, viewer_a: Any, client_as: Any
) -> None:
    viewer_a.user_permissions.add(Permission.objects.get(codename="view_full_id"))
    volunteer = make_volunteer(tree.grassroots_a, id_number=NUMBER)
    typed = spaced(NUMBER[:-1].translate(FULL_WIDTH) + "ｘ").replace(" ", "\u3000")
    response = client_as(viewer_a).post("/volunteers/search-id/", {"id_number": typed})
    assert response.status_code == 302
    assert response["Location"] == volunteer.get_absolute_url()


def test_a_roster_with_spaced_full_width_numbers_imports(tree: Any, clerk_a: Any) -> None:
    wb = Workbook()
    wb.active.append(["序号", "姓名", "性别", "身份证号码", "工作单位", "联系电话"])
    typed_id = spaced(NUMBER[:-1].translate(FULL_WIDTH) + "ｘ").replace(" ", "\u3000")
    wb.active.append([1, "张三", "女", typed_id, "大连商场", "１３９－０４１１－０００１"])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "花名册.xlsx"
    report = read_roster(out, union=tree.grassroots_a, user=clerk_a)
    assert report.ok, report.errors
    commit_roster(report, union=tree.grassroots_a, by=clerk_a)
    volunteer = Volunteer.objects.get()
    assert (volunteer.id_number, volunteer.phone) == (NUMBER, "13904110001")
