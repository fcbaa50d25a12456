"""The service record's rollups: ``ServiceRollup`` (one row per union and campaign),
``ServicePeriodRollup`` (its dated figures per period) and ``ProjectRollup`` (each
project's own totals), computed by ``service.figures``
and kept current as ``unionvol.rollups`` describes. The figures depend on the campaign's
period, its points rates and its milestones' due dates (the periods), so a change to
any of them rebuilds the campaign's rows."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from campaigns.models import Campaign, Milestone
from service.figures import DATED, FIGURES, PROJECT_FIGURES, project_cells, service_cells
from service.models import (
    Activity,
    Participation,
    ProjectRollup,
    ServicePeriodRollup,
    ServiceProject,
    ServiceRollup,
    ServiceTeam,
    TeamMember,
)
from unionvol import rollups
from unionvol.rollups import Computed, Detail


class ServiceRollups(rollups.RollupTable):
    name = "service"
    model = ServiceRollup
    fields = FIGURES
    details = (
        Detail("periods", ServicePeriodRollup, "start", DATED),
        Detail("projects", ProjectRollup, "project_id", PROJECT_FIGURES),
    )

    def compute(self, campaign: Any, union_ids: Collection[int] | None) -> dict[int, Computed]:
        computed = {
            u: Computed(values=cell.values, details={"periods": cell.periods})
            for u, cell in service_cells(campaign, union_ids).items()
        }
        for u, projects in project_cells(campaign, union_ids).items():
            computed.setdefault(u, Computed()).details["projects"] = projects
        return computed


TABLE = rollups.register(ServiceRollups())

# Each record and the path from it to its cell's union and campaign.
TRACKED = (
    (ServiceTeam, "union_id", "campaign_id"),
    (TeamMember, "team__union_id", "team__campaign_id"),
    (ServiceProject, "team__union_id", "team__campaign_id"),
    (Activity, "team__union_id", "team__campaign_id"),
    (Participation, "activity__team__union_id", "activity__team__campaign_id"),
)


def connect() -> None:
    for model, union, campaign in TRACKED:
        rollups.track(TABLE, model, union=union, campaign=campaign)
    rollups.track_settings(
        TABLE,
        Campaign,
        campaign="pk",
        fields=("period_start", "period_end", "points_per_participation", "points_per_hour"),
    )
    rollups.track_settings(
        TABLE, Milestone, campaign="campaign_id", fields=("due_date",), on_create=True
    )
