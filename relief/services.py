"""Writes of the relief app. Keyword-only arguments; every write is validated
(``full_clean``) and raises ``ValidationError`` with a Chinese message, writing nothing."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from relief.models import (
    STAFF_ROLES,
    FileStatus,
    GrantStatus,
    HardshipFile,
    MicroWish,
    Pairing,
    ReliefGrant,
    Visit,
    WishStatus,
)
from unions.models import Membership, Union
from unionvol.capabilities import Capability
from unionvol.idnumbers import validate_id_number, validate_phone
from unionvol.locking import save_if_current, update_if
from unionvol.rollups import batched
from unionvol.scoping import has_capability

FILE_CONFLICT = _("该档案已被他人修改，请刷新页面后重新填写。")
CONTACT_NOT_STAFF = _("联系人必须是本档案所属工会的工作人员（经办人、审核员或管理员）。")
FILE_NOT_ACTIVE = _("该档案已解困，不能再结对。")
VOLUNTEER_NOT_ELIGIBLE = _("只能选择本工会已审核通过的志愿者。")
PAIRING_EXISTS = _("该困难职工已有进行中的结对，请先结束原结对。")
PAIRING_ENDED = _("该结对已经结束。")
PAIRING_END_BEFORE_START = _("结对结束日期不能早于开始日期。")
GRANT_APPROVED_LOCKED = _("已审核的帮扶金不能修改，如有错误请冲销。")
GRANT_NOT_PENDING = _("该帮扶金已审核。")
GRANT_SELF_APPROVAL = _("不能审核自己录入的帮扶金。")
GRANT_NO_REVIEW_RIGHT = _("只有审核员可以审核帮扶金。")
GRANT_REVERSE_ONLY_APPROVED = _("只有已审核的帮扶金可以冲销。")
GRANT_ALREADY_REVERSED = _("该帮扶金已经冲销过。")
GRANT_REVERSAL_OF_REVERSAL = _("冲销记录不能再冲销。")
GRANT_AMOUNT_POSITIVE = _("金额必须大于0。")
VISIT_NEEDS_PERSON = _("请选择困难职工，或填写慰问对象姓名。")
FILE_NOT_OWN = _("只能选择本工会建档的困难职工。")
WISH_ALREADY_CLAIMED = _("很抱歉，该心愿已被认领。")
WISH_NOT_CLAIMED = _("该心愿当前不是「已认领」状态。")
WISH_NOT_CONFIRMED = _("请先确认认领，再登记心愿实现情况。")
WISH_NOT_OPEN_TO_CANCEL = _("已实现的心愿不能取消。")
WISH_ALREADY_CANCELLED = _("该心愿已经取消。")
# A wish may be cancelled until it is fulfilled (never after, even by a stale page).
WISH_CANCELLABLE = (WishStatus.OPEN, WishStatus.CLAIMED, WishStatus.CONFIRMED)

CENT = Decimal("0.01")


def _check_contact(contact: Any, union: Union) -> None:
    if contact is None:
        return
    ok = Membership.objects.filter(
        user=contact, union=union, role__in=STAFF_ROLES, user__is_active=True
    ).exists()
    if not ok:
        raise ValidationError({"contact_person": CONTACT_NOT_STAFF})


def _per_capita(monthly: Decimal, size: int) -> Decimal:
    return (Decimal(monthly) / max(size, 1)).quantize(CENT, rounding=ROUND_HALF_UP)


FILE_FIELDS = (
    "name",
    "id_number",
    "phone",
    "family_size",
    "family_members",
    "income_source",
    "monthly_income",
    "per_capita_income",
    "health",
    "cause",
    "degree",
    "contact_person",
    "status",
    "reviewed_on",
    "note",
)


def _apply_file_data(file: HardshipFile, data: dict[str, Any]) -> None:
    unknown = set(data) - set(FILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    errors: dict[str, Any] = {}
    for field, value in data.items():
        setattr(file, field, value)
    try:
        file.id_number = validate_id_number(file.id_number)
    except ValidationError as exc:
        errors["id_number"] = exc.messages
    try:
        file.phone = validate_phone(file.phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    if errors:
        raise ValidationError(errors)
    if file.per_capita_income is None and file.monthly_income is not None:
        file.per_capita_income = _per_capita(file.monthly_income, file.family_size or 1)
    _check_contact(file.contact_person, file.union)


@transaction.atomic
def file_create(*, user: Any, union: Union, **data: Any) -> HardshipFile:
    file = HardshipFile(union=union, created_by=user)
    _apply_file_data(file, data)
    file.full_clean()
    file.save()
    return file


@transaction.atomic
def file_update(*, file: HardshipFile, user: Any, version: int, **data: Any) -> HardshipFile:
    """Save only if nobody saved the file since ``version`` was read (optimistic lock)."""
    bumped = HardshipFile.objects.filter(pk=file.pk, version=version).update(version=version + 1)
    if not bumped:
        raise ValidationError(FILE_CONFLICT, code="conflict")
    _apply_file_data(file, data)
    file.version = version + 1
    file.full_clean()
    file.save()
    return file


@transaction.atomic
def pairing_create(
    *,
    file: HardshipFile,
    volunteer: Any,
    start: date,
    user: Any,
    eligible: Any,
    note: str = "",
) -> Pairing:
    """Pair a file with a volunteer; ``eligible`` is the shortlist queryset the user chose from."""
    if file.status != FileStatus.ACTIVE:
        raise ValidationError(FILE_NOT_ACTIVE)
    if not eligible.filter(pk=volunteer.pk).exists():
        raise ValidationError({"volunteer": VOLUNTEER_NOT_ELIGIBLE})
    pairing = Pairing(file=file, volunteer=volunteer, start=start, note=note, created_by=user)
    pairing.full_clean()
    try:
        with transaction.atomic():
            pairing.save()
    except IntegrityError as exc:  # a second clerk paired the same file meanwhile
        raise ValidationError(PAIRING_EXISTS) from exc
    return pairing


@transaction.atomic
def pairing_end(*, pairing: Pairing, end: date, user: Any) -> Pairing:
    if pairing.end is not None:
        raise ValidationError(PAIRING_ENDED)
    if end < pairing.start:
        raise ValidationError({"end": PAIRING_END_BEFORE_START})
    # Conditional: of two people ending it at once, the first date stays.
    if not update_if(pairing, {"end__isnull": True}, end=end):
        raise ValidationError(PAIRING_ENDED)
    pairing.save(update_fields=["end"])  # the row is ours until commit: records history
    return pairing


GRANT_FIELDS = ("campaign", "fund_type", "amount", "granted_on", "card_tail", "note")


@batched
def grant_create(*, file: HardshipFile, user: Any, **data: Any) -> ReliefGrant:
    if data.get("amount") is not None and Decimal(data["amount"]) <= 0:
        raise ValidationError({"amount": GRANT_AMOUNT_POSITIVE})
    unknown = set(data) - set(GRANT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    grant = ReliefGrant(file=file, entered_by=user)
    for field, value in data.items():
        setattr(grant, field, "" if value is None and field in ("card_tail", "note") else value)
    grant.full_clean()
    grant.save()
    return grant


@batched
def grant_update(*, grant: ReliefGrant, user: Any, version: int | None, **data: Any) -> ReliefGrant:
    """Edit a pending line, over the ``version`` the form was opened at (else STALE)."""
    if grant.status != GrantStatus.PENDING:
        raise ValidationError(GRANT_APPROVED_LOCKED, code="locked")
    if grant.reverses_id is not None:
        # A reversal always mirrors its original: only its date and note may change.
        data = {k: v for k, v in data.items() if k in ("granted_on", "note")}
    elif data.get("amount") is not None and data["amount"] <= 0:
        raise ValidationError({"amount": GRANT_AMOUNT_POSITIVE})
    for field in GRANT_FIELDS:
        if field in data:
            value = data[field]
            setattr(grant, field, "" if value is None and field in ("card_tail", "note") else value)
    grant.full_clean()
    # Approval moves the version on too, so a form opened before it cannot write over it.
    save_if_current(grant, version, GRANT_FIELDS, status=GrantStatus.PENDING)
    return grant


@batched
def grant_approve(*, grant: ReliefGrant, user: Any) -> ReliefGrant:
    if not has_capability(user, Capability.REVIEW):
        raise ValidationError(GRANT_NO_REVIEW_RIGHT, code="no_review")
    if grant.entered_by_id == user.pk:
        raise ValidationError(GRANT_SELF_APPROVAL, code="self_approval")
    # One conditional UPDATE: two reviewers clicking at once approve it once.
    done = ReliefGrant.objects.filter(pk=grant.pk, status=GrantStatus.PENDING).update(
        status=GrantStatus.APPROVED,
        approved_by=user,
        approved_at=timezone.now(),
        version=F("version") + 1,
    )
    if not done:
        raise ValidationError(GRANT_NOT_PENDING, code="not_pending")
    grant.refresh_from_db()
    grant.save()  # a history row records who approved, for the audit
    return grant


@batched
def grant_reverse(
    *, grant: ReliefGrant, user: Any, granted_on: date | None = None, note: str = ""
) -> ReliefGrant:
    """A new negative, pending line referencing the approved original."""
    if grant.reverses_id is not None:
        raise ValidationError(GRANT_REVERSAL_OF_REVERSAL, code="reverse_reversal")
    if grant.status != GrantStatus.APPROVED:
        raise ValidationError(GRANT_REVERSE_ONLY_APPROVED, code="not_approved")
    if ReliefGrant.objects.filter(reverses=grant).exists():
        raise ValidationError(GRANT_ALREADY_REVERSED, code="reversed")
    reversal = ReliefGrant(
        file=grant.file,
        campaign=grant.campaign,
        fund_type=grant.fund_type,
        amount=-grant.amount,
        granted_on=granted_on or timezone.localdate(),
        card_tail=grant.card_tail,
        note=note or str(_("冲销")),
        reverses=grant,
        entered_by=user,
    )
    reversal.full_clean()
    try:
        with transaction.atomic():
            reversal.save()
    except IntegrityError as exc:
        raise ValidationError(GRANT_ALREADY_REVERSED, code="reversed") from exc
    return reversal


VISIT_FIELDS = (
    "campaign",
    "visited_on",
    "file",
    "category",
    "visited_name",
    "visitors",
    "gift",
    "money",
    "note",
)


def _apply_visit(visit: Visit, data: dict[str, Any]) -> None:
    for field in VISIT_FIELDS:
        if field in data:
            value = data[field]
            if value is None and field in ("visited_name", "gift", "note"):
                value = ""
            setattr(visit, field, value)
    if visit.file_id is None and not (visit.visited_name or "").strip():
        raise ValidationError({"visited_name": VISIT_NEEDS_PERSON})
    if visit.file_id is not None:
        visit.category = "hardship"
        visit.visited_name = ""


def _check_own_file(union: Union, file: Any, *, field: str = "file") -> None:
    """A visit or wish names a hardship file of its own union only (see
    ``selectors.file_choices``): the record is read by every clerk of that union."""
    if file is not None and file.union_id != union.pk:
        raise ValidationError({field: FILE_NOT_OWN})


@batched
def visit_create(*, union: Union, user: Any, **data: Any) -> Visit:
    visit = Visit(union=union, created_by=user)
    _apply_visit(visit, data)
    _check_own_file(union, visit.file)
    visit.full_clean()
    visit.save()
    return visit


@batched
def visit_update(*, visit: Visit, user: Any, version: int | None, **data: Any) -> Visit:
    """Edit a visit, over the ``version`` the form was opened at (else STALE)."""
    kept = visit.file_id
    _apply_visit(visit, data)
    if visit.file_id != kept:
        _check_own_file(visit.union, visit.file)
    visit.full_clean()
    save_if_current(visit, version, VISIT_FIELDS)
    return visit


DONATION_FIELDS = ("union", "campaign", "amount", "donors", "note")


@batched
def donation_save(*, donation: Any, user: Any, version: int | None = None, **data: Any) -> Any:
    """Create, or edit over the ``version`` the form was opened at (else STALE)."""
    for field in DONATION_FIELDS:
        if field in data:
            setattr(donation, field, data[field] if data[field] is not None else "")
    donation.updated_by = user
    donation.full_clean()
    if donation.pk is None:
        donation.save()
    else:
        save_if_current(donation, version, (*DONATION_FIELDS, "updated_by"))
    return donation


# --- micro-wishes -----------------------------------------------------------
@transaction.atomic
def wish_create(*, union: Union, user: Any, **data: Any) -> MicroWish:
    wish = MicroWish(union=union, posted_by=user, **data)
    _check_own_file(union, wish.file)
    if wish.file is not None and not wish.beneficiary_name:
        wish.beneficiary_name = wish.file.name
    wish.full_clean()
    wish.save()
    return wish


def wish_claim(*, wish_pk: int, name: str, phone: str, user: Any = None) -> MicroWish:
    """Claim an open wish with ONE conditional UPDATE: of two simultaneous claims
    exactly one changes the row, the other is refused."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写认领人姓名。")})
    phone = validate_phone(phone) if phone else ""
    if not phone and not getattr(user, "is_authenticated", False):
        raise ValidationError({"phone": _("请填写联系电话，以便工会与您联系。")})
    claimer = user if getattr(user, "is_authenticated", False) else None
    limit = MicroWish._meta.get_field("claimer_name").max_length or 0
    if len(name) > limit:  # refused with the limit named, never cut
        raise ValidationError(
            {"name": _("姓名最多 %(limit)s 个字。") % {"limit": limit}}, code="max_length"
        )
    rows = MicroWish.objects.filter(pk=wish_pk, status=WishStatus.OPEN).update(
        status=WishStatus.CLAIMED,
        claimer_user=claimer,
        claimer_name=name,
        claimer_phone=phone,
        claimed_at=timezone.now(),
    )
    if rows != 1:
        raise ValidationError(WISH_ALREADY_CLAIMED, code="claimed")
    return MicroWish.objects.get(pk=wish_pk)


@transaction.atomic
def wish_confirm(*, wish: MicroWish, user: Any) -> MicroWish:
    done = MicroWish.objects.filter(pk=wish.pk, status=WishStatus.CLAIMED).update(
        status=WishStatus.CONFIRMED, confirmed_by=user, confirmed_at=timezone.now()
    )
    if not done:
        raise ValidationError(WISH_NOT_CLAIMED, code="not_claimed")
    wish.refresh_from_db()
    return wish


@transaction.atomic
def wish_release(*, wish: MicroWish, user: Any) -> MicroWish:
    """Refuse a claim (e.g. unreachable claimer): the wish is open again."""
    done = MicroWish.objects.filter(pk=wish.pk, status=WishStatus.CLAIMED).update(
        status=WishStatus.OPEN,
        claimer_user=None,
        claimer_name="",
        claimer_phone="",
        claimed_at=None,
    )
    if not done:
        raise ValidationError(WISH_NOT_CLAIMED, code="not_claimed")
    wish.refresh_from_db()
    return wish


@transaction.atomic
def wish_fulfil(*, wish: MicroWish, user: Any, note: str, photo: Any = None) -> MicroWish:
    """Confirmed → fulfilled by ONE conditional UPDATE: a wish cancelled (or fulfilled)
    meanwhile is refused, and the photo stored for it is removed again."""
    field = MicroWish._meta.get_field("photo")
    stored = ""
    if photo is not None:
        stored = field.storage.save(
            field.generate_filename(wish, photo.name), photo, max_length=field.max_length
        )
    changes: dict[str, Any] = {
        "status": WishStatus.FULFILLED,
        "fulfil_note": note,
        "fulfilled_at": timezone.now(),
    }
    if stored:
        changes["photo"] = stored
    if not update_if(wish, {"status": WishStatus.CONFIRMED}, **changes):
        if stored:
            field.storage.delete(stored)
        raise ValidationError(WISH_NOT_CONFIRMED, code="not_confirmed")
    wish.save(update_fields=["status"])  # the row is ours until commit: this records history
    return wish


@transaction.atomic
def wish_cancel(*, wish: MicroWish, user: Any) -> MicroWish:
    """Cancel by ONE conditional UPDATE on a cancellable state, never from what was read."""
    if not update_if(wish, {"status__in": WISH_CANCELLABLE}, status=WishStatus.CANCELLED):
        wish.refresh_from_db()
        if wish.status == WishStatus.CANCELLED:
            raise ValidationError(WISH_ALREADY_CANCELLED, code="cancelled")
        raise ValidationError(WISH_NOT_OPEN_TO_CANCEL, code="fulfilled")
    wish.save(update_fields=["status"])  # the row is ours until commit: this records history
    return wish
