"""Who sees a resident ID number: the one rule, used by every page, form, sheet and PDF.

Full numbers, and the birth date and age they contain, are for holders of
``volunteers.view_full_id`` (granted per member by a union admin on the member's page
under /unions/, each grant and revocation audited) and for the operator's commands
(``user=None``). Everyone else sees :func:`unionvol.idnumbers.mask_id_number`
(``21**************3X``): the county code, the birth date and two order digits are
hidden together, and no page shows the birth date or age beside a mask, so what one
page shows cannot be completed into a number.

A number can also be learnt by confirming guesses, so the lookups that answer "is this
the number?" are limited too: searching by ID number is for holders only, within their
subtree, rate-limited and audited; the staff forms that take a new ID number (and may
answer "already registered") count against a per-user limit (:func:`id_lookup_allowed`),
and so does each ID number of an uploaded 花名册, whose preview answers "will update" or
"already registered" row by row (:func:`id_import_allowed`, a larger budget for a file,
audited as one lookup by ID number).
The mask itself is :func:`unionvol.idnumbers.mask_id_number`, the one mask of every app.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from unionvol import ratelimit
from unionvol.audit import audit
from unionvol.idnumbers import FULL_ID_PERMISSION, mask_id_number, normalize_id_number
from unionvol.models import AuditAction
from unionvol.scoping import is_operator

# Searching by full number (holders only): per user, per hour.
ID_SEARCH_LIMIT = 30
ID_SEARCH_WINDOW = 3600
# Forms that take a new ID number answer "already registered": per user, per hour.
ID_LOOKUP_LIMIT = 120
ID_LOOKUP_WINDOW = 3600
# The ID numbers of uploaded 花名册 checked against the records: per user, per hour. A
# holder of full numbers may import a large roster; anyone else a district's worth.
ID_IMPORT_LIMIT = 2000
ID_IMPORT_LIMIT_FULL = 50000
ID_IMPORT_WINDOW = 3600

SEARCH_NOT_ALLOWED = _(
    "按身份证号码查找仅限有“查看完整身份证号”权限的人员。请按姓名或电话查找，"
    "或请本工会管理员授予该权限。"
)
TOO_MANY_LOOKUPS = _("一小时内提交的身份证号码过多，请稍后再试。")
TOO_MANY_IMPORTED_IDS = _(
    "一小时内导入核对的身份证号码已超过%(limit)s个（本文件%(rows)s个），未核对任何数据。"
    "请稍后再试，或将文件拆分后分次导入。"
)
KEEP_ID_HELP = _("留空则保持原身份证号码不变（出于隐私保护，这里不显示原号码）。")
IDENTITY_CHANGE_HELP = _("该志愿者已通过审核：修改姓名或身份证号码后，登记表将回到第一级重新审批。")

# Stored in history rows (data, like the sheets' labels: in Chinese, not translated).
HISTORY_ID_CHANGED = "身份证号码变更：{old} → {new}"
HISTORY_NAME_CHANGED = "姓名变更"
HISTORY_RESTARTED = "；重新审批"


def may_see_full_ids(user: Any) -> bool:
    """The operator's commands (``user=None``) and active holders of the permission,
    held directly or by a group (as ``has_perm`` answers it, in one query, not two)."""
    if user is None:
        return True
    if not user.is_active:
        return False
    if is_operator(user):
        return True
    granted = getattr(user, _GRANT_ATTR, None)
    if granted is None:
        from django.contrib.auth.models import Permission

        app_label, codename = FULL_ID_PERMISSION.split(".")
        granted = (
            Permission.objects.filter(codename=codename, content_type__app_label=app_label)
            .filter(Q(user=user) | Q(group__user=user))
            .exists()
        )
        setattr(user, _GRANT_ATTR, granted)  # for the request, as has_perm caches
    return bool(granted)


_GRANT_ATTR = "_unionvol_full_id"


def id_text(number: str, *, full: bool) -> str:
    """The number as ``full`` allows: itself, or masked."""
    return normalize_id_number(number) if full else mask_id_number(number)


def id_column(*, full: bool) -> Callable[[str], str]:
    """What a sheet writes in its ID column (the export's audit event says ``full``)."""
    return normalize_id_number if full else mask_id_number


def id_for(user: Any, volunteer: Any) -> str:
    """The volunteer's number as ``user`` may see it on a page; a full view is audited."""
    full = may_see_full_ids(user)
    if full and user is not None:
        audit(user=user, action=AuditAction.VIEW_FULL_ID, target=volunteer)
    return id_text(volunteer.id_number, full=full)


def birth_date_for(user: Any, volunteer: Any) -> date | None:
    """The birth date (digits 7–14 of the number) only for whoever may see the number."""
    return volunteer.birth_date if may_see_full_ids(user) else None


def fingerprint(number: str) -> str:
    """A short keyed hash: two history rows show whether the number changed, without it.

    Keyed with SECRET_KEY, so that nobody can hash candidate numbers to match it."""
    value = normalize_id_number(number)
    return salted_hmac("volunteers.privacy.fingerprint", value).hexdigest()[:8]


def history_reason(*, old_number: str, new_number: str, name_changed: bool, restarted: bool) -> str:
    """The history row's change reason for an identity change (at most 100 characters)."""
    parts = []
    if name_changed:
        parts.append(HISTORY_NAME_CHANGED)
    if normalize_id_number(old_number) != normalize_id_number(new_number):
        parts.append(
            HISTORY_ID_CHANGED.format(
                old=f"{mask_id_number(old_number)}#{fingerprint(old_number)}",
                new=f"{mask_id_number(new_number)}#{fingerprint(new_number)}",
            )
        )
    reason = "；".join(parts) + (HISTORY_RESTARTED if restarted else "")
    return reason[:100]


def _user_key(request: HttpRequest) -> str:
    return f"user-{getattr(request.user, 'pk', None) or 'anonymous'}"


def id_search_allowed(request: HttpRequest) -> bool:
    """Count one search by full ID number; False once the user is over the limit."""
    return ratelimit.hit(
        request,
        scope="id-search",
        limit=ID_SEARCH_LIMIT,
        window=ID_SEARCH_WINDOW,
        key=_user_key(request),
    )


def id_lookup_allowed(request: HttpRequest) -> bool:
    """Count one ID number submitted in a form (which may answer "already registered")."""
    return ratelimit.hit(
        request,
        scope="id-lookup",
        limit=ID_LOOKUP_LIMIT,
        window=ID_LOOKUP_WINDOW,
        key=_user_key(request),
    )


def id_import_limit(user: Any) -> int:
    return ID_IMPORT_LIMIT_FULL if may_see_full_ids(user) else ID_IMPORT_LIMIT


def id_import_allowed(request: HttpRequest, numbers: int) -> bool:
    """Count the ``numbers`` ID numbers of an uploaded 花名册, before any is checked
    against the records; False (and nothing is checked) once the user is over the budget.
    Each check is audited as one lookup by ID number, with the count."""
    allowed = ratelimit.hit(
        request,
        scope="id-import",
        limit=id_import_limit(request.user),
        window=ID_IMPORT_WINDOW,
        key=_user_key(request),
        cost=numbers,
    )
    detail: dict[str, Any] = {} if allowed else {"refused": "rate"}
    audit(
        user=request.user,
        action=AuditAction.SEARCH_ID,
        what="volunteers.import",
        rows=numbers,
        **detail,
    )
    return allowed
