from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns.models import CampaignAddressee
from relief import selectors, services
from relief.models import ReliefGrant
from tests.factories import make_campaign
from tests.relief.factories import make_file, make_grant

pytestmark = pytest.mark.django_db


def test_clerk_enters_a_grant_as_decimal(tree: Any, clerk_g: Any, client_as: Any) -> None:
    file = make_file(tree.grassroots_a)
    campaign = make_campaign(tree.district_a)
    CampaignAddressee.objects.create(campaign=campaign, union=tree.grassroots_a)
    response = client_as(clerk_g).post(
        reverse("relief:grant_create", args=[file.pk]),
        {
            "campaign": campaign.pk,
            "fund_type": "hardship",
            "amount": "1234.56",
            "granted_on": "2019-01-20",
            "card_tail": "6789",
            "note": "",
        },
    )
    assert response.status_code == 302
    grant = ReliefGrant.objects.get()
    assert grant.amount == Decimal("1234.56")
    assert isinstance(grant.amount, Decimal)
    assert grant.status == "pending"
    assert grant.entered_by == clerk_g


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("card_tail", "6222021234567890", "银行卡号只填写后4位数字"),
        ("card_tail", "12a4", "银行卡号只填写后4位数字"),
        ("amount", "0", "金额必须大于0"),
        ("amount", "-5", "金额必须大于0"),
    ],
)
def test_bad_grant_input_is_refused(
    field: str, value: str, message: str, tree: Any, clerk_g: Any, client_as: Any
) -> None:
    file = make_file(tree.grassroots_a)
    data = {"fund_type": "hardship", "amount": "100", "granted_on": "2019-01-20", "card_tail": ""}
    data[field] = value
    response = client_as(clerk_g).post(reverse("relief:grant_create", args=[file.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ReliefGrant.objects.exists()


def test_reviewer_approves_but_not_their_own_entry(
    tree: Any, clerk_g: Any, reviewer_g: Any
) -> None:
    grant = make_grant(tree.grassroots_a, entered_by=reviewer_g)
    with pytest.raises(ValidationError) as exc:
        services.grant_approve(grant=grant, user=reviewer_g)
    assert exc.value.code == "self_approval"
    with pytest.raises(ValidationError):
        services.grant_approve(grant=grant, user=clerk_g)  # a clerk cannot review
    other = make_grant(tree.grassroots_a, entered_by=clerk_g)
    services.grant_approve(grant=other, user=reviewer_g)
    other.refresh_from_db()
    assert other.status == "approved"
    assert other.approved_by == reviewer_g
    with pytest.raises(ValidationError):  # approving twice
        services.grant_approve(grant=other, user=reviewer_g)


def test_a_reviewer_above_approves_through_the_view(
    tree: Any, clerk_g: Any, reviewer_a: Any, client_as: Any
) -> None:
    grant = make_grant(tree.grassroots_a, entered_by=clerk_g)
    client = client_as(clerk_g)
    assert client.post(reverse("relief:grant_approve", args=[grant.pk])).status_code == 403
    client = client_as(reviewer_a)
    assert client.post(reverse("relief:grant_approve", args=[grant.pk])).status_code == 302
    grant.refresh_from_db()
    assert grant.status == "approved"
    assert grant.approved_by == reviewer_a


def test_the_database_refuses_self_approval(tree: Any, clerk_g: Any) -> None:
    from django.db import IntegrityError, transaction

    grant = make_grant(tree.grassroots_a, entered_by=clerk_g)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReliefGrant.objects.filter(pk=grant.pk).update(status="approved", approved_by=clerk_g)


def test_approved_grants_cannot_be_edited(
    tree: Any, clerk_g: Any, reviewer_g: Any, client_as: Any
) -> None:
    grant = make_grant(tree.grassroots_a, entered_by=clerk_g)
    services.grant_update(
        grant=grant, user=clerk_g, version=grant.version, amount=Decimal("2500")
    )  # pending: fine
    services.grant_approve(grant=grant, user=reviewer_g)
    with pytest.raises(ValidationError) as exc:
        services.grant_update(grant=grant, user=clerk_g, version=grant.version, amount=Decimal("1"))
    assert exc.value.code == "locked"
    client = client_as(clerk_g)
    url = reverse("relief:grant_edit", args=[grant.pk])
    assert client.get(url).status_code == 302  # sent back with a message
    response = client.post(
        url, {"fund_type": "hardship", "amount": "1", "granted_on": "2019-01-20"}
    )
    assert "已审核的帮扶金不能修改" in response.content.decode()
    grant.refresh_from_db()
    assert grant.amount == Decimal("2500.00")


def test_reversal_is_a_negative_entry_for_approved_grants_only(
    tree: Any, clerk_g: Any, reviewer_g: Any, client_as: Any
) -> None:
    grant = make_grant(tree.grassroots_a, entered_by=clerk_g, amount=Decimal("800"))
    with pytest.raises(ValidationError):
        services.grant_reverse(grant=grant, user=clerk_g)  # still pending
    services.grant_approve(grant=grant, user=reviewer_g)
    client = client_as(clerk_g)
    response = client.post(
        reverse("relief:grant_reverse", args=[grant.pk]),
        {"granted_on": "2019-02-01", "note": "重复发放"},
    )
    assert response.status_code == 302
    reversal = grant.reversal
    assert reversal.amount == Decimal("-800.00")
    assert reversal.status == "pending"
    assert reversal.granted_on == date(2019, 2, 1)
    with pytest.raises(ValidationError):
        services.grant_reverse(grant=grant, user=clerk_g)  # only once
    services.grant_approve(grant=reversal, user=reviewer_g)
    with pytest.raises(ValidationError):
        services.grant_reverse(grant=reversal, user=clerk_g)  # a reversal is not reversed
    assert ReliefGrant.objects.count() == 2


def test_totals_by_fund_and_union_in_one_query(
    tree: Any, clerk_g: Any, reviewer_a: Any, django_assert_num_queries: Any
) -> None:
    f1 = make_file(tree.grassroots_a)
    f2 = make_file(tree.district_a)
    a = make_grant(tree.grassroots_a, file=f1, entered_by=clerk_g, amount=Decimal("1000"))
    b = make_grant(
        tree.grassroots_a,
        file=f1,
        entered_by=clerk_g,
        amount=Decimal("300.50"),
        fund_type="spring_warmth",
    )
    c = make_grant(tree.district_a, file=f2, entered_by=clerk_g, amount=Decimal("700"))
    make_grant(tree.grassroots_a, file=f1, entered_by=clerk_g, amount=Decimal("9999"))  # pending
    for g in (a, b, c):
        services.grant_approve(grant=g, user=reviewer_a)
    rev = services.grant_reverse(grant=a, user=clerk_g)
    services.grant_approve(grant=rev, user=reviewer_a)
    reviewer_a.refresh_from_db()
    selectors.grant_totals(user=reviewer_a)  # warm the membership cache
    with django_assert_num_queries(1):
        totals = selectors.grant_totals(user=reviewer_a)
    got = {(t["file__union__name"], t["fund_type"]): t["total"] for t in totals}
    assert got == {
        (tree.district_a.name, "hardship"): Decimal("700.00"),
        (tree.grassroots_a.name, "hardship"): Decimal("0.00"),
        (tree.grassroots_a.name, "spring_warmth"): Decimal("300.50"),
    }


def test_grant_list_query_count_is_constant(
    tree: Any, clerk_g: Any, reviewer_g: Any, client_as: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_as(reviewer_g)
    make_grant(tree.grassroots_a, entered_by=clerk_g)
    with django_assert_max_num_queries(12):
        client.get(reverse("relief:grant_list"))
    for _ in range(12):
        g = make_grant(tree.grassroots_a, entered_by=clerk_g)
        services.grant_approve(grant=g, user=reviewer_g)
        services.grant_reverse(grant=g, user=clerk_g)
    with django_assert_max_num_queries(12):
        client.get(reverse("relief:grant_list"))


def test_a_pending_reversal_keeps_its_amount(tree: Any, clerk_g: Any, reviewer_g: Any) -> None:
    grant = make_grant(tree.grassroots_a, entered_by=clerk_g, amount=Decimal("800"))
    services.grant_approve(grant=grant, user=reviewer_g)
    reversal = services.grant_reverse(grant=grant, user=clerk_g)
    services.grant_update(
        grant=reversal, user=clerk_g, version=reversal.version, amount=Decimal("5"), note="改备注"
    )
    reversal.refresh_from_db()
    assert reversal.amount == Decimal("-800.00")
    assert reversal.note == "改备注"
