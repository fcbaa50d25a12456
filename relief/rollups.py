"""The relief app's rollup: ``ReliefRollup``, one row per union and campaign, computed
by ``relief.figures`` and kept current as ``unionvol.rollups`` describes."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from relief.figures import FIGURES, relief_cells
from relief.models import Donation, HardshipFile, ReliefGrant, ReliefRollup, Visit
from unionvol import rollups
from unionvol.rollups import Computed


class ReliefRollups(rollups.RollupTable):
    name = "relief"
    model = ReliefRollup
    fields = FIGURES

    def compute(self, campaign: Any, union_ids: Collection[int] | None) -> dict[int, Computed]:
        return {u: Computed(values=row) for u, row in relief_cells(campaign, union_ids).items()}


TABLE = rollups.register(ReliefRollups())

# Each record and the path from it to its cell's union and campaign (a file moved to
# another union takes its grants with it).
TRACKED = (
    (ReliefGrant, "file__union_id", "campaign_id"),
    (HardshipFile, "union_id", "grants__campaign_id"),
    (Visit, "union_id", "campaign_id"),
    (Donation, "union_id", "campaign_id"),
)


def connect() -> None:
    for model, union, campaign in TRACKED:
        rollups.track(TABLE, model, union=union, campaign=campaign)
