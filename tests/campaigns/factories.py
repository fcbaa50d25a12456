"""Factories of the campaigns app; registers every object-URL model in OBJECT_FACTORIES."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Any

from campaigns.models import Campaign, Milestone, SheetKind
from service.models import (
    Activity,
    ActivityPhoto,
    Certificate,
    Participation,
    ProjectStatus,
    ServiceProject,
    ServiceTeam,
    TeamMember,
    TeamRole,
)
from tests.factories import OBJECT_FACTORIES, make_campaign, make_volunteer
from unions.models import Union
from volunteers.models import Volunteer

PNG_1PX = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def make_rule_campaign(issuer: Union, **kwargs: Any) -> Campaign:
    """A published campaign with seed 000's composition rule and a points rule."""
    data: dict[str, Any] = {
        "team_min_volunteers": 7,
        "team_max_volunteers": 10,
        "team_min_cadres": 1,
        "team_max_cadres": 2,
        "points_per_participation": Decimal("10"),
        "points_per_hour": Decimal("2"),
    }
    data.update(kwargs)
    return make_campaign(issuer, **data)


def make_approved_volunteer(union: Union, **kwargs: Any) -> Volunteer:
    kwargs.setdefault("status", "approved")
    return make_volunteer(union, **kwargs)


def make_team(union: Union, campaign: Campaign | None = None, **kwargs: Any) -> ServiceTeam:
    campaign = campaign or make_rule_campaign(union)
    seq = ServiceTeam.objects.count() + 1
    return ServiceTeam.objects.create(
        union=union, campaign=campaign, name=kwargs.pop("name", f"服务队{seq}"), **kwargs
    )


def add_members(team: ServiceTeam, volunteers: int = 0, cadres: int = 0) -> list[TeamMember]:
    rows = []
    for _ in range(volunteers):
        v = make_approved_volunteer(team.union, campaign=team.campaign)
        rows.append(TeamMember.objects.create(team=team, volunteer=v, role=TeamRole.VOLUNTEER))
    for _ in range(cadres):
        v = make_approved_volunteer(team.union, campaign=team.campaign)
        rows.append(TeamMember.objects.create(team=team, volunteer=v, role=TeamRole.CADRE))
    return rows


def make_project(team: ServiceTeam, **kwargs: Any) -> ServiceProject:
    data: dict[str, Any] = {
        "team": team,
        "name": "结对帮扶项目",
        "period_start": date(2026, 4, 1),
        "paired_unit": "港湾社区",
        "leader_name": "王丽",
        "leader_phone": "13900000000",
        "proposed_by": team.union,
        "status": ProjectStatus.APPROVED,
    }
    data.update(kwargs)
    return ServiceProject.objects.create(**data)


def make_activity(
    team: ServiceTeam, *, hours: str = "2", people: int = 1, **kwargs: Any
) -> Activity:
    data: dict[str, Any] = {
        "team": team,
        "date": date(2026, 5, 1),
        "start_time": time(9),
        "end_time": time(11),
        "place": "港湾社区",
        "description": "义务劳动",
    }
    data.update(kwargs)
    activity = Activity.objects.create(**data)
    members = list(team.members.select_related("volunteer")[:people])
    if not members and people:
        members = add_members(team, volunteers=people)
    for m in members:
        Participation.objects.create(activity=activity, volunteer=m.volunteer, hours=Decimal(hours))
    return activity


def _milestone(union: Union) -> Milestone:
    return Milestone.objects.create(
        campaign=make_campaign(union),
        title="情况调度表",
        form=SheetKind.DISPATCH,
        due_date=date(2026, 6, 30),
    )


def _photo(union: Union) -> ActivityPhoto:
    from django.core.files.base import ContentFile

    activity = make_activity(make_team(union), people=0)
    return ActivityPhoto.objects.create(activity=activity, image=ContentFile(PNG_1PX, "p.png"))


def _certificate(union: Union) -> Certificate:
    v = make_approved_volunteer(union)
    seq = Certificate.objects.count() + 1
    return Certificate.objects.create(
        volunteer=v,
        union=union,
        year=2026,
        serial=seq,
        number=f"{union.code}-2026-{seq:04d}",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        total_hours=Decimal("2"),
        entries=[],
        issued_on=date(2026, 6, 1),
    )


OBJECT_FACTORIES[ServiceTeam] = lambda union: make_team(union)
OBJECT_FACTORIES[ServiceProject] = lambda union: make_project(make_team(union))
OBJECT_FACTORIES[Activity] = lambda union: make_activity(make_team(union), people=0)
OBJECT_FACTORIES[ActivityPhoto] = _photo
OBJECT_FACTORIES[Milestone] = _milestone
OBJECT_FACTORIES[Certificate] = _certificate
