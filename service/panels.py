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
from unionvol.keyset import capped_count
from unionvol.panels import register_panel
from unionvol.params import year_param
from unionvol.scoping import Capability, has_capability, is_operator, union_of
from volunteers.filters import extend_roster
from volunteers.models import Volunteer

DETAIL_TEAMS = 20  # teams listed on a notice's page; the team list pages the rest
TEAM_COUNT_CAP = 1000  # the count stops there: "1,000+"
FEATURED_ROWS = 20  # addressees listed in the featured-activity panel


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
    """The first DETAIL_TEAMS teams and how many there are (``1,000+`` past a thousand):
    the member counts are read for the teams shown only, not for every team below."""
    user = request.user
    teams = selectors.first_teams(user=user, campaign=campaign, n=DETAIL_TEAMS)
    count, capped = len(teams), False
    if count == DETAIL_TEAMS:
        count, capped = capped_count(
            ServiceTeam.objects.visible_to(user).filter(campaign=campaign), TEAM_COUNT_CAP
        )
    # The year of the featured-activity rule matters only to a notice that has the rule.
    year = _flag_year(request, campaign) if campaign.featured_per_year else None
    return {
        "campaign": campaign,
        "teams": selectors.team_flags(teams=teams, user=user, year=year),
        "team_count": count,
        "team_count_label": f"{count:,}+" if capped else f"{count:,}",
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
    # Those below the rule first; a national notice has thousands of addressees.
    featured = selectors.featured_by_addressee(campaign=campaign, year=year, limit=FEATURED_ROWS)
    return {
        "campaign": campaign,
        "year": year,
        "rows": featured.rows,
        "flagged": featured.flagged,
        "total": featured.total,
        "more": featured.total > len(featured.rows),
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
