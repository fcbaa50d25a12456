"""Writes to the union tree and its memberships."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from unions.models import Membership, Union
from unionvol.locking import save_if_current
from unionvol.scoping import union_of

MOVE_OWN_UNION = _("不能移动您本人所在的工会。")
MOVE_INTO_ITSELF = _("不能把工会移动到它自己或它的下级工会之下。")
MOVE_OUTSIDE_SCOPE = _("目标上级工会不在您的管理范围内。")

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
    if not getattr(user, "is_superuser", False):
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
    user: AbstractUser = user_model(username=username, first_name=full_name, email=email)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    membership = Membership(user=user, union=union, role=role, title=title, phone=phone)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def member_update(
    *, membership: Membership, role: str, is_active: bool, title: str = "", phone: str = ""
) -> Membership:
    """Change a member's role or disable them.

    A disabled user is refused by the auth backend on their next request, so every
    session they hold ends at once.
    """
    membership.role = role
    membership.title = title
    membership.phone = phone
    membership.full_clean()
    membership.save(update_fields=["role", "title", "phone"])
    user = membership.user
    if user.is_active != is_active:
        user.is_active = is_active
        user.save(update_fields=["is_active"])
    return membership
