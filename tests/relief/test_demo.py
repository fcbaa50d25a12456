from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest

from campaigns.models import Campaign
from relief import demo, selectors
from relief.models import HardshipFile, MicroWish, ReliefGrant
from unions import demo as unions_demo
from unions.models import Union

pytestmark = pytest.mark.django_db


def test_demo_loads_twice_and_gives_the_hand_computed_sheet(db: Any) -> None:
    unions_demo.load(io.StringIO())
    demo.load(io.StringIO())
    demo.load(io.StringIO())  # idempotent
    assert HardshipFile.objects.count() == 4
    assert ReliefGrant.objects.count() == 6
    assert ReliefGrant.objects.filter(reverses__isnull=False, status="approved").count() == 1
    assert MicroWish.objects.count() == 4
    campaign = Campaign.objects.get(doc_number="沪教工〔2019〕1号")
    from django.contrib.auth import get_user_model

    reviewer = get_user_model().objects.get(username="sh_reviewer")
    stats = selectors.warmth_stats(
        user=reviewer, union=Union.objects.get(code="SH"), campaign=campaign, aggregate=True
    )
    fudan = next(r for r in stats.rows if r.label == "复旦大学工会")
    assert (fudan.aided, fudan.amount, fudan.donations, fudan.visits) == (
        2,
        Decimal("3500.00"),
        Decimal("25680.50"),
        3,
    )
    assert (fudan.prev_people, fudan.prev_amount) == (2, Decimal("1800.00"))
    assert stats.total.donations == Decimal("43680.50")
