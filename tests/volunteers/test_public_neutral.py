"""Issue 12 item 6: the public application form answers the same whatever the ID
number — it never tells anyone whether a number is registered. A repeated number is
kept for the reviewers of the union applied to, who find it in their inbox."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.factories import make_id_number, make_member, make_volunteer
from tests.volunteers.test_public import apply_data
from unions.models import Role
from volunteers.models import RepeatedApplication, Volunteer

pytestmark = pytest.mark.django_db

CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
REFERENCE = re.compile(r"UV-\d{4}-[A-Z0-9]{6}")


def _text(response: Any) -> str:
    """The page as the applicant reads it (the per-render CSRF mask and the applicant's
    own random 报名编号 aside)."""
    page = CSRF_VALUE.sub('name="csrfmiddlewaretoken"', response.content.decode())
    assert len(REFERENCE.findall(page)) == 1, "the done page shows one 报名编号"
    return REFERENCE.sub("UV-REFERENCE", page)


def test_a_registered_and_an_unregistered_number_get_the_same_answer(
    tree: Any, client: Any
) -> None:
    existing = make_volunteer(tree.grassroots_b, id_number=make_id_number(5), name="已有的人")
    registered = client.post(
        "/volunteers/apply/",
        apply_data(tree.grassroots_a, 5, id_number=existing.id_number, name="再次报名的人"),
    )
    done_after_registered = _text(client.get(registered["Location"]))
    fresh = client.post("/volunteers/apply/", apply_data(tree.grassroots_a, 6, name="新报名的人"))
    done_after_fresh = _text(client.get(fresh["Location"]))

    assert registered.status_code == fresh.status_code == 302
    assert registered["Location"] == fresh["Location"] == "/volunteers/apply/done/"
    assert registered.content == fresh.content
    assert done_after_registered == done_after_fresh
    assert "报名已提交" in done_after_registered
    for page in (done_after_registered, registered.content.decode()):
        assert "已有的人" not in page
        assert "登记过" not in page
        assert existing.get_absolute_url() not in page


def test_the_repeated_application_is_kept_for_the_reviewers(tree: Any, client: Any) -> None:
    existing = make_volunteer(tree.grassroots_a, id_number=make_id_number(5), name="已有的人")
    client.post(
        "/volunteers/apply/",
        apply_data(
            tree.grassroots_a,
            5,
            id_number=existing.id_number,
            name="再次报名的人",
            phone="13900001111",
            resume="2010年起在港务局工作",
        ),
    )
    assert Volunteer.objects.count() == 1  # the registered record is untouched
    existing.refresh_from_db()
    assert existing.name == "已有的人"
    repeated = RepeatedApplication.objects.get()
    assert (repeated.union, repeated.existing, repeated.name, repeated.phone) == (
        tree.grassroots_a,
        existing,
        "再次报名的人",
        "13900001111",
    )
    assert repeated.data["resume"] == "2010年起在港务局工作"
    assert existing.id_number not in str(repeated.data)

    reviewer = make_member(tree.grassroots_a, Role.REVIEWER)
    client.force_login(reviewer)
    inbox = client.get("/volunteers/inbox/").content.decode()
    assert "再次报名的人" in inbox
    assert "13900001111" in inbox
    assert existing.get_absolute_url() in inbox  # theirs to see
    assert "身份证号码重复的网上报名" in client.get("/").content.decode()

    # A clerk of the union, or a reviewer elsewhere, does not see it.
    client.force_login(make_member(tree.grassroots_a, Role.CLERK))
    assert "再次报名的人" not in client.get("/volunteers/").content.decode()
    client.force_login(make_member(tree.grassroots_b, Role.REVIEWER))
    assert "再次报名的人" not in client.get("/volunteers/inbox/").content.decode()
    assert client.post("/volunteers/inbox/", {"resolve": repeated.pk}).status_code == 404

    client.force_login(reviewer)
    response = client.post("/volunteers/inbox/", {"resolve": repeated.pk})
    assert response.status_code == 302
    repeated.refresh_from_db()
    assert repeated.resolved_by == reviewer
    assert repeated.resolved_at is not None
    assert "再次报名的人" not in client.get("/volunteers/inbox/").content.decode()


def test_a_number_registered_elsewhere_is_not_linked(tree: Any, client: Any) -> None:
    existing = make_volunteer(tree.grassroots_b, id_number=make_id_number(7), name="乙区的人")
    client.post(
        "/volunteers/apply/",
        apply_data(tree.grassroots_a, 7, id_number=existing.id_number, name="甲区报名的人"),
    )
    client.force_login(make_member(tree.grassroots_a, Role.REVIEWER))
    inbox = client.get("/volunteers/inbox/").content.decode()
    assert "甲区报名的人" in inbox
    assert "登记在其他工会" in inbox
    assert "乙区的人" not in inbox
    assert existing.get_absolute_url() not in inbox


def test_other_errors_are_still_shown(tree: Any, client: Any) -> None:
    data = apply_data(tree.grassroots_a, 8, phone="12")
    response = client.post("/volunteers/apply/", data)
    assert response.status_code == 200
    assert not Volunteer.objects.exists()
    assert not RepeatedApplication.objects.exists()
