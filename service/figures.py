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
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum

from service.models import Activity, Participation, ProjectStatus, ServiceProject, ServiceTeam
from unionvol.figures import grouped_by_path

ZERO = Decimal("0")
COUNTED_PROJECTS = (ProjectStatus.APPROVED, ProjectStatus.RUNNING, ProjectStatus.CLOSED)


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


def service_figures(
    paths: list[str], *, campaign: Any, until: date | None = None
) -> dict[str, ServiceFigures]:
    """Figures per union path (each union's whole subtree): four queries, any number of unions."""
    result = {p: ServiceFigures() for p in paths}
    teams = grouped_by_path(
        ServiceTeam.objects.filter(campaign=campaign),
        "union",
        paths,
        n=Count("pk", distinct=True),
        m=Count("members", distinct=True),
    )
    projects = grouped_by_path(
        counted_projects(campaign),
        "team__union",
        paths,
        n=Count("pk"),
        b=Sum("beneficiaries"),
        f=Sum("support_amount"),
    )
    activities = grouped_by_path(
        Activity.objects.filter(team__campaign=campaign).filter(activity_period_q(campaign, until)),
        "team__union",
        paths,
        n=Count("pk"),
    )
    participations = grouped_by_path(
        campaign_participations(campaign, until),
        "activity__team__union",
        paths,
        n=Count("pk"),
        h=Sum("hours"),
        p=Sum(points_expression()),
        pp=Count("pk", filter=Q(activity__project__status__in=COUNTED_PROJECTS)),
    )
    for path, fig in result.items():
        if row := teams.get(path):
            fig.teams, fig.members = row["n"], row["m"]
        if row := projects.get(path):
            fig.projects, fig.beneficiaries = row["n"], row["b"] or 0
            fig.funds = row["f"] or ZERO
        if row := activities.get(path):
            fig.activities = row["n"]
        if row := participations.get(path):
            fig.person_times, fig.hours, fig.points = row["n"], row["h"] or ZERO, row["p"] or ZERO
            fig.project_person_times = row["pp"]
    return result
