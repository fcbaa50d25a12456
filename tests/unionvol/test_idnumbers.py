from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from unionvol.idnumbers import (
    complete_id_number,
    gender_of,
    mask_id_number,
    validate_id_number,
    validate_phone,
)

VALID = complete_id_number("21020219600101001")  # 大连市中山区, born 1960, male


def test_a_valid_number_passes_and_lower_case_x_becomes_upper() -> None:
    assert validate_id_number(VALID) == VALID
    assert validate_id_number(" 11010519491231002x ") == "11010519491231002X"


def test_people_born_before_their_area_code_existed_are_accepted() -> None:
    # 210202 exists since 1984 in stdnum's data; numbers issued then use it for everyone.
    assert validate_id_number(complete_id_number("21020219450301002")).startswith("210202")


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("2102021960010100", "id_length"),
        ("21020219600101001A", "id_format"),
        (VALID[:-1] + ("1" if VALID[-1] != "1" else "2"), "id_checksum"),
        (complete_id_number("21020219600230001"), "id_date"),
        (complete_id_number("99020219600101001"), "id_area"),
    ],
)
def test_each_bad_number_has_its_own_reason(number: str, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_id_number(number)
    assert info.value.code == code


def test_gender_and_mask() -> None:
    assert gender_of(VALID) == "M"
    assert gender_of(complete_id_number("21020219600101002")) == "F"
    assert mask_id_number("21020219600101001X") == "2102**********001X"


@pytest.mark.parametrize(
    "phone", ["13812345678", "0411-82610421", "041182610421", "+8613812345678"]
)
def test_valid_phones(phone: str) -> None:
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["12345", "23812345678", "82610421", "abc"])
def test_invalid_phones(phone: str) -> None:
    with pytest.raises(ValidationError):
        validate_phone(phone)
