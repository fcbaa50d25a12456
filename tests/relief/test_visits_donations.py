from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from campaigns.models import CampaignAddressee
from relief.models import Donation, MicroWish, Visit
from tests.factories import make_campaign
from tests.relief.factories import make_donation, make_file, make_visit

pytestmark = pytest.mark.django_db


def visit_data(**kwargs: Any) -> dict[str, Any]:
    data = {
        "visited_on": "2019-01-28",
        "campaign": "",
        "file": "",
        "category": "model_worker",
        "visited_name": "顾劳模",
        "visitors": "工会主席",
        "gift": "米",
        "money": "300",
        "note": "",
    }
    data.update(kwargs)
    return data


def test_visit_of_a_file_or_a_named_person(tree: Any, clerk_g: Any, client_as: Any) -> None:
    client = client_as(clerk_g)
    file = make_file(tree.grassroots_a)
    assert client.post(reverse("relief:visit_create"), visit_data()).status_code == 302
    assert (
        client.post(
            reverse("relief:visit_create"), visit_data(file=file.pk, visited_name="")
        ).status_code
        == 302
    )
    response = client.post(reverse("relief:visit_create"), visit_data(visited_name="", gift="花篮"))
    assert response.status_code == 200
    assert "请选择困难职工，或填写慰问对象姓名" in response.content.decode()
    assert "花篮" in response.content.decode()
    assert Visit.objects.count() == 2
    by_file = Visit.objects.get(file=file)
    assert by_file.category == "hardship"
    assert by_file.union == tree.grassroots_a


def test_visit_cannot_name_a_file_of_another_union(tree: Any, clerk_g: Any, client_as: Any) -> None:
    other = make_file(tree.grassroots_b)
    response = client_as(clerk_g).post(reverse("relief:visit_create"), visit_data(file=other.pk))
    assert response.status_code == 200
    assert not Visit.objects.exists()


def test_visit_edit(tree: Any, clerk_g: Any, client_as: Any) -> None:
    visit = make_visit(tree.grassroots_a)
    client = client_as(clerk_g)
    url = reverse("relief:visit_edit", args=[visit.pk])
    data = visit_data(visitors="副主席", version=visit.version)
    assert client.post(url, data).status_code == 302
    visit.refresh_from_db()
    assert visit.visitors == "副主席"


def test_one_donation_per_union_and_campaign(tree: Any, clerk_g: Any, client_as: Any) -> None:
    campaign = make_campaign(tree.district_a)
    CampaignAddressee.objects.create(campaign=campaign, union=tree.grassroots_a)
    client = client_as(clerk_g)
    data = {
        "union": tree.grassroots_a.pk,
        "campaign": campaign.pk,
        "amount": "5000.50",
        "donors": "40",
        "note": "",
    }
    assert client.post(reverse("relief:donation_create"), data).status_code == 302
    donation = Donation.objects.get()
    assert donation.amount == Decimal("5000.50")
    response = client.post(reverse("relief:donation_create"), {**data, "amount": "1"})
    assert response.status_code == 200
    assert "已存在" in response.content.decode() or "已登记过" in response.content.decode()
    assert Donation.objects.count() == 1
    url = reverse("relief:donation_edit", args=[donation.pk])
    edit = {**data, "amount": "6000", "version": donation.version}
    assert client.post(url, edit).status_code == 302
    donation.refresh_from_db()
    assert donation.amount == Decimal("6000.00")


def test_donation_only_for_the_users_own_union(tree: Any, clerk_g: Any, client_as: Any) -> None:
    campaign = make_campaign(tree.grassroots_a)
    response = client_as(clerk_g).post(
        reverse("relief:donation_create"),
        {"union": tree.grassroots_b.pk, "campaign": campaign.pk, "amount": "1", "donors": "1"},
    )
    assert response.status_code == 200
    assert not Donation.objects.exists()


@pytest.mark.parametrize("name", ["relief:visit_list", "relief:donation_list", "relief:index"])
def test_lists_have_constant_queries(
    name: str, tree: Any, clerk_g: Any, client_as: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_as(clerk_g)
    make_visit(
        tree.grassroots_a,
        file=make_file(tree.grassroots_a),
        campaign=make_campaign(tree.grassroots_a),
    )
    make_donation(tree.grassroots_a)
    with django_assert_max_num_queries(12):
        assert client.get(reverse(name)).status_code == 200
    for _ in range(12):
        campaign = make_campaign(tree.grassroots_a)
        make_visit(tree.grassroots_a, file=make_file(tree.grassroots_a), campaign=campaign)
        make_donation(tree.grassroots_a, campaign=campaign)
    with django_assert_max_num_queries(12):
        assert client.get(reverse(name)).status_code == 200


def test_stats_page_has_constant_queries(
    tree: Any, reviewer_a: Any, client_as: Any, django_assert_max_num_queries: Any
) -> None:
    from tests.factories import make_union
    from tests.relief.factories import make_grant

    campaign = make_campaign(
        tree.district_a, kind="spring_warmth", title="2019年春节送温暖活动的通知"
    )
    client = client_as(reviewer_a)
    params = {"campaign": campaign.pk, "union": tree.district_a.pk, "aggregate": "on"}
    with django_assert_max_num_queries(16):
        assert client.get(reverse("relief:warmth_stats"), params).status_code == 200
    for i in range(6):
        child = make_union(tree.district_a, name=f"下级{i}", code=f"C-A-X{i}")
        grant = make_grant(child, campaign=campaign)
        make_donation(child, campaign=campaign)
        make_visit(child, campaign=campaign)
        grant.status, grant.approved_by = "approved", reviewer_a
        grant.save()
    with django_assert_max_num_queries(16):
        response = client.get(reverse("relief:warmth_stats"), params)
    table = response.context["table"]
    assert len(table) == 1 + 7 + 1  # 本级, grassroots_a and six children, 合计
    assert table[-1][2:] == [6, 1.2, 72000, 6, 0, 0]


def test_an_upper_union_offers_and_takes_only_its_own_files(tree: Any, client_as: Any) -> None:
    """A visit or wish belongs to the union that records it and is read by all its
    clerks: a reviewer of the district, who may read the files below, is offered only the
    district's own files, so no district clerk learns a grassroots file's name."""
    from tests.factories import make_member
    from unions.models import Role

    reviewer = make_member(tree.district_a, Role.REVIEWER, username="reviewer_district")
    below = make_file(tree.grassroots_a, name="基层困难职工")
    own = make_file(tree.district_a, name="区级困难职工")
    client = client_as(reviewer)
    for url in (reverse("relief:visit_create"), reverse("relief:wish_create")):
        offered = list(client.get(url).context["form"].fields["file"].queryset)
        assert offered == [own]
    response = client.post(
        reverse("relief:visit_create"), visit_data(file=below.pk, visited_name="")
    )
    assert response.status_code == 200
    assert not Visit.objects.exists()
    wish = {"category": "elderly", "wish": "书包", "estimated_value": "100"}
    response = client.post(reverse("relief:wish_create"), {**wish, "file": below.pk})
    assert response.status_code == 200
    assert "file" in response.context["form"].errors  # the file of the union below is refused
    assert "基层困难职工" not in response.content.decode()
    assert not MicroWish.objects.exists()
    own_wish = client.post(reverse("relief:wish_create"), {**wish, "file": own.pk})
    assert own_wish.status_code == 302
    assert MicroWish.objects.get().file == own
    assert (
        client.post(
            reverse("relief:visit_create"), visit_data(file=own.pk, visited_name="")
        ).status_code
        == 302
    )


def test_the_services_refuse_a_file_of_another_union(tree: Any, clerk_g: Any) -> None:
    from django.core.exceptions import ValidationError

    from relief import services

    below = make_file(tree.grassroots_a)
    with pytest.raises(ValidationError, match="只能选择本工会建档的困难职工"):
        services.visit_create(
            union=tree.district_a,
            user=clerk_g,
            visited_on="2019-01-28",
            file=below,
            visitors="主席",
        )
    with pytest.raises(ValidationError, match="只能选择本工会建档的困难职工"):
        services.wish_create(
            union=tree.district_a, user=clerk_g, file=below, category="study", wish="书包"
        )
