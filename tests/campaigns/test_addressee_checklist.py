"""主送单位 of a notice: the boxes are the issuer's direct children and the unions
already addressed — not every union below a province; a union found by the search is
accepted; the edit form keeps every addressee ticked, so a save drops none."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html as lxml_html

from campaigns.models import Campaign, CampaignAddressee
from tests.campaigns.test_campaign_views import _form
from tests.factories import make_campaign, make_member, make_union
from unions.models import Role

pytestmark = pytest.mark.django_db


def boxes(html: str) -> list[tuple[str, str, bool]]:
    """(value, label, ticked) of each 主送单位 checkbox, in page order."""
    doc = lxml_html.fromstring(html)
    found = []
    for index, box in enumerate(doc.xpath('//input[@type="checkbox"][@name="addressees"]')):
        if index == 0:  # the search box's settings, read by the script from the first box
            assert box.get("data-search-multi", "").startswith("/unions/search/?under=")
        label = doc.xpath(f'//label[@for="{box.get("id")}"]')[0].text_content().strip(" \n\t")
        found.append((box.get("value"), label, box.get("checked") is not None))
    return found


@pytest.fixture
def city_admin(tree: Any) -> Any:
    return make_member(tree.city, Role.ADMIN, username="city_admin")


def test_the_boxes_are_the_issuers_children_ticked_by_default(
    tree: Any, city_admin: Any, client_as: Any
) -> None:
    html = client_as(city_admin).get("/campaigns/new/").content.decode()
    assert boxes(html) == [
        (str(tree.district_a.pk), tree.district_a.name, True),
        (str(tree.district_b.pk), tree.district_b.name, True),
    ]


def test_a_deeper_union_found_by_the_search_is_addressed(
    tree: Any, city_admin: Any, client_as: Any
) -> None:
    client = client_as(city_admin)
    data = _form(addressees=[tree.district_a.pk, tree.grassroots_b.pk])
    assert client.post("/campaigns/new/", data).status_code == 302
    campaign = Campaign.objects.get(doc_number=data["doc_number"])
    assert set(campaign.addressees.all()) == {tree.district_a, tree.grassroots_b}
    # The edit form lists every addressee ticked (the deep one under its district) and
    # the other child unticked: saving it unchanged keeps the addressees.
    html = client.get(f"/campaigns/{campaign.pk}/edit/").content.decode()
    assert boxes(html) == [
        (str(tree.district_a.pk), tree.district_a.name, True),
        (str(tree.district_b.pk), tree.district_b.name, False),
        (str(tree.grassroots_b.pk), f"\u3000{tree.grassroots_b.name}", True),
    ]


def test_a_union_outside_the_issuers_subtree_is_refused(
    tree: Any, clerk_a: Any, client_as: Any
) -> None:
    data = _form(addressees=[tree.grassroots_b.pk])
    response = client_as(clerk_a).post("/campaigns/new/", data)
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not Campaign.objects.filter(doc_number=data["doc_number"]).exists()


def test_the_boxes_do_not_grow_with_the_subtree(tree: Any, city_admin: Any, client_as: Any) -> None:
    client = client_as(city_admin)
    campaign = make_campaign(tree.city)
    CampaignAddressee.objects.create(campaign=campaign, union=tree.district_a)
    url = f"/campaigns/{campaign.pk}/edit/"
    before = boxes(client.get(url).content.decode())
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(30):
        make_union(tree.grassroots_a, name=f"甲区基层{i}", code=f"C-A-1-{i}")
    with CaptureQueriesContext(connection) as many:
        after = boxes(client.get(url).content.decode())
    assert after == before
    assert len(many) == len(few)


def test_children_past_the_limit_are_announced(
    tree: Any, city_admin: Any, client_as: Any, monkeypatch: Any
) -> None:
    """A union with more children than boxes says so under them; one with fewer does not."""
    client = client_as(city_admin)
    campaign = make_campaign(tree.city)
    url = f"/campaigns/{campaign.pk}/edit/"
    hint = "其余工会请在上方查找"
    assert hint not in client.get(url).content.decode()
    monkeypatch.setattr("unions.widgets.PICKER_LIMIT", 1)
    html = client.get(url).content.decode()
    assert boxes(html) == [(str(tree.district_a.pk), tree.district_a.name, False)]
    doc = lxml_html.fromstring(html)
    (note,) = doc.xpath('//*[contains(@class, "uv-checklist-more")]')
    assert hint in note.text_content()
    # A new notice ticks every child by default: all of them have a box, so no hint.
    html = client.get("/campaigns/new/").content.decode()
    assert [b[0] for b in boxes(html)] == [str(tree.district_a.pk), str(tree.district_b.pk)]
    assert hint not in html
