"""What awaits a user on the home page: unread notices."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from unionvol.home import AwaitingItem, register
from unionvol.scoping import union_of


@register
def campaigns_awaiting(user: Any) -> Iterable[AwaitingItem]:
    from campaigns.models import CampaignAddressee, CampaignStatus

    union = union_of(user)
    if union is None:
        return []
    # The user's own union's rows: addressed to it, so readable (published ones only).
    unread = CampaignAddressee._base_manager.filter(
        union=union, read_at__isnull=True, campaign__status=CampaignStatus.PUBLISHED
    )
    return [AwaitingItem(_("未读的活动通知"), unread, reverse("campaigns:list"))]
