"""The reports app's section on the campaign page: each milestone leads to its reports.

The issuer's staff go to the completeness view (who has reported); an addressed union
goes to its own submission of that milestone.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from campaigns.models import Campaign
from reports.models import Submission
from unionvol.panels import register_panel
from unionvol.scoping import is_operator, union_of


@register_panel("campaign_main", template="reports/_campaign_reports.html", order=10)
def reports_panel(request: HttpRequest, campaign: Campaign) -> dict[str, Any] | None:
    user = request.user
    own = union_of(user)
    issuer_staff = is_operator(user) or (own is not None and campaign.issuer.is_within(own))
    # One query for the union's own submissions, whatever the number of milestones; none
    # for the issuer's staff (a notice is addressed to unions strictly below its issuer).
    mine = {}
    if own is not None and not issuer_staff:
        mine = dict(
            Submission.objects.filter(milestone__campaign=campaign, union=own).values_list(
                "milestone_id", "pk"
            )
        )
    milestones = list(campaign.milestones.all())  # by due date (the notice page prefetched them)
    if not milestones:
        return None
    rows = []
    for m in milestones:
        own_pk = mine.get(m.pk)
        rows.append(
            {
                "milestone": m,
                "own_url": reverse("reports:submission", args=[own_pk]) if own_pk else "",
            }
        )
    return {
        "campaign": campaign,
        "rows": rows,
        "issuer_staff": issuer_staff,
        "dashboard_url": reverse("reports:dashboard", args=[campaign.pk]),
        "reports_url": reverse("reports:campaign", args=[campaign.pk]),
    }
