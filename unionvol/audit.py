"""Writing the audit log. Callers pass records, never the personal data itself.

As a guard, any 18-character resident ID number that reaches the log anyway
(in ``what``, the target's text or ``detail``) is masked before it is stored.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import models

from unionvol.idnumbers import mask_id_number
from unionvol.models import AuditAction, AuditEvent
from unionvol.scoping import union_of

# 17 digits and a digit or X, not part of a longer run of letters/digits.
ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")


def mask_ids_in_text(text: str) -> str:
    return ID_NUMBER_RE.sub(lambda m: mask_id_number(m.group(0)), text)


def mask_ids(value: Any) -> Any:
    """``value`` with every ID-number-looking string (or 18-digit integer) masked."""
    if isinstance(value, str):
        return mask_ids_in_text(value)
    if isinstance(value, bool | float) or value is None:
        return value
    if isinstance(value, int):
        text = str(value)
        return mask_ids_in_text(text) if ID_NUMBER_RE.search(text) else value
    if isinstance(value, dict):
        return {mask_ids(str(k)): mask_ids(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [mask_ids(v) for v in value]
    return mask_ids_in_text(str(value))


def audit(
    *,
    user: Any,
    action: AuditAction | str,
    target: models.Model | None = None,
    what: str = "",
    rows: int | None = None,
    full_ids: bool = False,
    **detail: Any,
) -> AuditEvent:
    """Record that ``user`` did ``action`` on ``target`` (or on ``what``, e.g. a sheet name)."""
    label = mask_ids_in_text(str(what))
    return AuditEvent.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=getattr(user, "username", "") or "",
        union=union_of(user),
        action=action,
        object_type=target._meta.label if target is not None else label[:60],
        object_id=str(target.pk) if target is not None else "",
        object_repr=mask_ids_in_text(str(target) if target is not None else label)[:200],
        rows=rows,
        full_ids=full_ids,
        detail=mask_ids(detail),
    )
