"""Writes to the union tree and its memberships."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from unions.models import Membership, Union
from unionvol.audit import audit
from unionvol.idnumbers import FULL_ID_PERMISSION
from unionvol.locking import claim, save_if_current
from unionvol.models import AuditAction
from unionvol.scoping import is_operator, union_of

MOVE_OWN_UNION = _("不能移动您本人所在的工会。")
MOVE_INTO_ITSELF = _("不能把工会移动到它自己或它的下级工会之下。")
MOVE_OUTSIDE_SCOPE = _("目标上级工会不在您的管理范围内。")
FULL_ID_SELF = _("不能更改您本人的“查看完整身份证号”权限，请由上级工会的管理员办理。")

UNION_FIELDS = (
    "name",
    "short_name",
    "code",
    "kind",
    "contact_person",
    "contact_phone",
    "contact_email",
    "is_active",
)


@transaction.atomic
def union_create_child(*, parent: Union, **data: Any) -> Union:
    union = Union(**{k: v for k, v in data.items() if k in UNION_FIELDS})
    union.full_clean(exclude=["path", "depth", "numchild"])
    return Union.objects.add_child(parent, instance=union)


def union_update(*, union: Union, version: int | None, **data: Any) -> Union:
    """Edit a union, over the ``version`` the form was opened at (else STALE)."""
    for key, value in data.items():
        if key in UNION_FIELDS:
            setattr(union, key, value)
    union.full_clean(exclude=["path", "depth", "numchild"])
    save_if_current(union, version, UNION_FIELDS)
    return union


@transaction.atomic
def union_move(*, union: Union, target: Union, user: Any) -> Union:
    """Re-parent ``union`` under ``target``; both must lie inside the acting user's scope."""
    own = union_of(user)
    if not is_operator(user):
        if own is None or union.pk == own.pk:
            raise ValidationError(MOVE_OWN_UNION)
        if not target.is_within(own):
            raise ValidationError(MOVE_OUTSIDE_SCOPE)
    if target.is_within(union):
        raise ValidationError(MOVE_INTO_ITSELF)
    Union.objects.move(union, target, pos="sorted-child")
    union.refresh_from_db()
    return union


@transaction.atomic
def member_create(
    *,
    union: Union,
    username: str,
    full_name: str,
    email: str,
    role: str,
    password: str,
    title: str = "",
    phone: str = "",
) -> Membership:
    user_model = get_user_model()
    user = user_model(username=username, first_name=full_name, email=email)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    membership = Membership(user=user, union=union, role=role, title=title, phone=phone)
    membership.full_clean()
    membership.save()
    return membership


def full_id_permission() -> Permission:
    app_label, codename = FULL_ID_PERMISSION.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def member_holds_full_id(membership: Membership) -> bool:
    """Whether the member was granted full ID numbers (directly, as this page grants)."""
    return membership.user.user_permissions.filter(pk=full_id_permission().pk).exists()


@transaction.atomic
def member_set_full_id(*, membership: Membership, grant: bool, by: Any) -> bool:
    """Grant or revoke full ID numbers (``volunteers.view_full_id``); True if it changed.

    Each change is written to the audit log. Nobody changes their own: a grant comes
    from another admin of the union or above it (or the operator)."""
    if grant == member_holds_full_id(membership):
        return False
    if membership.user_id == getattr(by, "pk", None):
        raise ValidationError(FULL_ID_SELF, code="self")
    permission = full_id_permission()
    user = membership.user
    if grant:
        user.user_permissions.add(permission)
    else:
        user.user_permissions.remove(permission)
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)
    audit(
        user=by,
        action=AuditAction.GRANT_FULL_ID if grant else AuditAction.REVOKE_FULL_ID,
        target=membership,
        member=user.username,
    )
    return True


@transaction.atomic
def member_update(
    *,
    membership: Membership,
    role: str,
    is_active: bool,
    title: str = "",
    phone: str = "",
    full_id: bool | None = None,
    by: Any = None,
    version: int | None = None,
) -> Membership:
    """Change a member's role, full-ID permission (when ``full_id`` is given), or disable
    them, over the ``version`` the edit page was opened at: a page opened before another
    admin's change (a revoked permission, a disabled account) is refused as STALE, so it
    cannot put back what that admin took away.

    A disabled user is refused by the auth backend on their next request, so every
    session they hold ends at once.
    """
    claim(membership, version)  # first: nothing below is written over a newer change
    if full_id is not None:
        member_set_full_id(membership=membership, grant=full_id, by=by)
    membership.role = role
    membership.title = title
    membership.phone = phone
    membership.full_clean()
    membership.save(update_fields=["role", "title", "phone", "version"])
    user = membership.user
    if user.is_active != is_active:
        user.is_active = is_active
        user.save(update_fields=["is_active"])
    return membership
