from __future__ import annotations

from typing import Any

import pytest

from tests.factories import make_id_number, make_member, make_union, make_volunteer
from unions.models import Role
from volunteers.models import QuotaAllocation, VolunteerStatus
from volunteers.selectors import quota_table

pytestmark = pytest.mark.django_db


def allocate(campaign: Any, tree: Any) -> None:
    QuotaAllocation.objects.create(campaign=campaign, union=tree.district_a, order=1, quota=2)
    QuotaAllocation.objects.create(
        campaign=campaign, union=tree.district_b, order=2, quota=3, note="含产业工会"
    )


def test_a_volunteer_counts_toward_the_nearest_allocation_above_it(tree: Any, chain: Any) -> None:
    allocate(chain.campaign, tree)
    deep = make_union(tree.grassroots_a, name="更下级的工会", code="C-A-1-1")
    for seq, (union, status) in enumerate(
        [
            (tree.grassroots_a, VolunteerStatus.APPROVED),
            (deep, VolunteerStatus.APPROVED),
            (tree.district_a, VolunteerStatus.APPROVED),
            (tree.grassroots_a, VolunteerStatus.PENDING),
            (tree.grassroots_b, VolunteerStatus.APPROVED),
            (tree.grassroots_b, VolunteerStatus.REJECTED),
        ],
        start=1,
    ):
        make_volunteer(union, id_number=make_id_number(seq), status=status, campaign=chain.campaign)
    make_volunteer(
        tree.grassroots_a, id_number=make_id_number(50), status="approved"
    )  # no campaign
    table = quota_table(campaign=chain.campaign, user=None)
    a, b = table.rows
    assert (a.approved, a.pending, a.quota, a.state) == (3, 1, 2, "over")
    assert (b.approved, b.pending, b.quota, b.state) == (1, 0, 3, "under")
    assert (table.total_quota, table.total_approved) == (5, 4)


def test_quota_page_for_the_issuer_and_a_district(
    tree: Any, chain: Any, client_as: Any, django_assert_max_num_queries: Any
) -> None:
    allocate(chain.campaign, tree)
    url = f"/volunteers/quotas/{chain.campaign.pk}/"
    client = client_as(chain.city_reviewer)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    html = response.content.decode()
    for label in ("序号", "区市县、产业工会", "人数", "备注", "合计", "甲区总工会", "乙区总工会"):
        assert label in html
    assert "<progress" in html
    assert "quota-under" in html
    for seq in range(1, 40):
        make_volunteer(
            tree.grassroots_a,
            id_number=make_id_number(seq),
            status="approved",
            campaign=chain.campaign,
        )
    with django_assert_max_num_queries(12):
        html = client.get(url).content.decode()
    assert "quota-over" in html
    # a district user sees its own row only
    html = client_as(chain.district_reviewer).get(url).content.decode()
    assert "甲区总工会" in html
    assert "乙区总工会" not in html


def test_quota_page_access(tree: Any, chain: Any, client_as: Any) -> None:
    url = f"/volunteers/quotas/{chain.campaign.pk}/"
    viewer = make_member(tree.district_a, Role.VIEWER, username="qv")
    assert client_as(viewer).get(url).status_code == 200
    assert client_as(viewer).get(f"{url}xlsx/").status_code == 403
    outsider_tree_root = make_union(name="外市总工会", code="OUT")
    outsider = make_member(outsider_tree_root, Role.ADMIN, username="out_admin")
    assert client_as(outsider).get(url).status_code == 404
