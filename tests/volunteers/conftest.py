"""Fixtures of the volunteer tests: the three-level chain of seed 001 on the shared tree.

grassroots_a (unit union) → district_a (district union) → city (city union)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache

from tests.factories import make_campaign, make_id_number, make_member
from unions.models import Role


@dataclass
class Chain:
    clerk: Any  # grassroots clerk (enters the form)
    unit_reviewer: Any
    district_reviewer: Any
    city_reviewer: Any
    campaign: Any


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> None:
    """Uploads (photos, import files) go to a throw-away folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def chain(tree: Any) -> Chain:
    from campaigns.models import CampaignAddressee, CampaignKind

    campaign = make_campaign(
        tree.city,
        recruits_volunteers=True,
        kind=CampaignKind.HELPER_CORPS,
        title="关于组建工会服务帮扶志愿者队伍的通知",
    )
    for union in (tree.district_a, tree.district_b):
        CampaignAddressee.objects.create(campaign=campaign, union=union)
    return Chain(
        clerk=make_member(tree.grassroots_a, Role.CLERK, username="gr_clerk"),
        unit_reviewer=make_member(tree.grassroots_a, Role.REVIEWER, username="gr_reviewer"),
        district_reviewer=make_member(tree.district_a, Role.REVIEWER, username="da_reviewer"),
        city_reviewer=make_member(tree.city, Role.REVIEWER, username="city_reviewer"),
        campaign=campaign,
    )


def x_id_number() -> str:
    """A valid ID number whose check character is X."""
    for seq in range(1, 2000):
        for male in (True, False):
            number = make_id_number(seq, male=male)
            if number.endswith("X"):
                return number
    raise AssertionError("no X check digit found")


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "张三",
        "political_status": "01",
        "id_number": make_id_number(7),
        "phone": "13904110001",
        "work_start": "2010-07-01",
        "education": "bachelor",
        "health": "healthy",
        "workplace": "大连商场",
        "resume": "2010年至今在大连商场工作。",
        "application": "本人自愿加入工会服务帮扶志愿者队伍。",
        "identity": "employee",
        "member_type": "member",
    }
    data.update(overrides)
    return data
