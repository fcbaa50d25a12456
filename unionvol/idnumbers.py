"""Resident ID numbers (居民身份证号码, GB 11643) and phone numbers.

Validation is python-stdnum's ``stdnum.cn.ric`` (length, check digit, real birth
date, known area code). Numbers are stored upper-case and shown masked.

Numbers arrive pasted from WeChat, Word and Excel, typed with a Chinese input method:
both normalisers first fold full-width digits and letters (１２３, ｘ), drop every kind
of space (the ideographic U+3000, the non-breaking U+00A0, zero-width marks) and only
then are the numbers checked.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric

# The permission that shows full numbers (granted per member by a union admin). Named
# here, in the kernel, so that the unions app can grant it without importing volunteers.
FULL_ID_PERMISSION = "volunteers.view_full_id"

ID_INVALID_LENGTH = _("身份证号码应为18位（最后一位可以是X）。")
ID_INVALID_FORMAT = _("身份证号码只能包含数字，最后一位可以是X。")
ID_INVALID_CHECKSUM = _("身份证号码校验位不正确，请核对。")
ID_INVALID_DATE = _("身份证号码中的出生日期不存在。")
ID_INVALID_AREA = _("身份证号码中的地区码不存在。")
ID_INVALID = _("身份证号码无效。")
PHONE_INVALID = _("请填写有效的手机号码（11位，以1开头）或带区号的固定电话（如 0411-82610421）。")

# ASCII digits only (\d would also match other scripts' digits).
MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")
LANDLINE_RE = re.compile(r"^0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?$")


# Full-width ASCII (U+FF01–U+FF5E) to ASCII; NFKC would also turn ① or ² into digits.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
# Whitespace plus the invisible marks a paste brings along (\s misses these).
_SPACES_RE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
# Hyphens, dashes and minus signs a phone number may be written with.
_DASHES_RE = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63\u30fc-]+")
_MOBILE_WITH_PREFIX_RE = re.compile(r"^(?:\+86|0086)?(1[3-9][0-9]{9})$")


def _fold(value: object) -> str:
    return _SPACES_RE.sub("", str(value or "").translate(_FULL_WIDTH))


def normalize_id_number(value: str) -> str:
    """'２１０２ ０２…１２１ｘ' → '210202…121X': no spaces, ASCII digits, upper-case X."""
    return _fold(value).upper()


def _area_known(number: str) -> bool:
    """Whether the first six digits are a county-level code that has ever existed."""
    from stdnum import numdb

    info: dict[str, str] = {}
    for _part, props in numdb.get("cn/loc").info(number[:6]):
        info.update(props)
    return bool(info.get("county"))


def validate_id_number(value: str) -> str:
    """Return the normalised number or raise ``ValidationError`` with a clear reason."""
    number = normalize_id_number(value)
    if len(number) != 18:
        raise ValidationError(ID_INVALID_LENGTH, code="id_length")
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        raise ValidationError(ID_INVALID_FORMAT, code="id_format")
    try:
        ric.validate(number)
    except stdnum_exceptions.InvalidChecksum as exc:
        raise ValidationError(ID_INVALID_CHECKSUM, code="id_checksum") from exc
    except (stdnum_exceptions.InvalidComponent, KeyError) as exc:
        # stdnum raises InvalidComponent for both the birth date and the area code (and
        # KeyError for a province code without that county).
        try:
            ric.get_birth_date(number)
        except stdnum_exceptions.ValidationError:
            raise ValidationError(ID_INVALID_DATE, code="id_date") from exc
        if not _area_known(number):
            raise ValidationError(ID_INVALID_AREA, code="id_area") from exc
        # stdnum also wants the county to have existed in the birth year, but the code is
        # that of the first registration, often decades after birth: the number is valid.
    except stdnum_exceptions.ValidationError as exc:
        raise ValidationError(ID_INVALID, code="id_invalid") from exc
    if ric.get_birth_date(number) > timezone.localdate():
        raise ValidationError(ID_INVALID_DATE, code="id_date")
    return number


def birth_date_of(number: str) -> date:
    return ric.get_birth_date(number)


def gender_of(number: str) -> str:
    """'M' or 'F' from the 17th digit (odd: male)."""
    return "M" if int(number[16]) % 2 else "F"


# What a mask keeps: the province (2 digits) and the last two characters (gender digit and
# check character). Hidden together are the city and county code, the birth date and two
# of the three order digits; pages show neither birth date nor age to whoever sees the
# mask. Even knowing the province's ~150 counties, the check character leaves about
# 150 x 36,500 days x 100 / 11 = 50 million valid numbers per mask: none can be
# confirmed by guessing. The former mask (2102**********123X) hid only the county and
# the birth date, and the page showed the birth date: a hundred candidates, one valid.
MASK_KEEP_START = 2
MASK_KEEP_END = 2


def mask_id_number(number: str) -> str:
    """21**************3X — the province and the last two characters stay visible."""
    number = normalize_id_number(number)
    keep = MASK_KEEP_START + MASK_KEEP_END
    if len(number) <= keep:
        return "*" * len(number)
    return number[:MASK_KEEP_START] + "*" * (len(number) - keep) + number[-MASK_KEEP_END:]


def normalize_phone(value: str) -> str:
    """A mobile number becomes its 11 digits ('+86 138-1234-5678' → '13812345678'); a
    landline keeps its digits, with a hyphen only where a space or dash separated area
    code, number and extension ('(0411)８２６１０４２１' → '041182610421', '0411 8261
    0421' → '0411-82610421'). What is no phone number comes back folded but otherwise
    as it came, for the check to refuse."""
    text = re.sub(r"[()（）]", "", str(value or "").translate(_FULL_WIDTH))
    # Spaces and dashes separate groups of digits: '0411 8261-0421'.
    phone = re.sub(r"-+", "-", _SPACES_RE.sub("-", _DASHES_RE.sub("-", text))).strip("-")
    digits = phone.replace("-", "")
    mobile = _MOBILE_WITH_PREFIX_RE.fullmatch(digits)
    if mobile:
        return mobile.group(1)
    area, *groups = phone.split("-")
    if groups and re.fullmatch(r"0[0-9]{2,3}", area):
        # '0411-8261-0421' is one local number written in groups: join groups until
        # it has its 7 or 8 digits; what follows is the extension.
        local = groups.pop(0)
        while groups and len(local) < 7:
            local += groups.pop(0)
        landline = "-".join([area, local, *groups])
        if LANDLINE_RE.fullmatch(landline):
            return landline
    if re.fullmatch(r"0[0-9]{9,11}", digits):
        return digits  # grouped some other way ('04118261 0421'): the digits still fit
    return phone


def validate_phone(value: str) -> str:
    phone = normalize_phone(value)
    if MOBILE_RE.fullmatch(phone) or LANDLINE_RE.fullmatch(phone):
        return phone
    raise ValidationError(PHONE_INVALID, code="phone")


def complete_id_number(body: str) -> str:
    """The 17-digit body plus its check digit (for demo and test data)."""
    # stdnum's calc_check_digit expects a full-length number and ignores its last character.
    return body + ric.calc_check_digit(body + "0")
