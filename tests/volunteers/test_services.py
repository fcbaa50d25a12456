from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_campaign, make_id_number, make_volunteer
from tests.volunteers.conftest import form_data, x_id_number
from unionvol.idnumbers import ID_INVALID_CHECKSUM, PHONE_INVALID
from volunteers import services
from volunteers.models import ApprovalStep, Specialty, Volunteer, VolunteerStatus

pytestmark = pytest.mark.django_db


def test_register_derives_gender_and_birth_date_and_opens_the_first_step(
    tree: Any, clerk_a: Any
) -> None:
    number = make_id_number(3, male=False, birth="19851224")
    singing = Specialty.objects.create(name="声乐")
    volunteer = services.volunteer_register(
        union=tree.grassroots_a,
        data={**form_data(id_number=number), "specialties": [singing]},
        by=clerk_a,
    )
    assert volunteer.gender == "F"
    assert str(volunteer.birth_date) == "1985-12-24"
    assert volunteer.status == VolunteerStatus.PENDING
    assert volunteer.created_by == clerk_a
    assert list(volunteer.specialties.all()) == [singing]
    step = ApprovalStep.objects.get(volunteer=volunteer)
    assert (step.level, step.union, step.round) == (1, tree.grassroots_a, 1)
    assert volunteer.history.count() == 1


def test_lower_case_x_is_stored_upper_case(tree: Any, clerk_a: Any) -> None:
    number = x_id_number()
    volunteer = services.volunteer_register(
        union=tree.district_a, data=form_data(id_number=number.lower()), by=clerk_a
    )
    assert volunteer.id_number == number
    assert volunteer.masked_id.endswith("X")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"id_number": make_id_number(5)[:-1] + "0"}, "id_number", None),
        ({"phone": "12345"}, "phone", str(PHONE_INVALID)),
        ({"phone": ""}, "phone", "请填写联系电话。"),
        ({"name": ""}, "name", None),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    tree: Any, clerk_a: Any, overrides: dict[str, Any], field: str, message: str | None
) -> None:
    data = form_data(**overrides)
    if field == "id_number" and data["id_number"] == make_id_number(5):
        pytest.skip("check digit happened to be 0")
    with pytest.raises(ValidationError) as info:
        services.volunteer_register(union=tree.district_a, data=data, by=clerk_a)
    assert field in info.value.error_dict
    if message:
        assert message in info.value.message_dict[field]
    assert Volunteer.objects.count() == 0
    assert ApprovalStep.objects.count() == 0


def test_a_bad_check_digit_says_so(tree: Any, clerk_a: Any) -> None:
    good = make_id_number(9)
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    with pytest.raises(ValidationError) as info:
        services.volunteer_register(
            union=tree.district_a, data=form_data(id_number=bad), by=clerk_a
        )
    assert str(ID_INVALID_CHECKSUM) in info.value.message_dict["id_number"]


def test_a_contradicting_gender_is_an_error(tree: Any, clerk_a: Any) -> None:
    number = make_id_number(4, male=True)
    with pytest.raises(ValidationError) as info:
        services.volunteer_register(
            union=tree.district_a, data={**form_data(id_number=number), "gender": "F"}, by=clerk_a
        )
    assert "性别与身份证号码不符" in info.value.message_dict["gender"][0]
    assert Volunteer.objects.count() == 0


def test_a_matching_typed_gender_is_accepted(tree: Any, clerk_a: Any) -> None:
    number = make_id_number(4, male=True)
    volunteer = services.volunteer_register(
        union=tree.district_a, data={**form_data(id_number=number), "gender": "M"}, by=clerk_a
    )
    assert volunteer.gender == "M"


def test_duplicate_inside_the_scope_points_to_the_existing_record(tree: Any, clerk_a: Any) -> None:
    existing = make_volunteer(tree.grassroots_a, id_number=make_id_number(11))
    with pytest.raises(services.DuplicateIdNumber) as info:
        services.volunteer_register(
            union=tree.district_a, data=form_data(id_number=existing.id_number), by=clerk_a
        )
    assert info.value.existing == existing
    assert existing.name in info.value.messages[0]


def test_duplicate_outside_the_scope_gets_a_neutral_message(tree: Any, clerk_a: Any) -> None:
    existing = make_volunteer(tree.grassroots_b, id_number=make_id_number(12))
    with pytest.raises(services.DuplicateIdNumber) as info:
        services.volunteer_register(
            union=tree.district_a, data=form_data(id_number=existing.id_number), by=clerk_a
        )
    assert info.value.existing is None
    assert existing.name not in info.value.messages[0]
    assert tree.grassroots_b.name not in info.value.messages[0]


def test_a_clerk_cannot_register_outside_the_scope(tree: Any, clerk_a: Any) -> None:
    with pytest.raises(ValidationError, match="无权"):
        services.volunteer_register(union=tree.district_b, data=form_data(), by=clerk_a)


def test_a_viewer_cannot_register(tree: Any, viewer_a: Any) -> None:
    with pytest.raises(ValidationError, match="无权"):
        services.volunteer_register(union=tree.district_a, data=form_data(), by=viewer_a)


def test_campaign_must_recruit_and_be_issued_above(tree: Any, clerk_a: Any) -> None:
    not_recruiting = make_campaign(tree.city)
    with pytest.raises(ValidationError) as info:
        services.volunteer_register(
            union=tree.district_a, data=form_data(), by=clerk_a, campaign=not_recruiting
        )
    assert "campaign" in info.value.error_dict
    sibling = make_campaign(tree.district_b, recruits_volunteers=True)
    with pytest.raises(ValidationError) as info:
        services.volunteer_register(
            union=tree.district_a, data=form_data(), by=clerk_a, campaign=sibling
        )
    assert "campaign" in info.value.error_dict


def test_a_stale_edit_is_refused_and_the_first_save_is_kept(tree: Any, clerk_a: Any) -> None:
    volunteer = services.volunteer_register(union=tree.district_a, data=form_data(), by=clerk_a)
    version = volunteer.version
    services.volunteer_update(
        volunteer=volunteer, data=form_data(workplace="第一次保存"), by=clerk_a, version=version
    )
    with pytest.raises(ValidationError, match="已被他人修改"):
        services.volunteer_update(
            volunteer=volunteer, data=form_data(workplace="第二次保存"), by=clerk_a, version=version
        )
    volunteer.refresh_from_db()
    assert volunteer.workplace == "第一次保存"
    assert volunteer.version == version + 1


def test_the_history_never_holds_the_id_number(tree: Any, clerk_a: Any) -> None:
    volunteer = services.volunteer_register(union=tree.district_a, data=form_data(), by=clerk_a)
    record = volunteer.history.first()
    assert not hasattr(record, "id_number")
