"""The service record's figures, each defined once; the dashboard, the 情况调度表, the
活动总结 and every aggregate read them from here.

Counted inside the campaign's period: activities dated from ``campaign.period_start``
to ``campaign.period_end`` (either bound may be open) and, for a milestone's report,
up to its due date (``until``).

* 服务队 ``teams``: teams formed by the union under the campaign (sub-teams included).
* 队员 ``members``: team memberships (captain, volunteers and union cadres).
* 项目 ``projects``: service projects past proposal (已批准, 实施中, 已结项); a proposal
  not yet approved is not a project of the campaign.
* 服务对象人数 ``beneficiaries``: the people a counted project serves, summed over
  projects. Activities serve the same people again and again; summing per activity
  would count them twice.
* 资金 ``funds``: the support amount of the counted projects, in 元.
* 活动 ``activities``: activities logged in the period.
* 人次 ``person_times``: participations in those activities (one person, one activity).
* 参与项目总人次 ``project_person_times``: those of them in activities of a counted
  project (the 情况调度表's figure; an activity outside any project does not count).
* 时长 ``hours``: the hours of those participations.
* 积分 ``points``: per participation, the campaign's points per participation plus its
  points per hour × the participation's hours.

A project's own totals (the project list, its export) are another figure, not limited to
the campaign's period: every activity of the project (活动), its participations (人次) and
their hours (时长) — :func:`project_cells`, kept per union and campaign in
``ProjectRollup`` and summed per project by :func:`project_totals`.

Each figure's definition is one :class:`~unionvol.figures.Source` in :func:`sources`.
The rollups (``ServiceRollup``, and ``ServicePeriodRollup`` for the dated figures per
period, kept by ``service.rollups``) hold them per union and campaign, computed from
those definitions by :func:`service_cells`; :func:`service_figures` sums them over each
subtree. Up to a date (a milestone's due date, a month's end) the dated figures are the
sum of the periods starting on or before it; periods split at the first of each month
and after each milestone's due date, so every date a report asks for is a period's end
(any other date is counted from the records).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum

from service.models import (
    Activity,
    Participation,
    ProjectRollup,
    ProjectStatus,
    ServicePeriodRollup,
    ServiceProject,
    ServiceRollup,
    ServiceTeam,
)
from unionvol.figures import Source, grouped_by_path
from unionvol.scoping import subtree_q

ZERO = Decimal("0")
COUNTED_PROJECTS = (ProjectStatus.APPROVED, ProjectStatus.RUNNING, ProjectStatus.CLOSED)
# Counted once for the campaign, and (dated) per period of the activities' dates.
UNDATED = ("teams", "members", "projects", "beneficiaries", "funds")
DATED = ("activities", "person_times", "project_person_times", "hours", "points")
FIGURES = (*UNDATED, *DATED)
DECIMALS = ("funds", "hours", "points")
PROJECT_FIGURES = ("activities", "person_times", "hours")
TENTH = Decimal("0.1")


@dataclass
class ServiceFigures:
    teams: int = 0
    members: int = 0
    projects: int = 0
    beneficiaries: int = 0
    funds: Decimal = ZERO
    activities: int = 0
    person_times: int = 0
    project_person_times: int = 0
    hours: Decimal = ZERO
    points: Decimal = ZERO


def activity_period_q(campaign: Any, until: date | None = None, prefix: str = "") -> Q:
    """Activities inside the campaign's period (and up to ``until``)."""
    q = Q()
    if campaign.period_start:
        q &= Q(**{f"{prefix}date__gte": campaign.period_start})
    end = campaign.period_end
    if until is not None and (end is None or until < end):
        end = until
    if end is not None:
        q &= Q(**{f"{prefix}date__lte": end})
    return q


def counted_projects(campaign: Any) -> QuerySet[ServiceProject]:
    return ServiceProject.objects.filter(team__campaign=campaign, status__in=COUNTED_PROJECTS)


def campaign_participations(campaign: Any, until: date | None = None) -> QuerySet[Participation]:
    return Participation.objects.filter(activity__team__campaign=campaign).filter(
        activity_period_q(campaign, until, prefix="activity__")
    )


def points_expression(prefix: str = "") -> ExpressionWrapper:
    """积分 of one participation (see the module docstring), the one definition.

    ``prefix`` reaches the participation from another model, e.g. ``"participations__"``
    from a volunteer.
    """
    campaign = f"{prefix}activity__team__campaign__"
    return ExpressionWrapper(
        F(f"{campaign}points_per_participation")
        + F(f"{campaign}points_per_hour") * F(f"{prefix}hours"),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


def sources(campaign: Any, until: date | None = None) -> list[Source]:
    """The definitions of every figure (see the module docstring), for ``campaign``."""
    return [
        Source(
            ServiceTeam.objects.filter(campaign=campaign),
            "union",
            {"teams": Count("pk", distinct=True), "members": Count("members", distinct=True)},
        ),
        Source(
            counted_projects(campaign),
            "team__union",
            {
                "projects": Count("pk"),
                "beneficiaries": Sum("beneficiaries"),
                "funds": Sum("support_amount"),
            },
        ),
        Source(
            Activity.objects.filter(team__campaign=campaign).filter(
                activity_period_q(campaign, until)
            ),
            "team__union",
            {"activities": Count("pk")},
            date="date",
        ),
        Source(
            campaign_participations(campaign, until),
            "activity__team__union",
            {
                "person_times": Count("pk"),
                "hours": Sum("hours"),
                "points": Sum(points_expression()),
                "project_person_times": Count(
                    "pk", filter=Q(activity__project__status__in=COUNTED_PROJECTS)
                ),
            },
            date="activity__date",
        ),
    ]


def _zero(name: str) -> Any:
    return ZERO if name in DECIMALS else 0


def _fill(fig: ServiceFigures, row: dict[str, Any]) -> None:
    for name, value in row.items():
        setattr(fig, name, value if value is not None else _zero(name))


def service_figures_from_records(
    paths: list[str], *, campaign: Any, until: date | None = None
) -> dict[str, ServiceFigures]:
    """Figures per union path (each union's whole subtree), counted from the records:
    four queries, any number of unions."""
    result = {p: ServiceFigures() for p in paths}
    for source in sources(campaign, until):
        for path, row in source.by_path(paths).items():
            _fill(result[path], row)
    return result


def _summed(qs: QuerySet[Any], paths: list[str], names: tuple[str, ...]) -> dict[str, Any]:
    rows = grouped_by_path(qs, "union", paths, **{f"fig_{n}": Sum(n) for n in names})
    return {p: {n: row[f"fig_{n}"] for n in names} for p, row in rows.items()}


def rollup_cut(campaign: Any, until: date | None) -> tuple[bool, date | None]:
    """Whether the rollups answer the figures up to ``until``, and how: ``(True, None)``
    — the whole period's row; ``(True, day)`` — the periods starting on or before
    ``day``; ``(False, None)`` — ``until`` falls inside a period: count the records."""
    if until is None or (campaign.period_end is not None and until >= campaign.period_end):
        return True, None
    if campaign.period_start is not None and until < campaign.period_start:
        return True, until
    if (until + timedelta(days=1)).day == 1:
        return True, until
    if campaign.milestones.filter(due_date=until).exists():
        return True, until
    return False, None


def service_figures(
    paths: list[str], *, campaign: Any, until: date | None = None
) -> dict[str, ServiceFigures]:
    """Figures per union path (each union's whole subtree), from the rollups: one query
    over at most one row per union (two with ``until``: the periods up to it)."""
    answerable, cut = rollup_cut(campaign, until)
    if not answerable:
        return service_figures_from_records(paths, campaign=campaign, until=until)
    rows = _summed(ServiceRollup.objects.filter(campaign=campaign), paths, FIGURES)
    if cut is not None:
        periods = ServicePeriodRollup.objects.filter(campaign=campaign, start__lte=cut)
        dated = _summed(periods, paths, DATED)
        for path, row in rows.items():
            row.update(dated.get(path) or dict.fromkeys(DATED))
    result = {p: ServiceFigures() for p in paths}
    for path, row in rows.items():
        _fill(result[path], row)
    return result


def period_start(day: date, campaign: Any, dues: list[date]) -> date:
    """The first day of the period ``day`` falls in (see ``ServicePeriodRollup``)."""
    start = day.replace(day=1)
    if campaign.period_start is not None and start < campaign.period_start <= day:
        start = campaign.period_start
    for due in dues:
        after = due + timedelta(days=1)
        if start < after <= day:
            start = after
    return start


@dataclass
class ServiceCell:
    """One union's own figures for a campaign, and its dated figures per period."""

    values: dict[str, Any] = field(default_factory=lambda: {n: _zero(n) for n in FIGURES})
    periods: dict[date, dict[str, Any]] = field(default_factory=dict)


def service_cells(campaign: Any, union_ids: Collection[int] | None) -> dict[int, ServiceCell]:
    """Each union's own figures (its teams', not its subtree's): what its rollup rows
    hold, computed by the same definitions (:func:`sources`) as the live figures."""
    cells: dict[int, ServiceCell] = defaultdict(ServiceCell)
    dues = sorted(set(campaign.milestones.values_list("due_date", flat=True)))
    for source in sources(campaign):
        for key, row in source.by_union(union_ids, dated=True):
            cell = cells[key[0]]
            period = None
            if source.date:
                day = period_start(key[1], campaign, dues)
                period = cell.periods.setdefault(day, {n: _zero(n) for n in DATED})
            for name, value in row.items():
                cell.values[name] += value or 0
                if period is not None:
                    period[name] += value or 0
    return dict(cells)


def hours_by_month(union: Any, *, campaign: Any) -> list[tuple[str, float]]:
    """时长 per month of the campaign in ``union``'s subtree (months with participations),
    from the period rollups."""
    rows = (
        ServicePeriodRollup.objects.filter(campaign=campaign)
        .filter(subtree_q(union, "union"))
        .values("start")
        .order_by()
        .annotate(h=Sum("hours"), n=Sum("person_times"))
    )
    months: dict[date, Decimal] = defaultdict(Decimal)
    for row in rows:
        if row["n"]:
            months[row["start"].replace(day=1)] += row["h"] or ZERO
    return [(f"{month:%Y-%m}", float(hours)) for month, hours in sorted(months.items())]


# --- a project's own totals ------------------------------------------------------------------


@dataclass
class ProjectTotals:
    activities: int = 0
    person_times: int = 0
    hours: Decimal = ZERO


def project_cells(
    campaign: Any, union_ids: Collection[int] | None
) -> dict[int, dict[int, dict[str, Any]]]:
    """``{union_id: {project_id: figures}}``: each project's activities, 人次 and 时长 in
    the teams of each union under ``campaign`` (the rows of ``ProjectRollup``)."""
    activities = Activity.objects.filter(team__campaign=campaign, project__isnull=False)
    participations = Participation.objects.filter(
        activity__team__campaign=campaign, activity__project__isnull=False
    )
    if union_ids is not None:
        activities = activities.filter(team__union_id__in=union_ids)
        participations = participations.filter(activity__team__union_id__in=union_ids)
    cells: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)

    def cell(union_id: int, project_id: int) -> dict[str, Any]:
        empty = {"activities": 0, "person_times": 0, "hours": ZERO}
        return cells[union_id].setdefault(project_id, empty)

    for row in activities.values("team__union_id", "project_id").order_by().annotate(n=Count("pk")):
        cell(row["team__union_id"], row["project_id"])["activities"] = row["n"]
    for part in (
        participations.values("activity__team__union_id", "activity__project_id")
        .order_by()
        .annotate(n=Count("pk"), h=Sum("hours"))
    ):
        found = cell(part["activity__team__union_id"], part["activity__project_id"])
        found["person_times"] = part["n"]
        found["hours"] = part["h"] or ZERO
    return dict(cells)


def project_totals(projects: Collection[int], *, user: Any) -> dict[int, ProjectTotals]:
    """Each of these projects' totals (:func:`project_cells`) in ``user``'s scope, from the
    rollup: one grouped query over a row or so a project, whatever the project's size."""
    rows = (
        ProjectRollup.objects.visible_to(user)
        .filter(project_id__in=list(projects))
        .values("project_id")
        .order_by()
        .annotate(a=Sum("activities"), n=Sum("person_times"), h=Sum("hours"))
    )
    # Hours to the tenth, as stored (SQLite's SUM of decimals drops the trailing zero).
    return {
        r["project_id"]: ProjectTotals(
            r["a"] or 0, r["n"] or 0, Decimal(r["h"] or 0).quantize(TENTH)
        )
        for r in rows
    }
