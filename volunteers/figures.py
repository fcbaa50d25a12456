"""The volunteers app's figures, each defined once; the dashboard, the sheets and the
aggregates read them from here.

* 登记志愿者 ``registered``: registrations *for the campaign* in any state but
  withdrawn (审核中 at any level, 已退回, 已通过, 未通过), by the registering union.
* 审核通过 ``approved``: those of them whose three-level approval is complete
  (status 已通过).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from unionvol.figures import grouped_by_path
from volunteers.models import Volunteer, VolunteerStatus


@dataclass
class VolunteerFigures:
    registered: int = 0
    approved: int = 0


def volunteer_figures(paths: list[str], *, campaign: Any) -> dict[str, VolunteerFigures]:
    """Figures per union path (each union's whole subtree), one query."""
    rows = grouped_by_path(
        Volunteer.objects.filter(campaign=campaign),
        "union",
        paths,
        n=Count("pk", filter=~Q(status=VolunteerStatus.WITHDRAWN)),
        ok=Count("pk", filter=Q(status=VolunteerStatus.APPROVED)),
    )
    return {
        p: VolunteerFigures(registered=rows[p]["n"], approved=rows[p]["ok"])
        if p in rows
        else VolunteerFigures()
        for p in paths
    }
