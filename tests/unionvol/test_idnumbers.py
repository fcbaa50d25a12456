from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from unionvol.idnumbers import (
    complete_id_number,
    gender_of,
    mask_id_number,
    normalize_id_number,
    normalize_phone,
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
    # The county code and the birth date are hidden together (issue 12).
    assert mask_id_number("21020219600101001X") == "21**************1X"


@pytest.mark.parametrize(
    "phone", ["13812345678", "0411-82610421", "041182610421", "+8613812345678"]
)
def test_valid_phones(phone: str) -> None:
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["12345", "23812345678", "82610421", "abc"])
def test_invalid_phones(phone: str) -> None:
    with pytest.raises(ValidationError):
        validate_phone(phone)


# 210202 19850312 104 X — the check character of this body is X.
X_NUMBER = complete_id_number("21020219850312104")
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def test_the_sample_numbers_are_what_the_tests_assume() -> None:
    assert X_NUMBER.endswith("X")
    assert validate_id_number(X_NUMBER) == X_NUMBER


@pytest.mark.parametrize(
    "typed",
    [
        f"{X_NUMBER[:3]} {X_NUMBER[3:6]} {X_NUMBER[6:10]} {X_NUMBER[10:14]} {X_NUMBER[14:]}",
        f"{X_NUMBER[:6]}\u3000{X_NUMBER[6:14]}\u3000{X_NUMBER[14:]}",  # ideographic space
        f"{X_NUMBER[:6]}\u00a0{X_NUMBER[6:]}",  # non-breaking space (Word, web pages)
        f"\ufeff{X_NUMBER[:6]}\u200b{X_NUMBER[6:]}\t\n",  # invisible marks of a paste
        X_NUMBER.translate(FULL_WIDTH),  # typed with a Chinese input method
        X_NUMBER[:-1] + "x",
        X_NUMBER[:-1] + "ｘ",  # full-width lower-case x
        X_NUMBER[:-1].translate(FULL_WIDTH) + "\u3000ｘ\u3000",
    ],
)
def test_id_numbers_are_normalised_before_they_are_checked(typed: str) -> None:
    assert normalize_id_number(typed) == X_NUMBER
    assert validate_id_number(typed) == X_NUMBER


def test_id_normalisation_folds_only_full_width_forms() -> None:
    # NFKC would make digits of ① and ²; they stay and the number is refused as such.
    assert normalize_id_number("①" + X_NUMBER[1:]) == "①" + X_NUMBER[1:]
    with pytest.raises(ValidationError) as info:
        validate_id_number("①" + X_NUMBER[1:])
    assert info.value.code == "id_format"
    # A hyphen inside an ID number is not a known way of writing one: it is refused.
    with pytest.raises(ValidationError):
        validate_id_number(f"{X_NUMBER[:6]}-{X_NUMBER[6:]}")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("139 0411 0001", "13904110001"),
        ("139-0411-0001", "13904110001"),
        ("139\u30000411\u30000001", "13904110001"),
        ("１３９０４１１０００１", "13904110001"),
        ("１３９－０４１１－０００１", "13904110001"),
        ("139\u2014 0411\u20130001", "13904110001"),  # em and en dashes
        ("+86 139 0411 0001", "13904110001"),
        ("＋８６\u00a0139-0411-0001", "13904110001"),
        ("0086 13904110001", "13904110001"),
        ("(0411) 8261 0421", "0411-82610421"),
        ("（０４１１）８２６１０４２１", "041182610421"),
        ("(0411)82610421", "041182610421"),
        ("0411 8261-0421", "0411-82610421"),
        ("04118261 0421", "041182610421"),
        ("041182610421", "041182610421"),
        ("0411-82610421", "0411-82610421"),
        ("0411－82610421", "0411-82610421"),
        ("0411-8261-0421", "0411-82610421"),
        ("0411 - 8261 - 0421 - 123", "0411-82610421-123"),
        ("010-6512-3456", "010-65123456"),
    ],
)
def test_phones_are_normalised_before_they_are_checked(typed: str, stored: str) -> None:
    assert normalize_phone(typed) == stored
    assert validate_phone(typed) == stored


@pytest.mark.parametrize("phone", ["139-0411-000", "1390411000１２", "0411-8261", "13９"])
def test_a_normalised_phone_that_is_still_wrong_is_refused(phone: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_phone(phone)
    assert info.value.code == "phone"
