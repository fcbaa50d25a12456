"""Writes of the service record: teams, projects, activities, hours, certificates.

Every function takes keyword-only arguments, validates with ``full_clean`` and
raises ``ValidationError`` with a Chinese message constant (tests reuse them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import (
    Campaign,
    CampaignStatus,
)
from campaigns.services import BAD_TRANSITION, PERIOD_ORDER
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
from unions.models import Union
from unionvol.locking import claim, save_if_current, update_if
from unionvol.rollups import batched
from unionvol.scoping import is_operator, union_of

TIME_ORDER = _("结束时间必须晚于开始时间。")
TEAM_PARENT_MISMATCH = _("上级服务队必须属于同一活动通知。")
TEAM_PARENT_NOT_ABOVE = _("上级服务队必须是本工会或上级工会组建的服务队。")
TEAM_PARENT_CYCLE = _("上级服务队不能是本队或本队的下属分队。")
CAMPAIGN_NOT_OPEN = _("只能在已发布的活动通知下组建服务队。")
DUPLICATE_MEMBER = _(
    "「%(name)s」既被选为%(first)s，又被选为%(second)s：同一名志愿者在一个服务队中只能担任一个职务。"
)
ONE_CAPTAIN = _("每个服务队只能有一名队长。")
VOLUNTEER_NOT_APPROVED = _("「%(name)s」的登记尚未审核通过：只能选择审核已通过的志愿者。")
APPROVER_IS_PROPOSER = _("项目须由上级工会审批，申报单位不能审批自己的项目。")
APPROVER_SAME_USER = _("申报人不能审批自己申报的项目。")
PROJECT_TEAM_MISMATCH = _("所选项目不属于该服务队。")
PROJECT_NOT_ACTIVE = _("项目尚未批准或已结项，不能记录活动。")
CATEGORY_MISMATCH = _("活动类别必须是该活动通知规定的类别。")
PARTICIPANT_NOT_MEMBER = _("「%(name)s」不是该服务队的队员：参加人员必须是该服务队的队员。")
TOO_MANY_PHOTOS = _("每条活动最多上传 %(max)s 张图片。")
NO_SERVICE = _("所选期间内没有服务记录，无法出具证明。")

MAX_PHOTOS = 3


# --- teams -----------------------------------------------------------------------------------


def duplicate_member(volunteer: Any, first: TeamRole, second: TeamRole) -> ValidationError:
    """One person chosen for two roles of a team: the error says who, and as what."""
    return ValidationError(
        DUPLICATE_MEMBER,
        code="duplicate_member",
        params={
            "name": volunteer.name,
            "first": TeamRole(first).label,
            "second": TeamRole(second).label,
        },
    )


TEAM_FIELDS = ("name", "parent", "description")


def _check_team(team: ServiceTeam, *, new_parent: bool = True) -> None:
    """``new_parent``: the parent is being set. A team saved before the rule on where a
    parent may stand keeps its parent through other edits."""
    if team.campaign.status != CampaignStatus.PUBLISHED and team._state.adding:
        raise ValidationError({"campaign": CAMPAIGN_NOT_OPEN})
    if team.parent is not None:
        if team.parent.campaign_id != team.campaign_id:
            raise ValidationError({"parent": TEAM_PARENT_MISMATCH})
        if new_parent and not team.union.is_within(team.parent.union):
            raise ValidationError({"parent": TEAM_PARENT_NOT_ABOVE})
        above: ServiceTeam | None = team.parent
        while above is not None and team.pk is not None:
            if above.pk == team.pk:
                raise ValidationError({"parent": TEAM_PARENT_CYCLE})
            above = above.parent
    team.full_clean()


@batched
def team_create(*, union: Union, campaign: Campaign, user: Any, **data: Any) -> ServiceTeam:
    team = ServiceTeam(union=union, campaign=campaign, created_by=user)
    for key in TEAM_FIELDS:
        if key in data:
            setattr(team, key, data[key])
    _check_team(team)
    team.save()
    return team


@batched
def team_update(*, team: ServiceTeam, version: int | None, **data: Any) -> ServiceTeam:
    """Edit a team, over the ``version`` the form was opened at (else STALE)."""
    parent_before = team.parent_id
    for key in TEAM_FIELDS:
        if key in data:
            setattr(team, key, data[key])
    _check_team(team, new_parent=team.parent_id != parent_before)
    save_if_current(team, version, TEAM_FIELDS)
    return team


@batched
def team_set_members(
    *,
    team: ServiceTeam,
    version: int | None,
    captain: Any | None = None,
    cadres: Iterable[Any] = (),
    volunteers: Iterable[Any] = (),
) -> list[TeamMember]:
    """Replace the team's members. The composition rule is *not* enforced here: a team
    outside it is saved and flagged (see ``selectors.composition_of``).

    The list is written over the team's ``version`` the form was opened at: of two
    saves from the same list one is refused (STALE), never merged with the other."""
    wanted: dict[int, tuple[Any, TeamRole]] = {}
    roles = [
        ([captain] if captain else [], TeamRole.CAPTAIN),
        (list(cadres), TeamRole.CADRE),
        (list(volunteers), TeamRole.VOLUNTEER),
    ]
    for people, role in roles:
        for v in people:
            if v.pk in wanted:
                raise duplicate_member(v, wanted[v.pk][1], role)
            if v.status != "approved":
                raise ValidationError(
                    VOLUNTEER_NOT_APPROVED, code="not_approved", params={"name": v.name}
                )
            wanted[v.pk] = (v, role)
    claim(team, version)
    current = {m.volunteer_id: m for m in team.members.all()}
    team.members.exclude(volunteer_id__in=wanted).delete()
    result = []
    for pk, (volunteer, role) in wanted.items():
        member = current.get(pk)
        if member is None:
            member = TeamMember.objects.create(team=team, volunteer=volunteer, role=role)
        elif member.role != role:
            member.role = role
            member.save(update_fields=["role"])
        result.append(member)
    return result


# --- projects --------------------------------------------------------------------------------

PROJECT_FIELDS = (
    "team",
    "name",
    "period_start",
    "period_end",
    "paired_unit",
    "beneficiaries",
    "support_items",
    "support_amount",
    "leader_name",
    "leader_position",
    "leader_phone",
    "progress",
)


def _check_project(project: ServiceProject) -> None:
    if project.period_end and project.period_end < project.period_start:
        raise ValidationError({"period_end": PERIOD_ORDER})
    project.full_clean()


@batched
def project_create(*, user: Any, **data: Any) -> ServiceProject:
    """A lower union proposes (status 已申报); an upper union issues it already approved."""
    own = union_of(user)
    project = ServiceProject(created_by=user, proposed_by=own)
    for key in PROJECT_FIELDS:
        if key in data:
            setattr(project, key, data[key])
    if own is not None and project.team.union_id != own.pk:
        # The user's union is above the team's union: the project is issued from above.
        project.status = ProjectStatus.APPROVED
        project.approved_by = user
        project.approved_at = timezone.now()
    _check_project(project)
    project.save()
    return project


@batched
def project_update(*, project: ServiceProject, version: int | None, **data: Any) -> ServiceProject:
    """Edit a project, over the ``version`` the form was opened at (else STALE)."""
    fields = [key for key in PROJECT_FIELDS if key != "team"]
    for key in fields:
        if key in data:
            setattr(project, key, data[key])
    _check_project(project)
    save_if_current(project, version, fields)
    return project


@batched
def project_approve(*, project: ServiceProject, user: Any) -> ServiceProject:
    """Approval by a reviewer of a union above the proposing one (never the proposer)."""
    if project.status != ProjectStatus.PROPOSED:
        raise ValidationError(BAD_TRANSITION)
    own = union_of(user)
    outside = (
        own is None or own.pk == project.proposed_by_id or not project.proposed_by.is_within(own)
    )
    if outside and not is_operator(user):
        raise ValidationError(APPROVER_IS_PROPOSER)
    if project.created_by_id == user.pk:
        raise ValidationError(APPROVER_SAME_USER)
    approved = update_if(
        project,
        {"status": ProjectStatus.PROPOSED},
        status=ProjectStatus.APPROVED,
        approved_by=user,
        approved_at=timezone.now(),
    )
    if not approved:  # approved by someone else meanwhile
        raise ValidationError(BAD_TRANSITION)
    project.save(update_fields=["status"])  # the row is ours until commit: records history
    return project


_PROJECT_NEXT = {
    "start": (ProjectStatus.APPROVED, ProjectStatus.RUNNING),
    "close": (ProjectStatus.RUNNING, ProjectStatus.CLOSED),
}


@batched
def project_transition(*, project: ServiceProject, action: str) -> ServiceProject:
    source, target = _PROJECT_NEXT[action]
    if not update_if(project, {"status": source}, status=target):
        raise ValidationError(BAD_TRANSITION)
    project.save(update_fields=["status"])  # the row is ours until commit: records history
    return project


# --- activities ------------------------------------------------------------------------------

ACTIVITY_FIELDS = (
    "date",
    "start_time",
    "end_time",
    "place",
    "project",
    "category",
    "description",
    "featured",
    "beneficiaries",
)


def activity_duration_hours(start: Any, end: Any) -> Decimal:
    """Hours between two times of one day, to one decimal."""
    minutes = (datetime.combine(date.min, end) - datetime.combine(date.min, start)).seconds // 60
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _check_activity(activity: Activity) -> None:
    if activity.start_time and activity.end_time and activity.end_time <= activity.start_time:
        raise ValidationError({"end_time": TIME_ORDER})
    project, category = activity.project, activity.category
    if project is not None:
        if project.team_id != activity.team_id:
            raise ValidationError({"project": PROJECT_TEAM_MISMATCH})
        if project.status not in (ProjectStatus.APPROVED, ProjectStatus.RUNNING):
            raise ValidationError({"project": PROJECT_NOT_ACTIVE})
    if category is not None and category.campaign_id != activity.team.campaign_id:
        raise ValidationError({"category": CATEGORY_MISMATCH})
    activity.full_clean()


def _set_participants(activity: Activity, participants: dict[Any, Decimal]) -> None:
    member_ids = set(activity.team.members.values_list("volunteer_id", flat=True))
    for volunteer in participants:
        if volunteer.pk not in member_ids:
            raise ValidationError(
                {
                    "participants": ValidationError(
                        PARTICIPANT_NOT_MEMBER, code="not_member", params={"name": volunteer.name}
                    )
                }
            )
    wanted = {v.pk: hours for v, hours in participants.items()}
    activity.participations.exclude(volunteer_id__in=wanted).delete()
    existing = {p.volunteer_id: p for p in activity.participations.all()}
    for pk, hours in wanted.items():
        row = existing.get(pk) or Participation(activity=activity, volunteer_id=pk)
        row.hours = hours
        row.full_clean(validate_constraints=False)
        row.save()


def _add_photos(activity: Activity, photos: Sequence[Any]) -> None:
    if not photos:
        return
    if activity.photos.count() + len(photos) > MAX_PHOTOS:
        raise ValidationError(
            {"photos": ValidationError(TOO_MANY_PHOTOS, params={"max": MAX_PHOTOS})}
        )
    for content in photos:  # already through unionvol.uploads.clean_image
        ActivityPhoto.objects.create(activity=activity, image=content)


@batched
def activity_create(
    *,
    team: ServiceTeam,
    user: Any,
    participants: dict[Any, Decimal] | None = None,
    photos: Sequence[Any] = (),
    **data: Any,
) -> Activity:
    activity = Activity(team=team, created_by=user)
    for key in ACTIVITY_FIELDS:
        if key in data:
            setattr(activity, key, data[key])
    _check_activity(activity)
    activity.save()
    _set_participants(activity, participants or {})
    _add_photos(activity, photos)
    return activity


@batched
def activity_update(
    *,
    activity: Activity,
    version: int | None,
    participants: dict[Any, Decimal] | None = None,
    photos: Sequence[Any] = (),
    **data: Any,
) -> Activity:
    """Edit an activity with its participants and photos, over the ``version`` the form
    was opened at (else STALE, writing none of them)."""
    for key in ACTIVITY_FIELDS:
        if key in data:
            setattr(activity, key, data[key])
    _check_activity(activity)
    save_if_current(activity, version, ACTIVITY_FIELDS)
    if participants is not None:
        _set_participants(activity, participants)
    _add_photos(activity, photos)
    return activity


@batched
def participation_hours_set(
    *, activity: Activity, version: int | None, hours: dict[int, Decimal]
) -> None:
    """Set each participant's hours (keys are Participation ids of this activity), over
    the activity's ``version`` the form was opened at (else STALE)."""
    claim(activity, version)
    for row in activity.participations.filter(pk__in=hours):
        row.hours = hours[row.pk]
        row.full_clean(validate_constraints=False)
        row.save(update_fields=["hours"])


def photo_delete(*, photo: ActivityPhoto) -> None:
    photo.image.delete(save=False)
    photo.delete()


# --- certificates ----------------------------------------------------------------------------


def certificate_issue(
    *,
    volunteer: Any,
    user: Any,
    period_start: date,
    period_end: date,
    issued_on: date | None = None,
) -> Certificate:
    """Number and store a 志愿服务记录证明 with a snapshot of the records of the period."""
    from service.selectors import service_records

    if period_end < period_start:
        raise ValidationError({"period_end": PERIOD_ORDER})
    union = union_of(user) or volunteer.union
    records = list(
        service_records(user=user, volunteer=volunteer).filter(
            activity__date__gte=period_start, activity__date__lte=period_end
        )
    )
    if not records:
        raise ValidationError(NO_SERVICE)
    entries = [
        {
            "date": r.activity.date.isoformat(),
            "project": (r.activity.project or r.activity.team).name,
            "content": r.activity.description[:200],
            "place": r.activity.place,
            "hours": str(r.hours),
        }
        for r in records
    ]
    entries.sort(key=lambda e: e["date"])
    total = sum((r.hours for r in records), Decimal("0"))
    issued_on = issued_on or timezone.localdate()
    for _attempt in range(3):  # two clerks issuing at once: retry on a taken serial
        try:
            with transaction.atomic():
                serial = (
                    Certificate.objects.filter(union=union, year=issued_on.year).aggregate(
                        m=Max("serial")
                    )["m"]
                    or 0
                ) + 1
                return Certificate.objects.create(
                    volunteer=volunteer,
                    union=union,
                    year=issued_on.year,
                    serial=serial,
                    number=f"{union.code}-{issued_on.year}-{serial:04d}",
                    period_start=period_start,
                    period_end=period_end,
                    total_hours=total,
                    entries=entries,
                    volunteer_name=volunteer.name,
                    volunteer_id_masked=volunteer.masked_id,
                    volunteer_union_name=volunteer.union.name,
                    issued_on=issued_on,
                    issued_by=user,
                )
        except IntegrityError:
            continue
    raise ValidationError(BAD_TRANSITION)
