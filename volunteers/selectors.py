"""Reads of the volunteer registry. Every function starts from the acting user's scope."""

from __future__ import annotations

import hmac
import re
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Prefetch, QuerySet
from django.utils import timezone

from campaigns.models import Campaign
from unions.models import Role, Union, UnionKind
from unionvol.idnumbers import normalize_id_number
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

# The specialties are a short shared list (not owned by a union): the roster's filter
# offers them from memory, read again a minute later or as soon as this process changes
# one. Only the offered list is kept; a chosen value is checked against the table.
SPECIALTY_SECONDS = 60
_specialties: tuple[float, list[tuple[int, str]]] | None = None


def specialty_choices() -> list[tuple[int, str]]:
    global _specialties
    now = time.monotonic()
    if _specialties is None or now - _specialties[0] > SPECIALTY_SECONDS:
        _specialties = (now, list(Specialty.objects.values_list("pk", "name")))
    return _specialties[1]


def forget_specialties(*args: Any, **kwargs: Any) -> None:
    """Connected to the specialties' saves and deletes; the import's bulk insert calls it."""
    global _specialties
    _specialties = None


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
    application text) and its union. :func:`roster_rows` adds the specialties."""
    return Volunteer.objects.visible_to(user).select_related("union").only(*ROSTER_COLUMNS)


STATUS_CSS: dict[str, str] = {
    VolunteerStatus.APPROVED: "success",
    VolunteerStatus.PENDING: "warning",
    VolunteerStatus.RETURNED: "info",
    VolunteerStatus.REJECTED: "danger",
}


def _labels(choices: type[models.Choices]) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def specialties_of(volunteer_ids: list[int]) -> dict[int, list[str]]:
    """Each volunteer's specialty names in the list's order, for a page or a chunk of
    rows: one query of the links with their names (the roster, the 花名册)."""
    links = (
        Volunteer.specialties.through.objects.filter(volunteer_id__in=volunteer_ids)
        .order_by("specialty__order", "specialty__name")
        .values_list("volunteer_id", "specialty__name")
    )
    out: dict[int, list[str]] = {}
    for volunteer_id, name in links:
        out.setdefault(volunteer_id, []).append(name)
    return out


def roster_rows(volunteers: list[Volunteer]) -> list[Volunteer]:
    """A page of the roster with its labels set on each row (``gender_label``…): one
    dict per field a page, where ``get_FOO_display`` would rebuild one for every cell;
    ``specialty_names`` joined from :func:`specialties_of`."""
    gender, political = _labels(Gender), _labels(PoliticalStatus)
    identity, status = _labels(Identity), _labels(VolunteerStatus)
    specialties = specialties_of([v.pk for v in volunteers])
    for v in volunteers:
        v.specialty_names = "、".join(specialties.get(v.pk, ()))  # type: ignore[attr-defined]
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


def open_recruiting_campaigns_for(*, union: Union) -> QuerySet[Campaign]:
    """Published recruiting campaigns issued by the union or an ancestor of it, newest
    first: those a public application to ``union`` can belong to."""
    return (
        Campaign.objects.filter(
            recruits_volunteers=True,
            status="published",
            issuer__path__in=[*union.ancestor_paths(), union.path],
        )
        .select_related("issuer")
        .order_by("-issue_date", "-pk")
    )


def recruiting_campaign_for(*, union: Union) -> Campaign | None:
    """For a public application: the newest published recruiting campaign issued by the
    union or an ancestor of it."""
    return open_recruiting_campaigns_for(union=union).first()


def public_campaign_for(*, union: Union, campaign: Campaign | None) -> Campaign | None:
    """The campaign an application through a short link joins: the link's own while it
    recruits, else (a general link, or a notice since closed) the newest open one."""
    if campaign is not None and (
        campaign.status == "published"
        and campaign.recruits_volunteers
        and union.is_within(campaign.issuer)
    ):
        return campaign
    return recruiting_campaign_for(union=union)


def link_campaigns(*, union: Union, user: Any) -> QuerySet[Campaign]:
    """The notices a union's short links may name: open, recruiting, above the union,
    and readable by the user."""
    readable = Campaign.objects.visible_to(user).values("pk")
    return open_recruiting_campaigns_for(union=union).filter(pk__in=readable)


# --- the public status check ------------------------------------------------------------
_REFERENCE_RE = re.compile(r"^(?:UV)?-?(\d{4})-?([A-Z0-9]{6})$")


def normalize_reference(value: str) -> str:
    """'uv-2026-ab３c12 ' → 'UV-2026-AB3C12'; the prefix and hyphens may be left out."""
    folded = normalize_id_number(value)
    match = _REFERENCE_RE.match(folded)
    return f"UV-{match.group(1)}-{match.group(2)}" if match else folded


def mask_name(name: str) -> str:
    """'张三' → '张*', '欧阳娜娜' → '欧***': the status page shows no more of the name."""
    name = name.strip()
    return f"{name[:1]}{'*' * max(len(name) - 1, 1)}" if name else ""


@dataclass(frozen=True)
class ApplicationStatus:
    """What the public status check shows: the state of an application, nothing personal
    beyond the masked name."""

    reference: str
    masked_name: str
    union: str
    applied_on: date
    status: str  # a VolunteerStatus value
    waiting_at: str = ""  # the union whose reviewers have it now (pending)
    level: int = 0
    levels: int = 0
    reason: str = ""  # the returning level's opinion (returned)
    decided_on: date | None = None

    @property
    def label(self) -> str:
        return str(VolunteerStatus(self.status).label)


def _chain_length(union: Union, campaign: Campaign | None) -> int:
    from volunteers.services import approval_chain

    try:
        return len(approval_chain(union=union, campaign=campaign))
    except ValidationError:
        return len(approval_chain(union=union))


def _tail_matches(stored: str, tail: str) -> bool:
    return len(stored) == 4 and hmac.compare_digest(stored.encode(), tail.encode())


def application_status(*, reference: str, id_tail: str) -> ApplicationStatus | None:
    """The status of the application with this 报名编号, if ``id_tail`` is the last four
    characters of its ID number; ``None`` otherwise (a wrong number and a wrong tail are
    not told apart). A repeated application reads as one waiting at its union."""
    reference = normalize_reference(reference)
    tail = normalize_id_number(id_tail)
    if len(tail) != 4 or not reference.startswith("UV-"):
        return None
    found = _application(reference)
    if found is None or not _tail_matches(found[1], tail):
        return None
    return found[0]


def verified_application_status(*, reference: str) -> ApplicationStatus | None:
    """The status of an application whose tail was checked on the previous request."""
    found = _application(reference)
    return found[0] if found else None


def _application(reference: str) -> tuple[ApplicationStatus, str] | None:
    """(status, the ID number's last four characters) of the 报名编号, if any."""
    volunteer = (
        Volunteer.objects.select_related("union", "campaign__issuer")
        .filter(reference=reference)
        .first()
    )
    if volunteer is not None:
        return _volunteer_status(volunteer), volunteer.id_number[-4:]
    repeated = (
        RepeatedApplication.objects.select_related("union", "campaign__issuer")
        .filter(reference=reference)
        .first()
    )
    if repeated is None:
        return None
    status = ApplicationStatus(
        reference=reference,
        masked_name=mask_name(repeated.name),
        union=repeated.union.name,
        applied_on=timezone.localdate(repeated.applied_at),
        status=VolunteerStatus.PENDING,
        waiting_at=repeated.union.name,
        level=1,
        levels=_chain_length(repeated.union, repeated.campaign),
    )
    return status, repeated.id_tail


def _volunteer_status(volunteer: Volunteer) -> ApplicationStatus:
    base: dict[str, Any] = {
        "reference": volunteer.reference or "",
        "masked_name": mask_name(volunteer.name),
        "union": volunteer.union.name,
        "applied_on": timezone.localdate(volunteer.registered_at),
        "status": volunteer.status,
    }
    steps = ApprovalStep.objects.select_related("union").filter(
        volunteer=volunteer, round=volunteer.approval_round
    )
    if volunteer.status == VolunteerStatus.PENDING:
        step = steps.filter(decision=ApprovalDecision.PENDING).order_by("level").first()
        if step is not None:
            base.update(
                waiting_at=step.union.name,
                level=step.level,
                levels=_chain_length(volunteer.union, volunteer.campaign),
            )
    elif volunteer.status == VolunteerStatus.RETURNED:
        step = steps.filter(decision=ApprovalDecision.RETURNED).order_by("-level").first()
        if step is not None:
            base.update(reason=step.opinion, decided_on=_date(step.decided_at))
    elif volunteer.status == VolunteerStatus.APPROVED:
        base["decided_on"] = _date(volunteer.approved_at)
    elif volunteer.status == VolunteerStatus.REJECTED:
        step = steps.filter(decision=ApprovalDecision.REJECTED).order_by("-level").first()
        base["decided_on"] = _date(step.decided_at) if step else None
    return ApplicationStatus(**base)


def _date(moment: Any) -> date | None:
    return timezone.localdate(moment) if moment else None


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
