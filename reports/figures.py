"""The figures a report shows, gathered from the apps that define them.

Nothing is counted here: each figure comes from the app that owns it
(``volunteers.figures``, ``service.figures``, ``relief.figures``), which reads it from
its rollup (``unionvol.rollups``). Every function takes the *paths* of the unions it
groups by, so one ``GROUP BY`` on a path prefix per app answers for all of them at
once, over at most one rollup row per union.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from relief.figures import relief_figures
from service.figures import hours_by_month as service_hours_by_month
from service.figures import service_figures
from volunteers.figures import volunteer_figures

FIGURE_KEYS = (
    "volunteers_registered",
    "volunteers_approved",
    "teams",
    "members",
    "projects",
    "activities",
    "person_times",
    "hours",
    "points",
    "beneficiaries",
    "funds",
    "aided",
    "relief_amount",
)


@dataclass
class Figures:
    values: dict[str, Any] = field(default_factory=lambda: dict.fromkeys(FIGURE_KEYS, 0))

    def add(self, key: str, value: Any) -> None:
        self.values[key] = (self.values.get(key) or 0) + (value or 0)

    def as_json(self) -> dict[str, Any]:
        return {k: _plain(v) for k, v in self.values.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def figures_by_prefix(
    paths: list[str], *, campaign: Any, until: date | None = None
) -> dict[str, Figures]:
    """Figures per union path (each union's whole subtree); all paths of one depth, and
    at most their common parent (see ``unionvol.figures.grouped_by_path``)."""
    result = {p: Figures() for p in paths}
    if not paths:
        return result
    volunteers = volunteer_figures(paths, campaign=campaign)
    service = service_figures(paths, campaign=campaign, until=until)
    relief = relief_figures(paths, campaign=campaign)
    for path, fig in result.items():
        v, s, r = volunteers[path], service[path], relief[path]
        fig.values.update(
            volunteers_registered=v.registered,
            volunteers_approved=v.approved,
            teams=s.teams,
            members=s.members,
            projects=s.projects,
            activities=s.activities,
            person_times=s.person_times,
            hours=s.hours,
            points=s.points,
            beneficiaries=s.beneficiaries,
            funds=s.funds,
            aided=r.aided,
            relief_amount=r.amount,
        )
    return result


def figures_for(union: Any, *, campaign: Any, until: date | None = None) -> Figures:
    return figures_by_prefix([union.path], campaign=campaign, until=until)[union.path]


def hours_by_month(union: Any, *, campaign: Any) -> list[tuple[str, float]]:
    return service_hours_by_month(union, campaign=campaign)


def sum_figures(items: list[dict[str, Any]]) -> dict[str, Any]:
    total: dict[str, Any] = defaultdict(int)
    for item in items:
        for key, value in item.items():
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                total[key] += value
    return dict(total)
