"""The volunteers app's figures, each defined once; the dashboard, the sheets and the
aggregates read them from here.

* 登记志愿者 ``registered``: registrations *for the campaign* in any state but
  withdrawn (审核中 at any level, 已退回, 已通过, 未通过), by the registering union.
* 审核通过 ``approved``: those of them whose three-level approval is complete
  (status 已通过).

The rollup (``VolunteerRollup``, kept by ``volunteers.rollups``) holds these figures,
and the count by status, per union and campaign, computed by :data:`SOURCE`'s
definitions; :func:`volunteer_figures` sums it over each subtree.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, Sum

from unionvol.figures import Source, grouped_by_path
from unionvol.home import Total, tally
from volunteers.models import Volunteer, VolunteerRollup, VolunteerStatus

FIGURES = ("registered", "approved")
# By status, for counters that are no figure of a report (被退回待修改 on the home page).
BY_STATUS = ("pending", "returned", "rejected", "withdrawn")


@dataclass
class VolunteerFigures:
    registered: int = 0
    approved: int = 0


def source(campaign: Any) -> Source:
    """The definitions: the registrations for ``campaign`` (None: for no campaign)."""
    return Source(
        Volunteer.objects.filter(campaign=campaign),
        "union",
        {
            "registered": Count("pk", filter=~Q(status=VolunteerStatus.WITHDRAWN)),
            "approved": Count("pk", filter=Q(status=VolunteerStatus.APPROVED)),
            **{s: Count("pk", filter=Q(status=s)) for s in BY_STATUS},
        },
    )


def _figures(rows: dict[str, dict[str, Any]], paths: list[str]) -> dict[str, VolunteerFigures]:
    return {
        p: VolunteerFigures(
            registered=rows[p]["registered"] or 0, approved=rows[p]["approved"] or 0
        )
        if p in rows
        else VolunteerFigures()
        for p in paths
    }


def volunteer_figures(paths: list[str], *, campaign: Any) -> dict[str, VolunteerFigures]:
    """Figures per union path (each union's whole subtree): one query over the rollup,
    at most one row per union."""
    rows = grouped_by_path(
        VolunteerRollup.objects.filter(campaign=campaign),
        "union",
        paths,
        registered=Sum("registered"),
        approved=Sum("approved"),
    )
    return _figures(rows, paths)


def volunteer_figures_from_records(
    paths: list[str], *, campaign: Any
) -> dict[str, VolunteerFigures]:
    """The same figures counted from the registrations themselves (one query)."""
    return _figures(source(campaign).by_path(paths), paths)


def volunteer_cells(campaign: Any, union_ids: Collection[int] | None) -> dict[int, dict[str, Any]]:
    """Each union's own figures and counts by status: what its rollup row holds."""
    return {key[0]: row for key, row in source(campaign).by_union(union_ids)}


def returned_total(user: Any) -> Total:
    """Registrations sent back for correction, in the user's subtree (any campaign): the
    sum of the rollup's column, read with the home page's other counts."""
    return Total(VolunteerRollup.objects.visible_to(user), "returned")


def returned_count(user: Any) -> int:
    return tally([returned_total(user)])[0]
