"""A grassroots union sees the quota of the district above it (its own target), not a
sibling district's; the issuer's staff see every row."""

from __future__ import annotations

from typing import Any

import pytest

from campaigns.models import CampaignAddressee, CampaignStatus
from tests.factories import make_campaign, make_member
from unions.models import Role
from volunteers.models import QuotaAllocation

pytestmark = pytest.mark.django_db


def test_grassroots_sees_its_districts_quota_on_the_campaign_and_quota_pages(
    tree: Any, client: Any
) -> None:
    c = make_campaign(tree.city, status=CampaignStatus.PUBLISHED, recruits_volunteers=True)
    for d in (tree.district_a, tree.district_b):
        CampaignAddressee.objects.get_or_create(campaign=c, union=d)
    QuotaAllocation.objects.create(campaign=c, union=tree.district_a, order=1, quota=300)
    QuotaAllocation.objects.create(campaign=c, union=tree.district_b, order=2, quota=200)
    client.force_login(make_member(tree.grassroots_a, Role.CLERK))
    page = client.get(f"/campaigns/{c.pk}/").content.decode()
    assert "甲区总工会" in page
    assert "300" in page
    quotas = client.get(f"/volunteers/quotas/{c.pk}/").content.decode()
    assert "300" in quotas
    assert "乙区总工会" not in quotas
    client.force_login(make_member(tree.city, Role.REVIEWER))
    quotas = client.get(f"/volunteers/quotas/{c.pk}/").content.decode()
    assert "甲区总工会" in quotas
    assert "乙区总工会" in quotas
