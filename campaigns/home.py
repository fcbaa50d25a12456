"""What awaits a user on the home page: unread notices and projects to approve."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from unionvol.home import AwaitingItem, register
from unionvol.scoping import Capability, has_capability, union_of


@register
def campaigns_awaiting(user: Any) -> Iterable[AwaitingItem]:
    from campaigns.models import CampaignAddressee, CampaignStatus, ProjectStatus, ServiceProject

    union = union_of(user)
    if union is None:
        return []
    items = []
    unread = CampaignAddressee.objects.filter(
        union=union, read_at__isnull=True, campaign__status=CampaignStatus.PUBLISHED
    ).count()
    if unread:
        items.append(AwaitingItem(_("未读的活动通知"), unread, reverse("campaigns:list")))
    if has_capability(user, Capability.REVIEW):
        waiting = (
            ServiceProject.objects.visible_to(user)
            .filter(status=ProjectStatus.PROPOSED)
            .exclude(proposed_by=union)
            .count()
        )
        if waiting:
            url = reverse("campaigns:project_list") + "?status=proposed"
            items.append(AwaitingItem(_("待审批的志愿服务项目"), waiting, url, "warning"))
    return items
