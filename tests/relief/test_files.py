from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from relief import services
from relief.models import HardshipFile
from tests.factories import make_member
from tests.relief.factories import make_file, valid_id_number
from unions.models import Role

pytestmark = pytest.mark.django_db


def form_data(**kwargs: Any) -> dict[str, Any]:
    data = {
        "name": "张建华",
        "id_number": valid_id_number(7),
        "phone": "13900000001",
        "family_size": "4",
        "family_members": "配偶 李某 无业\n女 张某 在读",
        "income_source": "工资、低保",
        "monthly_income": "3200.00",
        "per_capita_income": "",
        "health": "本人患尿毒症",
        "cause": "illness",
        "degree": "deep",
        "contact_person": "",
        "status": "active",
        "reviewed_on": "2019-01-10",
        "note": "",
    }
    data.update(kwargs)
    return data


def test_clerk_files_a_case(tree: Any, clerk_g: Any, client_as: Any) -> None:
    client = client_as(clerk_g)
    response = client.post(reverse("relief:file_create"), form_data(contact_person=clerk_g.pk))
    assert response.status_code == 302
    file = HardshipFile.objects.get()
    assert file.union == tree.grassroots_a
    assert file.per_capita_income == Decimal("800.00")  # 3200 / 4
    assert file.contact_person == clerk_g
    assert file.created_by == clerk_g
    html = client.get(file.get_absolute_url()).content.decode()
    assert file.masked_id in html
    assert file.id_number not in html  # shown masked
    assert "本人患尿毒症" in html


def test_a_bad_id_number_is_refused_and_the_form_keeps_the_input(
    tree: Any, clerk_g: Any, client_as: Any
) -> None:
    response = client_as(clerk_g).post(
        reverse("relief:file_create"),
        form_data(
            id_number=valid_id_number(7)[:-1] + ("1" if valid_id_number(7)[-1] != "1" else "2"),
            name="王五",
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "身份证号码校验位不正确" in html
    assert "王五" in html
    assert not HardshipFile.objects.exists()


def test_a_bad_phone_is_refused(tree: Any, clerk_g: Any, client_as: Any) -> None:
    response = client_as(clerk_g).post(reverse("relief:file_create"), form_data(phone="12345"))
    assert "请填写有效的手机号码" in response.content.decode()
    assert not HardshipFile.objects.exists()


def test_id_number_is_unique_per_union(tree: Any, clerk_g: Any, client_as: Any) -> None:
    number = valid_id_number(7)
    make_file(tree.grassroots_a, id_number=number)
    make_file(tree.grassroots_b, id_number=number)  # another union may file the same person
    response = client_as(clerk_g).post(reverse("relief:file_create"), form_data(id_number=number))
    assert response.status_code == 200
    assert "本工会已有该身份证号的困难职工档案" in response.content.decode()
    assert HardshipFile.objects.count() == 2


def test_the_duplicate_answer_is_rate_limited(
    tree: Any, clerk_g: Any, client_as: Any, monkeypatch: Any
) -> None:
    """ "本工会已有该身份证号" confirms a guess: each new number submitted counts against
    the user's hourly limit, and past it nothing is checked and the form keeps the input."""
    from volunteers import privacy

    monkeypatch.setattr(privacy, "ID_LOOKUP_LIMIT", 2)
    number = valid_id_number(7)
    make_file(tree.grassroots_a, id_number=number)
    client = client_as(clerk_g)
    for guess in (valid_id_number(8), number):
        response = client.post(reverse("relief:file_create"), form_data(id_number=guess))
    assert "本工会已有该身份证号的困难职工档案" in response.content.decode()
    response = client.post(reverse("relief:file_create"), form_data(id_number=number, name="赵六"))
    html = response.content.decode()
    assert str(privacy.TOO_MANY_LOOKUPS) in html
    assert "本工会已有该身份证号" not in html
    assert "赵六" in html
    assert HardshipFile.objects.count() == 2  # the file and the first (new) guess
    # Editing a file without changing its number is not a lookup.
    file = HardshipFile.objects.get(id_number=valid_id_number(8))
    edit = form_data(id_number="", name="改名", version=file.version)
    response = client.post(reverse("relief:file_edit", args=[file.pk]), edit)
    assert response.status_code == 302
    file.refresh_from_db()
    assert file.name == "改名"


def test_contact_person_must_be_staff_of_the_files_union(
    tree: Any, clerk_g: Any, clerk_a: Any, viewer_g: Any
) -> None:
    data = form_data()
    data.update(
        family_size=4, monthly_income=Decimal("3200"), per_capita_income=None, reviewed_on=None
    )
    for bad in (clerk_a, viewer_g):  # a clerk of the union above; a viewer of the union
        data["contact_person"] = bad
        with pytest.raises(ValidationError) as exc:
            services.file_create(user=clerk_g, union=tree.grassroots_a, **data)
        assert services.CONTACT_NOT_STAFF in exc.value.message_dict["contact_person"]
    data["contact_person"] = clerk_g
    assert services.file_create(user=clerk_g, union=tree.grassroots_a, **data).pk


def test_contact_person_choices_are_the_unions_staff(
    tree: Any, clerk_g: Any, clerk_a: Any, viewer_g: Any, client_as: Any
) -> None:
    reviewer = make_member(tree.grassroots_a, Role.REVIEWER, username="rev_g")
    html = client_as(clerk_g).get(reverse("relief:file_create")).content.decode()
    assert f'value="{clerk_g.pk}"' in html
    assert f'value="{reviewer.pk}"' in html
    assert f'value="{clerk_a.pk}"' not in html
    assert f'value="{viewer_g.pk}"' not in html


def test_edit_detects_a_conflict(tree: Any, clerk_g: Any, client_as: Any) -> None:
    file = make_file(tree.grassroots_a)
    client = client_as(clerk_g)
    url = reverse("relief:file_edit", args=[file.pk])
    data = form_data(id_number="", version=file.version, name="新名字")
    assert client.post(url, data).status_code == 302
    file.refresh_from_db()
    assert file.name == "新名字"
    assert file.version == 2
    # A second browser still holding version 1 is refused; nothing is written.
    response = client.post(url, form_data(id_number=file.id_number, version=1, name="旧页面"))
    assert response.status_code == 200
    assert "该档案已被他人修改" in response.content.decode()
    file.refresh_from_db()
    assert file.name == "新名字"


def test_edit_form_never_sends_the_full_id_number(tree: Any, clerk_g: Any, client_as: Any) -> None:
    file = make_file(tree.grassroots_a)
    client = client_as(clerk_g)
    url = reverse("relief:file_edit", args=[file.pk])
    html = client.get(url).content.decode()
    assert file.id_number not in html
    assert file.masked_id in html
    # left empty, the stored number is kept
    assert client.post(url, form_data(id_number="", version=1)).status_code == 302
    file.refresh_from_db()
    assert file.id_number == valid_id_number(1)


def test_history_never_holds_the_id_number(tree: Any, clerk_g: Any) -> None:
    file = make_file(tree.grassroots_a)
    services.file_update(file=file, user=clerk_g, version=1, status="resolved")
    history = file.history.all()
    assert history.count() == 2
    assert not hasattr(history.first(), "id_number")
    assert "id_number" not in [f.name for f in history.model._meta.fields]


def test_status_filter(tree: Any, clerk_g: Any, client_as: Any) -> None:
    make_file(tree.grassroots_a, name="甲")
    make_file(tree.grassroots_a, name="乙", status="resolved")
    html = client_as(clerk_g).get(reverse("relief:file_list") + "?status=resolved").content.decode()
    assert "乙" in html
    assert ">甲<" not in html


def test_file_list_query_count_is_constant(
    tree: Any, clerk_g: Any, client_as: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_as(clerk_g)
    make_file(tree.grassroots_a, contact_person=clerk_g)
    with django_assert_max_num_queries(12):
        client.get(reverse("relief:file_list"))
    for _ in range(15):
        make_file(tree.grassroots_a, contact_person=clerk_g)
    with django_assert_max_num_queries(12):
        client.get(reverse("relief:file_list"))
    with django_assert_max_num_queries(12):
        client.get(reverse("relief:unpaired"))


def test_file_detail_query_count_is_constant(
    tree: Any, clerk_g: Any, reviewer_g: Any, client_as: Any, django_assert_max_num_queries: Any
) -> None:
    from relief import services as relief_services
    from tests.relief.factories import make_grant, make_pairing, make_visit

    file = make_file(tree.grassroots_a, contact_person=clerk_g)
    client = client_as(clerk_g)
    url = reverse("relief:file_detail", args=[file.pk])
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200
    for i in range(8):
        pairing = make_pairing(tree.grassroots_a, file=file)
        relief_services.pairing_end(pairing=pairing, end=pairing.start, user=clerk_g)
        grant = make_grant(tree.grassroots_a, file=file, entered_by=clerk_g)
        if i % 2:
            relief_services.grant_approve(grant=grant, user=reviewer_g)
            relief_services.grant_reverse(grant=grant, user=clerk_g)
        make_visit(tree.grassroots_a, file=file)
    with django_assert_max_num_queries(14):
        html = client.get(url).content.decode()
    assert "已冲销" in html
