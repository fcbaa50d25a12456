"""Reads of the volunteer registry. Every function starts from the acting user's scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Prefetch, QuerySet

from campaigns.models import Campaign
from unions.models import Role, Union, UnionKind
from unionvol.scoping import is_operator, membership_of, union_of
from volunteers.models import (
    ApprovalDecision,
    ApprovalStep,
    Gender,
    Identity,
    PoliticalStatus,
    QuotaAllocation,
    RepeatedApplication,
    Specialty,
    Volunteer,
    VolunteerStatus,
)


def volunteer_list(*, user: Any) -> QuerySet[Volunteer]:
    """The volunteers a user may see, with their union, campaign and specialties."""
    return (
        Volunteer.objects.visible_to(user)
        .select_related("union", "campaign")
        .prefetch_related(Prefetch("specialties", queryset=Specialty.objects.only("id", "name")))
    )


ROSTER_COLUMNS = (
    "name",
    "gender",
    "id_number",
    "phone",
    "workplace",
    "political_status",
    "identity",
    "status",
    "self_applied",
    "registered_at",
    "union__id",
    "union__path",
    "union__name",
    "union__short_name",
)


def roster_list(*, user: Any) -> QuerySet[Volunteer]:
    """The roster rows a user may see: the columns a row shows (no résumé, no
    application text), its union, and its specialties in a second query."""
    return (
        Volunteer.objects.visible_to(user)
        .select_related("union")
        .only(*ROSTER_COLUMNS)
        .prefetch_related(Prefetch("specialties", queryset=Specialty.objects.only("id", "name")))
    )


STATUS_CSS: dict[str, str] = {
    VolunteerStatus.APPROVED: "success",
    VolunteerStatus.PENDING: "warning",
    VolunteerStatus.RETURNED: "info",
    VolunteerStatus.REJECTED: "danger",
}


def _labels(choices: type[models.Choices]) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def roster_rows(volunteers: list[Volunteer]) -> list[Volunteer]:
    """A page of the roster with its labels set on each row (``gender_label``…): one
    dict per field a page, where ``get_FOO_display`` would rebuild one for every cell."""
    gender, political = _labels(Gender), _labels(PoliticalStatus)
    identity, status = _labels(Identity), _labels(VolunteerStatus)
    for v in volunteers:
        v.gender_label = gender.get(v.gender, v.gender)  # type: ignore[attr-defined]
        v.political_label = political.get(v.political_status, v.political_status)  # type: ignore[attr-defined]
        v.identity_label = identity.get(v.identity, v.identity)  # type: ignore[attr-defined]
        v.status_label = status.get(v.status, v.status)  # type: ignore[attr-defined]
        v.status_css = STATUS_CSS.get(v.status, "secondary")  # type: ignore[attr-defined]
    return volunteers


def recruiting_campaigns(*, user: Any) -> QuerySet[Campaign]:
    """Campaigns the user may register volunteers for."""
    return (
        Campaign.objects.visible_to(user)
        .filter(recruits_volunteers=True)
        .select_related("issuer")
        .order_by("-issue_date", "-pk")
    )


def recruiting_campaign_for(*, union: Union) -> Campaign | None:
    """For a public application: the newest published recruiting campaign issued by the
    union or an ancestor of it."""
    return (
        Campaign.objects.filter(
            recruits_volunteers=True,
            status="published",
            issuer__path__in=[*union.ancestor_paths(), union.path],
        )
        .select_related("issuer")
        .order_by("-issue_date", "-pk")
        .first()
    )


# --- approval -------------------------------------------------------------------
def inbox_steps(*, user: Any) -> QuerySet[ApprovalStep]:
    """Current steps waiting at the user's own union (reviewers and admins only)."""
    qs = ApprovalStep.objects.filter(
        decision=ApprovalDecision.PENDING,
        volunteer__status=VolunteerStatus.PENDING,
        round=F("volunteer__approval_round"),
    ).select_related("volunteer__union", "volunteer__campaign", "volunteer__created_by", "union")
    if not is_operator(user):
        member = membership_of(user)
        if member is None or member.role not in (Role.REVIEWER, Role.ADMIN):
            return qs.none()
        qs = qs.filter(union_id=member.union_id)
    return qs.exclude(volunteer__created_by=user).order_by("volunteer__registered_at", "pk")


def inbox_repeated(*, user: Any) -> QuerySet[RepeatedApplication]:
    """Public applications repeating a registered ID number, for the reviewers of the
    union applied to (as the inbox's approval steps are)."""
    qs = RepeatedApplication.objects.filter(resolved_at__isnull=True).select_related(
        "existing", "campaign"
    )
    if not is_operator(user):
        member = membership_of(user)
        if member is None or member.role not in (Role.REVIEWER, Role.ADMIN):
            return qs.none()
        qs = qs.filter(union_id=member.union_id)
    return qs.order_by("applied_at", "pk")


def inbox_count(*, user: Any) -> int:
    return inbox_steps(user=user).count()


@dataclass
class TrailRow:
    level: int
    union: Union
    step: ApprovalStep | None  # None: a level not reached yet


@dataclass
class Trail:
    rounds: list[list[ApprovalStep]] = field(default_factory=list)  # earlier rounds
    current: list[TrailRow] = field(default_factory=list)
    current_step: ApprovalStep | None = None


def approval_trail(*, volunteer: Volunteer) -> Trail:
    """Every step of every round, plus the levels still to come in the current round."""
    from volunteers.services import approval_chain

    steps = list(
        ApprovalStep.objects.filter(volunteer=volunteer)
        .select_related("union", "decided_by")
        .order_by("round", "level")
    )
    trail = Trail()
    earlier: dict[int, list[ApprovalStep]] = {}
    current_round: dict[int, ApprovalStep] = {}
    for step in steps:
        if step.round == volunteer.approval_round:
            current_round[step.level] = step
        else:
            earlier.setdefault(step.round, []).append(step)
    trail.rounds = [earlier[r] for r in sorted(earlier)]
    try:
        chain = approval_chain(union=volunteer.union, campaign=volunteer.campaign)
    except ValidationError:  # the union moved out from under the issuer: show the record
        chain = [s.union for s in current_round.values()]
    for level, union in enumerate(chain, start=1):
        current = current_round.get(level)
        trail.current.append(TrailRow(level, current.union if current else union, current))
        if current and current.decision == ApprovalDecision.PENDING:
            trail.current_step = current
    if volunteer.status != VolunteerStatus.PENDING:
        trail.current_step = None
    return trail


OPINION_BOXES = ("unit", "district", "city")
_BOX_OF_KIND: dict[str, str] = {
    UnionKind.PROVINCE: "city",
    UnionKind.CITY: "city",
    UnionKind.DISTRICT: "district",
    UnionKind.INDUSTRY: "district",
    UnionKind.EDUCATION: "district",
}


def opinion_boxes(*, trail: Trail) -> dict[str, list[ApprovalStep]]:
    """The decided steps of the current round, sorted into the 登记表's three opinion boxes
    by the kind of the deciding union (unit / district-or-industry / city)."""
    boxes: dict[str, list[ApprovalStep]] = {box: [] for box in OPINION_BOXES}
    for row in trail.current:
        if row.step is not None and row.step.decision != ApprovalDecision.PENDING:
            boxes[_BOX_OF_KIND.get(row.union.kind, "unit")].append(row.step)
    return boxes


# --- quotas ---------------------------------------------------------------------
@dataclass
class QuotaRow:
    order: int
    allocation: QuotaAllocation
    approved: int = 0
    pending: int = 0

    @property
    def quota(self) -> int:
        return self.allocation.quota

    @property
    def percent(self) -> int:
        if not self.quota:
            return 0
        return round(self.approved * 100 / self.quota)

    @property
    def bar_percent(self) -> int:
        return min(self.percent, 100)

    @property
    def state(self) -> str:
        """over / under / full — over- and under-filled rows stand out."""
        if self.approved > self.quota:
            return "over"
        if self.approved < self.quota:
            return "under"
        return "full"


@dataclass
class QuotaTable:
    campaign: Campaign
    rows: list[QuotaRow]

    @property
    def total_quota(self) -> int:
        return sum(r.quota for r in self.rows)

    @property
    def total_approved(self) -> int:
        return sum(r.approved for r in self.rows)

    @property
    def total_pending(self) -> int:
        return sum(r.pending for r in self.rows)


def visible_quota_allocations(*, campaign: Campaign, user: Any | None) -> list[QuotaAllocation]:
    """The campaign's allocations a user may see: all of them for the issuer's staff;
    otherwise those inside the user's subtree and those of the unions above the user
    (a district sees its own target, never its siblings'). ``user=None``: all (operator)."""
    allocations = list(
        QuotaAllocation.objects.filter(campaign=campaign)
        .select_related("union")
        .order_by("order", "pk")
    )
    if user is None or is_operator(user):
        return allocations
    own = union_of(user)
    if own is None:
        return []
    if campaign.issuer.is_within(own):
        return allocations
    return [a for a in allocations if a.union.is_within(own) or own.is_within(a.union)]


def quota_table(*, campaign: Campaign, user: Any | None) -> QuotaTable:
    """名额分配表 with live counts, in three queries whatever the number of rows.

    A volunteer of the campaign counts toward the allocation of the nearest union on
    its chain (its own union or an ancestor). Rows shown: the allocations inside the
    user's subtree and those of the unions above the user (a user sees its own target).
    """
    allocations = visible_quota_allocations(campaign=campaign, user=user)
    rows = [QuotaRow(i, a) for i, a in enumerate(allocations, start=1)]
    by_path = {r.allocation.union.path: r for r in rows}
    counts = (
        Volunteer.objects.filter(
            campaign=campaign, status__in=[VolunteerStatus.APPROVED, VolunteerStatus.PENDING]
        )
        .values("union__path", "status")
        .annotate(n=Count("pk"))
    )
    steplen = Union.steplen
    for item in counts:
        path = item["union__path"]
        row = None
        while path and row is None:
            row = by_path.get(path)
            path = path[:-steplen]
        if row is None:
            continue
        if item["status"] == VolunteerStatus.APPROVED:
            row.approved += item["n"]
        else:
            row.pending += item["n"]
    return QuotaTable(campaign, rows)
