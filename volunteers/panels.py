"""The volunteers app's section on the campaign page: the quota table."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, CampaignStatus
from unionvol.panels import register_panel
from unionvol.scoping import Capability, has_capability, is_operator, union_of
from volunteers.selectors import visible_quota_allocations


@register_panel("campaign_actions", template="", order=20)
def register_action(request: HttpRequest, campaign: Campaign) -> dict[str, Any] | None:
    """登记志愿者 from a recruiting notice: the form opens with the notice chosen."""
    if not (
        campaign.recruits_volunteers
        and campaign.status == CampaignStatus.PUBLISHED
        and has_capability(request.user, Capability.EDIT)
    ):
        return None
    return {
        "label": _("登记志愿者"),
        "url": f"{reverse('volunteers:create')}?campaign={campaign.pk}",
    }


@register_panel("campaign_actions", template="", order=25)
def apply_link_action(request: HttpRequest, campaign: Campaign) -> dict[str, Any] | None:
    """网上报名二维码: the short link and QR code of the user's union for this notice."""
    own = union_of(request.user)
    if not (
        campaign.recruits_volunteers
        and campaign.status == CampaignStatus.PUBLISHED
        and (is_operator(request.user) or (own is not None and own.is_within(campaign.issuer)))
    ):
        return None
    url = f"{reverse('volunteers:apply_link')}?campaign={campaign.pk}"
    if own is None:  # the operator picks the union on the page
        url = reverse("volunteers:apply_link")
    return {"label": _("网上报名二维码"), "url": url}


@register_panel("campaign_side", template="volunteers/_campaign_quota.html", order=10)
def quota_panel(request: HttpRequest, campaign: Campaign) -> dict[str, Any] | None:
    quotas = visible_quota_allocations(campaign=campaign, user=request.user)
    return {"campaign": campaign, "quotas": quotas} if quotas else None
