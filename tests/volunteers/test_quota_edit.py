from __future__ import annotations

from typing import Any

import pytest

from campaigns.models import CampaignAddressee
from tests.factories import make_campaign, make_member
from unions.models import Role
from volunteers.models import QuotaAllocation

pytestmark = pytest.mark.django_db


def post_data(rows: list[dict[str, Any]], total: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "form-TOTAL_FORMS": str(total or len(rows)),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"form-{i}-{key}"] = "" if value is None else str(value)
    return data


@pytest.fixture
def campaign(tree: Any) -> Any:
    return make_campaign(tree.district_a, recruits_volunteers=True)


def test_the_issuer_allocates_quotas_and_history_keeps_them(
    tree: Any, campaign: Any, clerk_a: Any, client_as: Any
) -> None:
    client = client_as(clerk_a)
    assert client.get(f"/volunteers/quotas/{campaign.pk}/edit/").status_code == 200
    response = client.post(
        f"/volunteers/quotas/{campaign.pk}/edit/",
        post_data([{"union": tree.grassroots_a.pk, "quota": 300, "note": "首批"}]),
    )
    assert response.status_code == 302
    allocation = QuotaAllocation.objects.get(campaign=campaign)
    assert (allocation.union, allocation.quota, allocation.note) == (tree.grassroots_a, 300, "首批")
    assert allocation.history.count() == 1


def test_a_stale_save_is_refused_and_the_first_is_kept(
    tree: Any, campaign: Any, clerk_a: Any, client_as: Any
) -> None:
    allocation = QuotaAllocation.objects.create(
        campaign=campaign, union=tree.grassroots_a, quota=100
    )
    url = f"/volunteers/quotas/{campaign.pk}/edit/"
    client = client_as(clerk_a)
    row = {
        "allocation": allocation.pk,
        "version": allocation.version,
        "union": tree.grassroots_a.pk,
    }
    assert client.post(url, post_data([{**row, "quota": 200}])).status_code == 302
    response = client.post(url, post_data([{**row, "quota": 999}]))  # read before the first save
    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()
    assert 'value="999"' in response.content.decode()  # what was typed is kept
    allocation.refresh_from_db()
    assert allocation.quota == 200


def test_a_bad_table_writes_nothing(tree: Any, campaign: Any, clerk_a: Any, client_as: Any) -> None:
    url = f"/volunteers/quotas/{campaign.pk}/edit/"
    rows = [
        {"union": tree.grassroots_a.pk, "quota": 10},
        {"union": tree.grassroots_a.pk, "quota": 20},
    ]
    response = client_as(clerk_a).post(url, post_data(rows))
    assert response.status_code == 409
    assert "只能分配一次" in response.content.decode()
    assert not QuotaAllocation.objects.filter(campaign=campaign).exists()
    response = client_as(clerk_a).post(url, post_data([{"union": tree.grassroots_a.pk}]))
    assert response.status_code == 400
    assert "请填写人数" in response.content.decode()


def test_only_the_issuers_staff_allocate(
    tree: Any, campaign: Any, viewer_a: Any, admin_b: Any, client_as: Any
) -> None:
    url = f"/volunteers/quotas/{campaign.pk}/edit/"
    assert client_as(viewer_a).get(url).status_code == 403
    assert client_as(admin_b).get(url).status_code == 404
    CampaignAddressee.objects.create(campaign=campaign, union=tree.grassroots_a)
    lower = make_member(tree.grassroots_a, Role.ADMIN)  # an addressed union below the issuer
    assert client_as(lower).get(url).status_code == 403
