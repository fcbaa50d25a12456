"""Issue 14 item 5: after applying the citizen gets a 报名编号 and checks the status with
it and the last four characters of the ID number; Back or refresh submits nothing twice."""

from __future__ import annotations

import re
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone

from tests.factories import make_id_number, make_volunteer
from tests.volunteers.conftest import x_id_number
from tests.volunteers.test_public import apply_data
from volunteers import services
from volunteers.models import ApprovalDecision, RepeatedApplication, Volunteer
from volunteers.selectors import application_status, mask_name, normalize_reference
from volunteers.views.common import STATUS_LIMIT, STATUS_REFERENCE_LIMIT

pytestmark = pytest.mark.django_db

REFERENCE = re.compile(r"UV-\d{4}-[A-Z0-9]{6}")
CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def applied(client: Any, union: Any, seq: int, **overrides: Any) -> str:
    """Apply through the public form; the 报名编号 the done page shows."""
    response = client.post("/volunteers/apply/", apply_data(union, seq, **overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    html = client.get(response["Location"]).content.decode()
    found = REFERENCE.findall(html)
    assert len(found) == 1
    return found[0]


def check(client: Any, reference: str, tail: str, **extra: Any) -> Any:
    return client.post(
        "/volunteers/apply/status/", {"reference": reference, "id_tail": tail}, **extra
    )


def status_page(client: Any, reference: str, tail: str) -> str:
    response = check(client, reference, tail)
    assert response.status_code == 302
    assert response["Location"] == "/volunteers/apply/status/"
    return str(client.get(response["Location"]).content.decode())


def test_the_done_page_shows_the_reference_once(tree: Any, chain: Any, client: Any) -> None:
    response = client.post("/volunteers/apply/", apply_data(tree.grassroots_a, 1, name="张三丰"))
    assert response.status_code == 302  # POST → redirect → GET: Back never resubmits
    done = client.get(response["Location"])
    html = done.content.decode()
    reference = REFERENCE.findall(html)[0]
    assert Volunteer.objects.get().reference == reference
    assert reference.startswith(f"UV-{timezone.localdate().year}-")
    assert "/volunteers/apply/status/" in html
    assert "no-store" in done["Cache-Control"] or "no-cache" in done["Cache-Control"]

    again = client.get(response["Location"]).content.decode()  # refresh, or Back to it
    assert reference not in again
    assert "报名编号只在提交后显示一次" in again
    assert Volunteer.objects.count() == 1


def test_references_are_unique_and_random(tree: Any, chain: Any, client: Any) -> None:
    references = {applied(client, tree.grassroots_a, seq) for seq in range(1, 5)}
    assert len(references) == 4
    assert set(Volunteer.objects.values_list("reference", flat=True)) == references
    # Consecutive applicants' numbers share nothing but the year.
    bodies = sorted(r.rsplit("-", 1)[1] for r in references)
    assert len({b[:3] for b in bodies}) > 1


def test_a_taken_reference_is_never_handed_out_again(tree: Any) -> None:
    year = timezone.localdate().year
    make_volunteer(tree.grassroots_a, reference=f"UV-{year}-AAAAAA")
    RepeatedApplication.objects.create(
        union=tree.grassroots_a, name="某人", reference=f"UV-{year}-BBBBBB", id_tail="1234"
    )
    draws = iter("A" * 6 + "B" * 6 + "C" * 6)
    with mock.patch("volunteers.services.secrets.choice", side_effect=lambda _: next(draws)):
        assert services.new_reference() == f"UV-{year}-CCCCCC"


def test_the_status_check_shows_the_level_and_nothing_personal(
    tree: Any, chain: Any, client: Any
) -> None:
    number = make_id_number(3)
    reference = applied(
        client, tree.grassroots_a, 3, name="张三丰", id_number=number, phone="13912345678"
    )
    html = status_page(client, reference, number[-4:])
    assert reference in html
    assert "审核中" in html
    assert "待「甲区某企业工会」审核（第 1 级，共 3 级）" in html
    assert "张**" in html
    for private in ("张三丰", number, number[:6], "13912345678", "大连商场"):
        assert private not in html

    volunteer = Volunteer.objects.get()
    services.approval_decide(volunteer=volunteer, by=chain.unit_reviewer, decision="approved")
    assert "待「甲区总工会」审核（第 2 级，共 3 级）" in status_page(client, reference, number[-4:])

    services.approval_decide(
        volunteer=volunteer,
        by=chain.district_reviewer,
        decision=ApprovalDecision.RETURNED,
        opinion="工作单位请写全称",
    )
    html = status_page(client, reference, number[-4:])
    assert "已退回" in html
    assert "工作单位请写全称" in html

    volunteer.refresh_from_db()
    services.volunteer_resubmit(volunteer=volunteer, by=chain.clerk)
    for reviewer in (chain.unit_reviewer, chain.district_reviewer, chain.city_reviewer):
        services.approval_decide(volunteer=volunteer, by=reviewer, decision="approved")
    html = status_page(client, reference, number[-4:])
    assert "已通过" in html
    assert timezone.localdate().strftime("%Y-%m-%d") in html
    assert "工作单位请写全称" not in html


def test_a_rejected_application_reads_not_passed(tree: Any, chain: Any, client: Any) -> None:
    number = make_id_number(4)
    reference = applied(client, tree.grassroots_a, 4, id_number=number)
    services.approval_decide(
        volunteer=Volunteer.objects.get(),
        by=chain.unit_reviewer,
        decision=ApprovalDecision.REJECTED,
        opinion="内部意见：不宜录用",
    )
    html = status_page(client, reference, number[-4:])
    assert "未通过" in html
    assert "内部意见" not in html


def test_the_reference_and_tail_are_read_as_typed(tree: Any, chain: Any, client: Any) -> None:
    number = x_id_number()
    reference = applied(client, tree.grassroots_a, 5, id_number=number)
    year, body = reference.split("-")[1:]
    full_width = body.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    typed = f" uv-{year}-{full_width.lower()} "
    assert number.endswith("X")
    html = status_page(client, typed, number[-4:].lower())
    assert "审核中" in html
    assert normalize_reference(f"{year}{body}") == reference  # the prefix may be left out


def test_wrong_combinations_get_one_neutral_answer(tree: Any, chain: Any, client: Any) -> None:
    number = make_id_number(6)
    reference = applied(client, tree.grassroots_a, 6, id_number=number)
    other_tail = "0000" if not number.endswith("0000") else "1111"
    answers = []
    for ref, tail in (
        (reference, other_tail),  # the right number, a wrong tail
        (f"UV-{reference.split('-')[1]}-ZZZZZZ", number[-4:]),  # a number never given
        (reference.replace("UV-2", "UV-1"), number[-4:]),  # another year
    ):
        response = check(client, ref, tail)
        assert response.status_code == 200
        page = CSRF_VALUE.sub("", response.content.decode())
        answers.append(page.replace(ref, "REF").replace(f'value="{tail}"', "TAIL"))
    assert answers[0] == answers[1] == answers[2]
    assert "报名编号或身份证号码后四位不正确" in answers[0]
    assert "审核中" not in answers[0]


def test_malformed_input_is_named(client: Any, db: Any) -> None:
    response = check(client, "12345", "12")
    html = response.content.decode()
    assert response.status_code == 200
    assert "报名编号的格式" in html
    assert "请填写身份证号码的最后四位" in html
    assert 'value="12345"' in html  # what was typed stays


def test_a_repeated_application_reads_like_any_other(tree: Any, chain: Any, client: Any) -> None:
    existing = make_volunteer(tree.grassroots_b, id_number=make_id_number(7), name="已有的人")
    repeated_ref = applied(client, tree.grassroots_a, 7, id_number=existing.id_number, name="李四")
    fresh_number = make_id_number(8)
    fresh_ref = applied(client, tree.grassroots_a, 8, id_number=fresh_number, name="王五")
    assert RepeatedApplication.objects.get().reference == repeated_ref
    assert RepeatedApplication.objects.get().id_tail == existing.id_number[-4:]

    def text(page: str, ref: str) -> str:
        return (
            CSRF_VALUE.sub("", page).replace(ref, "REF").replace("李*", "X*").replace("王*", "X*")
        )

    repeated_page = status_page(client, repeated_ref, existing.id_number[-4:])
    fresh_page = status_page(client, fresh_ref, fresh_number[-4:])
    assert "已有的人" not in repeated_page
    assert text(repeated_page, repeated_ref) == text(fresh_page, fresh_ref)
    # The wrong tail is refused for a repeated application too.
    wrong = "0000" if existing.id_number[-4:] != "0000" else "1111"
    assert "报名编号或身份证号码后四位不正确" in check(client, repeated_ref, wrong).content.decode()
    assert application_status(reference=repeated_ref, id_tail=wrong) is None


def test_status_checks_are_rate_limited(tree: Any, chain: Any, client: Any) -> None:
    number = make_id_number(9)
    reference = applied(client, tree.grassroots_a, 9, id_number=number)
    for _ in range(STATUS_LIMIT):
        check(client, "UV-2026-ZZZZZZ", "1234", REMOTE_ADDR="10.1.1.1")
    limited = check(client, reference, number[-4:], REMOTE_ADDR="10.1.1.1")
    assert limited.status_code == 429
    assert "查询过于频繁" in limited.content.decode()
    assert "审核中" not in limited.content.decode()
    # One 报名编号 cannot be tried from many addresses either.
    for n in range(STATUS_REFERENCE_LIMIT):
        check(client, reference, "0000", REMOTE_ADDR=f"10.2.0.{n + 1}")
    assert check(client, reference, number[-4:], REMOTE_ADDR="10.3.0.1").status_code == 429
    # Another applicant from another address is unaffected.
    other = make_id_number(10)
    other_ref = applied(client, tree.grassroots_a, 10, id_number=other, REMOTE_ADDR="10.4.0.1")
    assert check(client, other_ref, other[-4:], REMOTE_ADDR="10.4.0.1").status_code == 302


def test_the_status_page_is_public_and_linked(tree: Any, chain: Any, client: Any) -> None:
    response = client.get("/volunteers/apply/status/")
    assert response.status_code == 200
    assert 'name="reference"' in response.content.decode()
    assert "/volunteers/apply/status/" in client.get("/volunteers/apply/").content.decode()
    client.force_login(chain.clerk)  # a signed-in user may use it too
    assert client.get("/volunteers/apply/status/").status_code == 200


def test_mask_name() -> None:
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("李") == "李*"
    assert mask_name("") == ""


def test_clerk_registrations_have_no_reference(tree: Any, chain: Any) -> None:
    from tests.volunteers.conftest import form_data

    volunteer = services.volunteer_register(
        union=tree.grassroots_a, data=form_data(), by=chain.clerk, campaign=chain.campaign
    )
    assert volunteer.reference is None
