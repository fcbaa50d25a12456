"""Scale-data steps for the service record: teams, activities and participations."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, time, timedelta
from decimal import Decimal

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
from unionvol.scale import BATCH, ScaleContext, step
from volunteers.models import Volunteer, VolunteerStatus

TEAM_SIZE = 8
PER_ACTIVITY = 8


@step("teams")
def make_teams(ctx: ScaleContext) -> str:
    campaign: Campaign = ctx.extra["campaign"]
    by_union: dict[int, list[int]] = defaultdict(list)
    approved = (
        Volunteer.objects.within(ctx.root)
        .filter(status=VolunteerStatus.APPROVED)
        .values_list("union_id", "pk")
    )
    for union_id, pk in approved.iterator(chunk_size=BATCH):
        by_union[union_id].append(pk)
    unions = [u for u in ctx.grassroots if len(by_union[u.pk]) >= 2]
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
        (t, p, by_union[t.union_id][:TEAM_SIZE]) for t, p in zip(teams, projects, strict=True)
    ]
    return f"{len(teams)} teams, {len(members)} members, {len(projects)} projects"


@step("activities")
def make_activities(ctx: ScaleContext) -> str:
    teams = ctx.extra.get("teams") or []
    if not teams or ctx.participations <= 0:
        return "0 activities"
    categories = ctx.extra["categories"]
    rng = ctx.rng
    remaining = ctx.participations
    activities = participations = 0
    day0 = date(2026, 4, 1)
    while remaining > 0:
        batch: list[tuple[Activity, list[int]]] = []
        while remaining > 0 and len(batch) * PER_ACTIVITY < BATCH:
            team, project, people = teams[rng.randrange(len(teams))]
            people = people[: min(len(people), remaining)]
            remaining -= len(people)
            activity = Activity(
                team=team,
                project=project,
                date=day0 + timedelta(days=rng.randrange(180)),
                start_time=time(9),
                end_time=time(12),
                place="结对社区服务点",
                category=rng.choice(categories),
                description="志愿服务活动",
                featured=rng.random() < 0.05,
                beneficiaries=rng.randint(5, 60),
            )
            batch.append((activity, people))
        with transaction.atomic():
            saved = Activity.objects.bulk_create([a for a, _ in batch], batch_size=BATCH)
            rows = [
                Participation(activity=a, volunteer_id=pk, hours=Decimal(rng.choice((1, 2, 3))))
                for a, (_, people) in zip(saved, batch, strict=True)
                for pk in people
            ]
            Participation.objects.bulk_create(rows, batch_size=BATCH)
        activities += len(saved)
        participations += len(rows)
    return f"{activities} activities, {participations} participations"
