"""Scale-data steps for the service record: teams, activities and participations."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction

from campaigns.models import (
    Campaign,
)
from service.models import (
    Activity,
    Participation,
    ProjectStatus,
    ServiceProject,
    ServiceTeam,
    TeamMember,
    TeamRole,
)
from unionvol.scale import (
    BATCH,
    COPY_CHUNK,
    ScaleContext,
    copy_rows,
    reserve_ids,
    step,
)
from volunteers.models import Volunteer, VolunteerStatus

TEAM_SIZE = 8


@step("teams")
def make_teams(ctx: ScaleContext) -> str:
    campaign: Campaign = ctx.extra["campaign"]
    by_union: dict[int, list[int]] = ctx.extra.get("team_pool") or {}
    if not by_union:  # the volunteers step did not run in this process: read them back
        approved = (
            Volunteer.objects.within(ctx.root)
            .filter(status=VolunteerStatus.APPROVED)
            .order_by("pk")
            .values_list("union_id", "pk")
        )
        for union_id, pk in approved.iterator(chunk_size=BATCH):
            pool = by_union.setdefault(union_id, [])
            if len(pool) < TEAM_SIZE:
                pool.append(pk)
    unions = [u for u in ctx.grassroots if len(by_union.get(u.pk, ())) >= 2]
    with transaction.atomic():
        teams = ServiceTeam.objects.bulk_create(
            [ServiceTeam(union=u, campaign=campaign, name=f"{u.name}志愿服务队") for u in unions],
            batch_size=BATCH,
        )
        members = []
        for team, union in zip(teams, unions, strict=True):
            people = by_union[union.pk][:TEAM_SIZE]
            for i, pk in enumerate(people):
                role = (
                    TeamRole.CAPTAIN if i == 0 else TeamRole.CADRE if i == 1 else TeamRole.VOLUNTEER
                )
                members.append(TeamMember(team=team, volunteer_id=pk, role=role))
        TeamMember.objects.bulk_create(members, batch_size=BATCH)
        projects = ServiceProject.objects.bulk_create(
            [
                ServiceProject(
                    team=t,
                    name=f"{t.union.name}结对帮扶项目",
                    period_start=date(2026, 4, 1),
                    period_end=date(2026, 9, 30),
                    paired_unit=f"结对社区{i}",
                    beneficiaries=ctx.rng.randint(20, 300),
                    support_items="图书、文具",
                    support_amount=Decimal(ctx.rng.randint(1000, 50000)),
                    leader_name="张老师",
                    leader_position="工会主席",
                    leader_phone="13800000000",
                    status=ProjectStatus.RUNNING,
                    proposed_by=t.union,
                )
                for i, t in enumerate(teams)
            ],
            batch_size=BATCH,
        )
    ctx.extra["teams"] = [
        (t.pk, p.pk, by_union[t.union_id][:TEAM_SIZE]) for t, p in zip(teams, projects, strict=True)
    ]
    return f"{len(teams)} teams, {len(members)} members, {len(projects)} projects"


ACTIVITY_FIELDS = [
    "id",
    "team_id",
    "project_id",
    "date",
    "start_time",
    "end_time",
    "place",
    "category_id",
    "description",
    "featured",
    "beneficiaries",
]


@step("activities")
def make_activities(ctx: ScaleContext) -> str:
    """Activities of a team's members (up to TEAM_SIZE) until ``--participations`` are
    written: COPY in chunks, activity ids reserved so participations need no read."""
    teams = ctx.extra.get("teams") or []
    if not teams or ctx.participations <= 0:
        return "0 activities"
    categories = [c.pk for c in ctx.extra["categories"]]
    rng = ctx.rng
    remaining = ctx.participations
    activities = participations = 0
    day0 = date(2026, 4, 1)
    days = [day0 + timedelta(days=d) for d in range(180)]
    nine, noon = time(9), time(12)
    hours = (Decimal(1), Decimal(2), Decimal(3))
    while remaining > 0:
        chunk: list[tuple[Any, ...]] = []
        people_of: list[list[int]] = []
        planned = 0
        while remaining > 0 and planned < COPY_CHUNK:
            team, project, people = teams[rng.randrange(len(teams))]
            people = people[: min(len(people), remaining)]
            remaining -= len(people)
            planned += len(people)
            chunk.append(
                (
                    team,
                    project,
                    rng.choice(days),
                    nine,
                    noon,
                    "结对社区服务点",
                    rng.choice(categories),
                    "志愿服务活动",
                    rng.random() < 0.05,
                    rng.randint(5, 60),
                )
            )
            people_of.append(people)
        base = reserve_ids(Activity, len(chunk))
        with transaction.atomic():
            activities += copy_rows(
                Activity, ACTIVITY_FIELDS, ((base + i, *row) for i, row in enumerate(chunk))
            )
            participations += copy_rows(
                Participation,
                ["activity_id", "volunteer_id", "hours"],
                (
                    (base + i, pk, rng.choice(hours))
                    for i, people in enumerate(people_of)
                    for pk in people
                ),
            )
    return f"{activities} activities, {participations} participations"
