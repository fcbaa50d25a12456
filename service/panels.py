"""The service record's sections on the pages of the apps below it: the campaign page
(its teams and featured activities), a volunteer's page (their service) and the roster
(a filter by team)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, CampaignStatus
from service import selectors
from service.models import ServiceTeam
from unions.models import Union
from unionvol.panels import register_panel
from unionvol.params import year_param
from unionvol.scoping import Capability, has_capability, is_operator, union_of
from volunteers.filters import extend_roster
from volunteers.models import Volunteer

DETAIL_TEAMS = 50  # teams listed on a notice's page; the team list pages the rest


def _flag_year(request: HttpRequest, campaign: Campaign) -> int:
    return year_param(request.GET.get("year")) or selectors.campaign_flag_year(campaign=campaign)


@register_panel("campaign_actions", template="", order=10)
def form_team_action(request: HttpRequest, campaign: Campaign) -> dict[str, Any] | None:
    if campaign.status != CampaignStatus.PUBLISHED or not has_capability(
        request.user, Capability.EDIT
    ):
        return None
    return {
        "label": _("组建服务队"),
        "url": f"{reverse('service:team_create')}?campaign={campaign.pk}",
    }


@register_panel("campaign_main", template="service/_campaign_teams.html", order=20)
def teams_panel(request: HttpRequest, campaign: Campaign) -> dict[str, Any]:
    user = request.user
    teams = list(selectors.team_queryset(user=user, campaign_id=campaign.pk)[:DETAIL_TEAMS])
    return {
        "campaign": campaign,
        "teams": selectors.team_flags(teams=teams, user=user, year=_flag_year(request, campaign)),
        "team_count": ServiceTeam.objects.visible_to(user).filter(campaign=campaign).count(),
    }


@register_panel("campaign_side", template="service/_campaign_featured.html", order=30)
def featured_panel(request: HttpRequest, campaign: Campaign) -> dict[str, Any] | None:
    """Featured activities per addressed union, for the issuer's staff."""
    if not campaign.featured_per_year:
        return None
    own = union_of(request.user)
    if not (is_operator(request.user) or (own is not None and campaign.issuer.is_within(own))):
        return None
    year = _flag_year(request, campaign)
    return {
        "campaign": campaign,
        "year": year,
        "rows": selectors.featured_by_addressee(campaign=campaign, year=year),
    }


@register_panel("volunteer_side", template="service/_volunteer_service.html", order=10)
def volunteer_service_panel(request: HttpRequest, volunteer: Volunteer) -> dict[str, Any]:
    return {
        "volunteer": volunteer,
        "service": selectors.service_summary(user=request.user, volunteer=volunteer),
    }


@extend_roster
def roster_team_filter(user: Any, union: Union | None) -> dict[str, django_filters.Filter]:
    """The teams of the chosen union and its children: a province sees a thousand teams,
    so a grassroots team is reached by picking its union first."""
    teams = ServiceTeam.objects.visible_to(user)
    if union is not None:
        teams = teams.within(union).filter(union__depth__lte=union.depth + 1)
    return {
        "team": django_filters.ModelChoiceFilter(
            label=_("服务队"),
            queryset=teams.order_by("name"),
            field_name="team_memberships__team",
        )
    }
