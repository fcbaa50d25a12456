"""Issue 7 item 8: property tests for the ID-number and phone validators.

Arbitrary text never raises anything but ``ValidationError``; every generated
valid number is accepted and comes back normalised.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from unionvol.idnumbers import (
    birth_date_of,
    gender_of,
    mask_id_number,
    validate_id_number,
    validate_phone,
)

FUZZ = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Real county-level codes (GB/T 2260): Dalian Zhongshan, Beijing Dongcheng, Shanghai Huangpu,
# Jinan Lixia, Lianyungang Haizhou, Jiaozuo Jiefang.
AREA_CODES = ["210202", "110101", "310101", "370102", "320706", "410802"]
ID_ALPHABET = "0123456789Xx \t-" + "１２３٣"  # also full-width and Arabic-Indic digits


def outcome(validator: Callable[[str], str], text: str) -> tuple[str, ValidationError | None]:
    """The validator's result, or the ValidationError it raised (anything else propagates)."""
    try:
        return validator(text), None
    except ValidationError as exc:
        return "", exc


def with_check_digit(body17: str) -> str:
    # calc_check_digit expects the whole number, check digit position included.
    return body17 + ric.calc_check_digit(body17 + "0")


@st.composite
def valid_ids(draw: st.DrawFn) -> str:
    area = draw(st.sampled_from(AREA_CODES))
    birth = draw(st.dates(min_value=date(1940, 1, 1), max_value=date(2024, 12, 31)))
    order = draw(st.integers(min_value=0, max_value=999))
    return with_check_digit(f"{area}{birth:%Y%m%d}{order:03d}")


def id_like_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(),
        st.text(alphabet=ID_ALPHABET, min_size=15, max_size=20),
        valid_ids().map(lambda n: n[:-1] + "0123456789X"[(int(n[6]) + 1) % 11]),
        st.builds(
            lambda area, rest: area + rest,
            st.text(alphabet="0123456789", min_size=6, max_size=6),
            st.text(alphabet="0123456789X", min_size=12, max_size=12),
        ),
    )


@FUZZ
@given(id_like_text())
@example(with_check_digit("12345619900101001"))  # a province without that county
@example(with_check_digit("99000019900101001"))  # no such province
@example(with_check_digit("21020220991231001"))  # born in the future
@example("٢١٠٢٠٢١٩٩٠٠١٠١٠٠١٧")  # Arabic-Indic digits
def test_id_validator_only_raises_validation_error(text: str) -> None:
    number, error = outcome(validate_id_number, text)
    if error is not None:
        assert (error.code or "").startswith("id_")
        assert error.messages
        assert all(error.messages)
        return
    # Whatever passes is a real, normalised number.
    assert len(number) == 18
    assert number[:17].isascii()
    assert number[:17].isdigit()
    assert number[-1] in "0123456789X"
    assert number[-1] == ric.calc_check_digit(number)
    assert birth_date_of(number) <= timezone.localdate()


@FUZZ
@given(valid_ids(), st.sampled_from(["", " ", "\t"]), st.booleans())
def test_every_valid_id_is_accepted(number: str, spacer: str, lower: bool) -> None:
    typed = number.lower() if lower else number
    typed = typed[:6] + spacer + typed[6:14] + spacer + typed[14:]
    assert validate_id_number(typed) == number
    born = birth_date_of(number)
    assert born.strftime("%Y%m%d") == number[6:14]
    assert gender_of(number) == ("M" if int(number[16]) % 2 else "F")
    masked = mask_id_number(number)
    assert masked[:2] == number[:2]
    assert masked[-2:] == number[-2:]
    assert masked[2:16] == "*" * 14  # county code, birth date and order hidden together


@FUZZ
@given(valid_ids(), st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_a_changed_digit_is_refused(number: str, position: int, delta: int) -> None:
    digit = (int(number[position]) + delta) % 10
    changed = number[:position] + str(digit) + number[position + 1 :]
    try:
        validate_id_number(changed)
    except ValidationError:
        return
    # One changed digit always breaks the GB 11643 checksum.
    raise AssertionError(f"{changed} accepted")


def phone_like_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(),
        st.text(alphabet="0123456789+-— ()（）－١٢", max_size=20),
    )


@FUZZ
@given(phone_like_text())
@example("13٩٠٠٠٠٠٠٠٠")  # Arabic-Indic digits are not a phone number
@example("0411-٨٢٦١٠٤٢١")
@example("13900000000\n")
def test_phone_validator_only_raises_validation_error(text: str) -> None:
    phone, error = outcome(validate_phone, text)
    if error is not None:
        assert error.code == "phone"
        return
    assert phone.isascii()
    assert set(phone) <= set("0123456789-")


@st.composite
def valid_phones(draw: st.DrawFn) -> tuple[str, str]:
    if draw(st.booleans()):
        number = (
            "1"
            + draw(st.sampled_from("3456789"))
            + draw(st.from_regex(r"[0-9]{9}", fullmatch=True))
        )
        typed = draw(
            st.sampled_from([number, f"+86{number}", f"{number[:3]} {number[3:7]} {number[7:]}"])
        )
        return typed, number
    area = draw(st.sampled_from(["010", "021", "0411", "0518", "0391"]))
    local = draw(st.from_regex(r"[1-9][0-9]{6,7}", fullmatch=True))
    typed = draw(
        st.sampled_from(
            [f"{area}-{local}", f"{area}{local}", f"({area}){local}", f"{area}—{local}"]
        )
    )
    return typed, typed.replace("(", "").replace(")", "").replace("—", "-")


@FUZZ
@given(valid_phones())
def test_every_valid_phone_is_accepted(case: tuple[str, str]) -> None:
    typed, expected = case
    assert validate_phone(typed) == expected
