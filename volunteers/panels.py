"""The volunteers app's section on the campaign page: the quota table."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from campaigns.models import Campaign
from unionvol.panels import register_panel
from volunteers.selectors import visible_quota_allocations


@register_panel("campaign_side", template="volunteers/_campaign_quota.html", order=10)
def quota_panel(request: HttpRequest, campaign: Campaign) -> dict[str, Any] | None:
    quotas = visible_quota_allocations(campaign=campaign, user=request.user)
    return {"campaign": campaign, "quotas": quotas} if quotas else None
