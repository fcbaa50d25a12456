"""The volunteers app's rollup: ``VolunteerRollup``, one row per union and campaign
(and per union for registrations without a campaign), computed by
``volunteers.figures`` and kept current as ``unionvol.rollups`` describes."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from unionvol import rollups
from unionvol.rollups import Cell, Computed
from volunteers.figures import BY_STATUS, FIGURES, volunteer_cells
from volunteers.models import Volunteer, VolunteerRollup


class VolunteerRollups(rollups.RollupTable):
    name = "volunteers"
    model = VolunteerRollup
    fields = (*FIGURES, *BY_STATUS)
    campaignless = True

    def compute(self, campaign: Any, union_ids: Collection[int] | None) -> dict[int, Computed]:
        return {u: Computed(values=row) for u, row in volunteer_cells(campaign, union_ids).items()}


TABLE = rollups.register(VolunteerRollups())


def touch(cells: Iterable[Cell]) -> None:
    """For writes that send no signals (the import's bulk inserts and updates)."""
    rollups.touch(TABLE, cells)


def connect() -> None:
    rollups.track(TABLE, Volunteer, union="union_id", campaign="campaign_id")
