from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from campaigns.models import CampaignAddressee, Milestone
from tests.factories import make_campaign, make_member
from unions.models import Role


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def campaign(tree: Any) -> Any:
    """Issued by the city to both districts; 调度表 due yesterday, 总结 due in 30 days."""
    today = timezone.localdate()
    c = make_campaign(tree.city, doc_number="鲁教工〔2019〕13号", title="助力脱贫攻坚")
    for union in (tree.district_a, tree.district_b):
        CampaignAddressee.objects.create(campaign=c, union=union)
    Milestone.objects.create(
        campaign=c, title="半程推进", form="dispatch", due_date=today - timedelta(days=1)
    )
    Milestone.objects.create(
        campaign=c, title="活动总结", form="summary", due_date=today + timedelta(days=30)
    )
    return c


@pytest.fixture
def dispatch_ms(campaign: Any) -> Any:
    return campaign.milestones.get(form="dispatch")


@pytest.fixture
def issuer_reviewer(tree: Any) -> Any:
    return make_member(tree.city, Role.REVIEWER, username="issuer_reviewer")


@pytest.fixture
def viewer_city(tree: Any) -> Any:
    return make_member(tree.city, Role.VIEWER, username="viewer_city")
