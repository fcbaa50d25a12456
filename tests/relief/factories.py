"""Factories for the relief app; registers its models in OBJECT_FACTORIES.

The generic URL test (tests/test_object_urls.py) builds each object in
grassroots_a and logs in as a viewer of district_a: relief views answer a viewer
with 403 before looking anything up (viewers never see hardship data, whatever the
id), which is what that test expects of a read-only member.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from relief.models import Donation, HardshipFile, MicroWish, Pairing, ReliefGrant, Visit
from tests.factories import (
    OBJECT_FACTORIES,
    make_campaign,
    make_member,
    make_volunteer,
)
from unions.models import Role, Union


def valid_id_number(seq: int, *, birth: str = "19700312", area: str = "310104") -> str:
    """A resident ID number that passes validate_id_number (ISO 7064 MOD 11-2).

    Not tests.factories.make_id_number: with python-stdnum 2.x, calc_check_digit
    expects the check digit included, so that helper yields wrong check digits.
    """
    body = f"{area}{birth}{seq % 1000:03d}"
    total = sum(int(c) * (2 ** (17 - i) % 11) for i, c in enumerate(body))
    check = (12 - total % 11) % 11
    return body + ("X" if check == 10 else str(check))


def make_file(union: Union, **kwargs: Any) -> HardshipFile:
    seq = HardshipFile.objects.count() + 1
    data: dict[str, Any] = {
        "union": union,
        "name": f"困难职工{seq}",
        "id_number": valid_id_number(seq),
        "phone": f"138{seq:08d}",
        "family_size": 3,
        "family_members": "配偶 王某 务农\n子 张某 在读",
        "income_source": "工资",
        "monthly_income": Decimal("3000.00"),
        "per_capita_income": Decimal("1000.00"),
        "health": "患慢性病",
        "cause": "illness",
        "degree": "ordinary",
    }
    data.update(kwargs)
    return HardshipFile.objects.create(**data)


def make_pairing(union: Union, **kwargs: Any) -> Pairing:
    data: dict[str, Any] = {
        "file": kwargs.pop("file", None) or make_file(union),
        "volunteer": kwargs.pop("volunteer", None) or make_volunteer(union, status="approved"),
        "start": date(2019, 1, 5),
    }
    data.update(kwargs)
    return Pairing.objects.create(**data)


def make_grant(union: Union, **kwargs: Any) -> ReliefGrant:
    data: dict[str, Any] = {
        "file": kwargs.pop("file", None) or make_file(union),
        "entered_by": kwargs.pop("entered_by", None) or make_member(union, Role.CLERK),
        "fund_type": "hardship",
        "amount": Decimal("2000.00"),
        "granted_on": date(2019, 1, 20),
        "card_tail": "1234",
    }
    data.update(kwargs)
    return ReliefGrant.objects.create(**data)


def make_visit(union: Union, **kwargs: Any) -> Visit:
    data: dict[str, Any] = {
        "union": union,
        "visited_on": date(2019, 1, 25),
        "category": "model_worker",
        "visited_name": "李劳模",
        "visitors": "工会主席",
        "gift": "米、油",
        "money": Decimal("500.00"),
    }
    data.update(kwargs)
    return Visit.objects.create(**data)


def make_donation(union: Union, **kwargs: Any) -> Donation:
    data: dict[str, Any] = {
        "union": union,
        "campaign": kwargs.pop("campaign", None) or make_campaign(union),
        "amount": Decimal("12000.00"),
        "donors": 120,
    }
    data.update(kwargs)
    return Donation.objects.create(**data)


def make_wish(union: Union, **kwargs: Any) -> MicroWish:
    data: dict[str, Any] = {
        "union": union,
        "beneficiary_name": "张小明",
        "category": "left_behind",
        "wish": "一套课外读物",
        "estimated_value": Decimal("150.00"),
    }
    data.update(kwargs)
    return MicroWish.objects.create(**data)


OBJECT_FACTORIES[HardshipFile] = make_file
OBJECT_FACTORIES[Pairing] = make_pairing
OBJECT_FACTORIES[ReliefGrant] = make_grant
OBJECT_FACTORIES[Visit] = make_visit
OBJECT_FACTORIES[Donation] = make_donation
OBJECT_FACTORIES[MicroWish] = make_wish
