"""The registration starts from its notice: from a campaign page 登记志愿者 preselects it,
the one open recruiting campaign is the default, and registering outside every notice
is a deliberate choice."""

from __future__ import annotations

from typing import Any

import pytest

from campaigns.models import CampaignAddressee, CampaignStatus
from tests.factories import make_campaign
from volunteers.forms import NO_CAMPAIGN_CHOSEN

pytestmark = pytest.mark.django_db


@pytest.fixture
def recruiting(tree: Any) -> Any:
    c = make_campaign(tree.city, status=CampaignStatus.PUBLISHED, recruits_volunteers=True)
    CampaignAddressee.objects.get_or_create(campaign=c, union=tree.district_a)
    return c


def test_the_campaign_page_links_to_a_preselected_registration(
    recruiting: Any, clerk_a: Any, client: Any
) -> None:
    client.force_login(clerk_a)
    page = client.get(f"/campaigns/{recruiting.pk}/").content.decode()
    link = f"/volunteers/new/?campaign={recruiting.pk}"
    assert link in page
    form = client.get(link).context["form"]
    assert form.initial["campaign"] == recruiting.pk


def test_the_one_open_recruiting_campaign_is_the_default(
    recruiting: Any, clerk_a: Any, client: Any
) -> None:
    client.force_login(clerk_a)
    form = client.get("/volunteers/new/").context["form"]
    assert form.initial["campaign"] == recruiting.pk


def test_no_notice_must_be_ticked(recruiting: Any, clerk_a: Any, client: Any) -> None:
    client.force_login(clerk_a)
    response = client.post("/volunteers/new/", {"name": "张三"})
    assert str(NO_CAMPAIGN_CHOSEN) in response.content.decode()
    assert "张三" in response.content.decode()  # what was typed is kept
