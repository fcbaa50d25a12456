"""Writes to the volunteer registry: registration, edits, the approval chain.

Every function takes keyword-only arguments, validates with ``full_clean`` and
raises ``ValidationError`` with a Chinese message on bad input; nothing is
written in that case.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from unions.models import Role, Union
from unionvol.capabilities import Capability
from unionvol.idnumbers import gender_of, normalize_id_number
from unionvol.rollups import batched
from unionvol.scoping import has_capability, is_operator, membership_of, union_of
from volunteers.models import (
    ApplyLink,
    ApprovalDecision,
    ApprovalStep,
    Gender,
    QuotaAllocation,
    RepeatedApplication,
    Volunteer,
    VolunteerStatus,
)
from volunteers.privacy import history_reason

NOT_ALLOWED = _("您无权在该工会登记或修改志愿者。")
CAMPAIGN_NOT_RECRUITING = _("所选通知不招募志愿者。")
CAMPAIGN_NOT_ABOVE = _("所选通知的发文单位不是登记工会或其上级工会。")
GENDER_MISMATCH = _("性别与身份证号码不符：按身份证号码应为「%(gender)s」。")
DUPLICATE_VISIBLE = _("该身份证号码已经登记过（%(name)s，%(union)s），请查看已有记录。")
DUPLICATE_NEUTRAL = _("该身份证号码已经登记过，不能重复登记。如有疑问请联系所在工会。")
PHONE_REQUIRED = _("请填写联系电话。")
CONFLICT = _("该记录已被他人修改，您的修改未保存。请重新打开编辑页面，核对后再修改。")
NOT_PENDING = _("该登记表当前不在审批中。")
NOT_RETURNED = _("只有被退回的登记表可以重新提交。")
OPINION_REQUIRED = _("不同意或退回时请填写审批意见。")
OWN_ENTRY = _("不能审批自己录入的登记表。")
NOT_YOUR_LEVEL = _("当前审批环节应由「%(union)s」的审核员办理。")
BAD_DECISION = _("无效的审批结果。")

# The fields of the 登记表 a clerk may type (gender is typed only to be checked).
FORM_FIELDS = (
    "name",
    "political_status",
    "photo",
    "id_number",
    "phone",
    "work_start",
    "education",
    "health",
    "workplace",
    "resume",
    "application",
    "identity",
    "member_type",
    "national_registered",
    "national_number",
)


class DuplicateIdNumber(ValidationError):
    """A second registration of an ID number; ``existing`` is set only inside the user's scope."""

    def __init__(self, existing: Volunteer | None) -> None:
        if existing is not None:
            error = ValidationError(
                DUPLICATE_VISIBLE,
                code="duplicate",
                params={"name": existing.name, "union": existing.union.name},
            )
        else:
            error = ValidationError(DUPLICATE_NEUTRAL, code="duplicate")
        super().__init__({"id_number": [error]})
        self.existing = existing


# --- the approval chain -----------------------------------------------------
def approval_chain(*, union: Union, campaign: Any = None) -> list[Union]:
    """The unions that approve, lowest first: the registering union, then each ancestor
    up to and including the campaign's issuer (without a campaign: two ancestors)."""
    ancestors = list(Union.objects.chain_above(union).order_by("-path"))
    if campaign is None:
        return [union, *ancestors[:2]]
    if not union.is_within(campaign.issuer):
        raise ValidationError({"campaign": ValidationError(CAMPAIGN_NOT_ABOVE, code="campaign")})
    return [union, *[a for a in ancestors if a.is_within(campaign.issuer)]]


def _check_campaign(*, union: Union, campaign: Any) -> None:
    if campaign is None:
        return
    if not campaign.recruits_volunteers:
        raise ValidationError(
            {"campaign": ValidationError(CAMPAIGN_NOT_RECRUITING, code="campaign")}
        )
    if not union.is_within(campaign.issuer):
        raise ValidationError({"campaign": ValidationError(CAMPAIGN_NOT_ABOVE, code="campaign")})


def _check_can_edit(by: Any, union: Union) -> None:
    if is_operator(by):
        return
    own = union_of(by)
    if own is None or not has_capability(by, Capability.EDIT) or not union.is_within(own):
        raise ValidationError(NOT_ALLOWED, code="permission")


def _duplicate_check(*, volunteer: Volunteer, by: Any) -> None:
    existing = (
        Volunteer.objects.select_related("union")
        .filter(id_number=volunteer.id_number)
        .exclude(pk=volunteer.pk)
        .first()
    )
    if existing is None:
        return
    visible = (
        by is not None
        and getattr(by, "is_authenticated", False)
        and Volunteer.objects.visible_to(by).filter(pk=existing.pk).exists()
    )
    raise DuplicateIdNumber(existing if visible else None)


def _validate(volunteer: Volunteer, *, typed_gender: str, by: Any, require_phone: bool) -> None:
    """Model rules, then the typed gender against the ID, then the duplicate check."""
    volunteer.id_number = normalize_id_number(volunteer.id_number)
    errors: dict[str, list[Any]] = {}
    try:
        volunteer.full_clean(validate_unique=False, exclude=["gender", "birth_date"])
    except ValidationError as exc:
        errors = dict(exc.error_dict)
    id_ok = "id_number" not in errors and bool(volunteer.id_number)
    if id_ok and typed_gender and typed_gender != gender_of(volunteer.id_number):
        errors.setdefault("gender", []).append(
            ValidationError(
                GENDER_MISMATCH,
                code="gender",
                params={"gender": Gender(gender_of(volunteer.id_number)).label},
            )
        )
    if require_phone and not volunteer.phone and "phone" not in errors:
        errors["phone"] = [ValidationError(PHONE_REQUIRED, code="required")]
    if errors:
        raise ValidationError(errors)
    _duplicate_check(volunteer=volunteer, by=by)


def _apply(volunteer: Volunteer, data: dict[str, Any]) -> None:
    for key in FORM_FIELDS:
        if key in data:
            if key == "photo" and data[key] is False:
                volunteer.photo = ""  # cleared; the file stays for the history
                continue
            if key == "photo" and not data[key]:
                continue  # keep the stored photo when none is uploaded
            setattr(volunteer, key, data[key] if data[key] is not None else "")
    if "work_start" in data:
        volunteer.work_start = data["work_start"]


def _open_step(volunteer: Volunteer, *, level: int, union: Union) -> ApprovalStep:
    return ApprovalStep.objects.create(
        volunteer=volunteer, level=level, union=union, round=volunteer.approval_round
    )


def _save_new(volunteer: Volunteer, specialties: Iterable[Any]) -> None:
    try:
        with transaction.atomic():
            volunteer.save()
    except IntegrityError as exc:  # a concurrent registration of the same number
        raise DuplicateIdNumber(None) from exc
    volunteer.specialties.set(list(specialties))


# --- public applications: 报名编号 and short links ----------------------------------------
# Capitals and digits without the look-alikes (0/O, 1/I): read aloud or typed from a photo.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 6
# Lower case without the look-alikes (0/o, 1/l/i): the poster's short address is typed too.
LINK_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
LINK_LENGTH = 7


def _reference_taken(reference: str) -> bool:
    # The whole table, whatever the scope: a number is unique across all unions.
    return (
        Volunteer._base_manager.filter(reference=reference).exists()
        or RepeatedApplication._base_manager.filter(reference=reference).exists()
    )


def new_reference() -> str:
    """A fresh 报名编号 ``UV-<year>-XXXXXX``: random (one applicant's number says nothing
    of anyone else's) and unused in both the volunteers and the repeated applications."""
    year = timezone.localdate().year
    while True:
        body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        reference = f"UV-{year}-{body}"
        if not _reference_taken(reference):
            return reference


def _new_link_code() -> str:
    while True:
        code = "".join(secrets.choice(LINK_ALPHABET) for _ in range(LINK_LENGTH))
        if not ApplyLink._base_manager.filter(code=code).exists():
            return code


def apply_link_for(*, union: Union, campaign: Any = None) -> ApplyLink:
    """The union's short application address for ``campaign`` (or for none), created the
    first time it is asked for and the same ever after."""
    _check_campaign(union=union, campaign=campaign)
    existing = ApplyLink._base_manager.filter(union=union, campaign=campaign).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return ApplyLink._base_manager.create(
                union=union, campaign=campaign, code=_new_link_code()
            )
    except IntegrityError:  # created by a concurrent request in between
        return ApplyLink._base_manager.get(union=union, campaign=campaign)


@batched
def volunteer_register(
    *,
    union: Union,
    data: dict[str, Any],
    by: Any,
    campaign: Any = None,
    self_applied: bool = False,
) -> Volunteer:
    """Register a volunteer (status pending) and open the first approval step."""
    if not self_applied:
        _check_can_edit(by, union)
    _check_campaign(union=union, campaign=campaign)
    data = dict(data)
    volunteer = Volunteer(
        union=union,
        campaign=campaign,
        status=VolunteerStatus.PENDING,
        self_applied=self_applied,
        created_by=by if getattr(by, "pk", None) else None,
    )
    _apply(volunteer, data)
    if self_applied:
        volunteer.consent_at = timezone.now()
        volunteer.reference = new_reference()
    _validate(volunteer, typed_gender=data.get("gender") or "", by=by, require_phone=True)
    chain = approval_chain(union=union, campaign=campaign)
    _save_new(volunteer, data.get("specialties") or [])
    _open_step(volunteer, level=1, union=chain[0])
    return volunteer


def identity_change_restarts(volunteer: Volunteer) -> bool:
    """Whether changing the name or ID number sends the registration back to the first
    level: once approved, or once any level of the current round has agreed (that level
    agreed to another person)."""
    if volunteer.status == VolunteerStatus.APPROVED:
        return True
    if volunteer.status != VolunteerStatus.PENDING or volunteer.pk is None:
        return False
    return (
        ApprovalStep.objects.filter(volunteer=volunteer, round=volunteer.approval_round)
        .exclude(decision=ApprovalDecision.PENDING)
        .exists()
    )


def _restart_approval(volunteer: Volunteer) -> None:
    """A new round from the first level (the earlier rounds stay in the trail)."""
    ApprovalStep.objects.filter(
        volunteer=volunteer,
        round=volunteer.approval_round,
        decision=ApprovalDecision.PENDING,
    ).delete()  # the open step of the old round is superseded, not decided
    volunteer.approval_round += 1
    volunteer.status = VolunteerStatus.PENDING
    volunteer.approved_at = None


def _jsonable(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "all"):  # the chosen specialties
        return [str(v) for v in value.all()]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return value


@batched
def public_apply(*, union: Union, campaign: Any, data: dict[str, Any]) -> str:
    """The public form's registration; returns the applicant's 报名编号.

    It answers the same whether or not the ID number is registered. A number already
    registered is kept as a :class:`RepeatedApplication` for the reviewers of ``union``
    (with a 报名编号 of its own); every other error is the applicant's to correct."""
    try:
        with transaction.atomic():
            volunteer = volunteer_register(
                union=union, campaign=campaign, data=data, by=None, self_applied=True
            )
    except DuplicateIdNumber:
        number = normalize_id_number(data.get("id_number") or "")
        existing = Volunteer.objects.filter(id_number=number).first()
        rest = {
            key: _jsonable(value)
            for key, value in data.items()
            if key not in ("id_number", "name", "phone", "workplace", "photo")
            and value not in (None, "", [])
        }
        repeated = RepeatedApplication.objects.create(
            union=union,
            existing=existing,
            campaign=campaign,
            name=data.get("name") or "",
            phone=data.get("phone") or "",
            workplace=data.get("workplace") or "",
            data=rest,
            reference=new_reference(),
            id_tail=number[-4:],
        )
        return repeated.reference or ""
    return volunteer.reference or ""


NOT_YOURS = _("该重复报名不由您所在的工会处理。")


@transaction.atomic
def repeated_application_resolve(*, application: RepeatedApplication, by: Any) -> None:
    """A reviewer of the union applied to has contacted the applicant."""
    union = union_of(by)
    operator = is_operator(by)
    if not operator and (
        union is None
        or union.pk != application.union_id
        or not has_capability(by, Capability.REVIEW)
    ):
        raise ValidationError(NOT_YOURS, code="permission")
    RepeatedApplication.objects.filter(pk=application.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=by
    )


@batched
def volunteer_update(
    *, volunteer: Volunteer, data: dict[str, Any], by: Any, version: int
) -> Volunteer:
    """Save an edit unless someone saved in between (optimistic concurrency on ``version``).

    A new name or ID number is another person as far as the approvals go: once a level
    has agreed, the registration starts again at the first level (``approval_round``
    grows), and the history row says what changed, with the numbers masked and
    fingerprinted (:func:`volunteers.privacy.history_reason`)."""
    _check_can_edit(by, volunteer.union)
    current = (
        Volunteer.objects.select_for_update(of=("self",))
        .select_related("union", "campaign__issuer")
        .get(pk=volunteer.pk)
    )
    if current.version != version:
        raise ValidationError(CONFLICT, code="conflict")
    old_name, old_number = current.name, current.id_number
    restarts = identity_change_restarts(current)
    _apply(current, data)
    _validate(current, typed_gender=data.get("gender") or "", by=by, require_phone=True)
    name_changed = current.name != old_name
    if name_changed or current.id_number != old_number:
        restarted = restarts
        if restarted:
            _restart_approval(current)
        current._change_reason = history_reason(  # type: ignore[attr-defined]
            old_number=old_number,
            new_number=current.id_number,
            name_changed=name_changed,
            restarted=restarted,
        )
    else:
        restarted = False
    current.version += 1
    try:
        with transaction.atomic():
            current.save()
    except IntegrityError as exc:
        raise DuplicateIdNumber(None) from exc
    if restarted:
        chain = approval_chain(union=current.union, campaign=current.campaign)
        _open_step(current, level=1, union=chain[0])
    if "specialties" in data:
        current.specialties.set(list(data["specialties"] or []))
    return current


@batched
def volunteer_resubmit(*, volunteer: Volunteer, by: Any) -> Volunteer:
    """After a return: a new approval round from the first level."""
    _check_can_edit(by, volunteer.union)
    current = (
        Volunteer.objects.select_for_update(of=("self",))
        .select_related("union")
        .get(pk=volunteer.pk)
    )
    if current.status != VolunteerStatus.RETURNED:
        raise ValidationError(NOT_RETURNED, code="state")
    chain = approval_chain(union=current.union, campaign=current.campaign)
    current.approval_round += 1
    current.status = VolunteerStatus.PENDING
    current.version += 1
    current.save()
    _open_step(current, level=1, union=chain[0])
    return current


def can_decide(*, user: Any, step: ApprovalStep, volunteer: Volunteer) -> bool:
    try:
        _check_can_decide(user, step, volunteer)
    except ValidationError:
        return False
    return True


def _check_can_decide(by: Any, step: ApprovalStep, volunteer: Volunteer) -> None:
    if volunteer.created_by_id is not None and volunteer.created_by_id == by.pk:
        raise ValidationError(OWN_ENTRY, code="own_entry")
    if is_operator(by):
        return
    member = membership_of(by)
    if (
        member is None
        or member.role not in (Role.REVIEWER, Role.ADMIN)
        or member.union_id != step.union_id
    ):
        raise ValidationError(
            NOT_YOUR_LEVEL, code="not_your_level", params={"union": step.union.name}
        )


@batched
def approval_decide(
    *, volunteer: Volunteer, by: Any, decision: str, opinion: str = ""
) -> ApprovalStep:
    """Decide the current step: approve opens the next level (or approves the volunteer),
    reject ends the registration, return sends it back to the clerk."""
    if decision not in (
        ApprovalDecision.APPROVED,
        ApprovalDecision.REJECTED,
        ApprovalDecision.RETURNED,
    ):
        raise ValidationError(BAD_DECISION, code="decision")
    opinion = (opinion or "").strip()
    if decision != ApprovalDecision.APPROVED and not opinion:
        raise ValidationError({"opinion": ValidationError(OPINION_REQUIRED, code="required")})
    current = (
        Volunteer.objects.select_for_update(of=("self",))
        .select_related("union", "campaign__issuer")
        .get(pk=volunteer.pk)
    )
    step = (
        ApprovalStep.objects.select_related("union")
        .filter(volunteer=current, round=current.approval_round, decision=ApprovalDecision.PENDING)
        .order_by("level")
        .first()
    )
    if current.status != VolunteerStatus.PENDING or step is None:
        raise ValidationError(NOT_PENDING, code="state")
    _check_can_decide(by, step, current)
    step.decision = decision
    step.opinion = opinion  # full_clean below refuses one over the limit, naming it
    step.decided_by = by
    step.decided_at = timezone.now()
    step.full_clean()
    step.save()
    if decision == ApprovalDecision.APPROVED:
        chain = approval_chain(union=current.union, campaign=current.campaign)
        if step.level < len(chain):
            _open_step(current, level=step.level + 1, union=chain[step.level])
            return step
        current.status = VolunteerStatus.APPROVED
        current.approved_at = step.decided_at
    elif decision == ApprovalDecision.REJECTED:
        current.status = VolunteerStatus.REJECTED
    else:
        current.status = VolunteerStatus.RETURNED
    current.version += 1
    current.save()
    return step


def approval_bulk_approve(
    *, volunteers: Sequence[Volunteer], by: Any, opinion: str = ""
) -> tuple[int, list[str]]:
    """Approve several at once; each is its own transaction so one refusal stops no other."""
    done = 0
    errors: list[str] = []
    for volunteer in volunteers:
        try:
            approval_decide(
                volunteer=volunteer, by=by, decision=ApprovalDecision.APPROVED, opinion=opinion
            )
        except ValidationError as exc:
            errors.append(f"{volunteer.name}：{'；'.join(exc.messages)}")
        else:
            done += 1
    return done, errors


# --- quotas (名额分配表) ------------------------------------------------------------
QUOTA_CONFLICT = _("名额分配表已被他人修改（%(union)s），您的修改未保存。请重新打开后再修改。")
QUOTA_NOT_ISSUER = _("只有发文单位可以分配名额。")
QUOTA_DUPLICATE = _("同一工会只能分配一次名额：%(union)s。")
QUOTA_OUTSIDE = _("名额只能分配给发文单位的下级工会：%(union)s。")


def can_allocate_quotas(*, user: Any, campaign: Campaign) -> bool:
    """Quotas are set by the issuing union's staff (or a union above it)."""
    if not has_capability(user, Capability.EDIT):
        return False
    if is_operator(user):
        return True
    own = union_of(user)
    return own is not None and campaign.issuer.is_within(own)


@transaction.atomic
def quota_save(*, campaign: Campaign, user: Any, rows: list[dict[str, Any]]) -> int:
    """Write the whole 名额分配表 at once, or nothing.

    ``rows`` hold ``allocation`` (None for a new row), ``version`` (as read), ``union``,
    ``quota``, ``note``, ``delete``. A row changed by someone else since it was read is a
    conflict: the first save is kept and this one is refused entirely.
    """
    if not can_allocate_quotas(user=user, campaign=campaign):
        raise ValidationError(QUOTA_NOT_ISSUER)
    seen: set[int] = set()
    for row in rows:
        union = row["union"]
        if row.get("delete"):
            continue
        if union.pk in seen:
            raise ValidationError(QUOTA_DUPLICATE % {"union": union.name})
        if union.pk == campaign.issuer_id or not union.is_within(campaign.issuer):
            raise ValidationError(QUOTA_OUTSIDE % {"union": union.name})
        seen.add(union.pk)
    changed = 0
    for order, row in enumerate(rows, start=1):
        allocation = row.get("allocation")
        if allocation is None:
            if row.get("delete"):
                continue
            new = QuotaAllocation(
                campaign=campaign,
                union=row["union"],
                quota=row["quota"],
                note=row.get("note", ""),
                order=order,
            )
            new.full_clean()
            new.save()
            changed += 1
            continue
        # Row lock + version compare, then a normal save so that history records it.
        current = (
            QuotaAllocation.objects.select_for_update()
            .filter(pk=allocation.pk, campaign=campaign)
            .first()
        )
        if current is None or current.version != row["version"]:
            raise ValidationError(QUOTA_CONFLICT % {"union": allocation.union.name})
        if row.get("delete"):
            current.delete()
        else:
            current.union = row["union"]
            current.quota = row["quota"]
            current.note = row.get("note", "")
            current.order = order
            current.version += 1
            current.full_clean()
            current.save()
        changed += 1
    return changed
