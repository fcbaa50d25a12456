"""Writing the audit log. Callers pass records, never the personal data itself."""

from __future__ import annotations

from typing import Any

from django.db import models

from unionvol.models import AuditAction, AuditEvent
from unionvol.scoping import union_of


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
    return AuditEvent.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=getattr(user, "username", "") or "",
        union=union_of(user),
        action=action,
        object_type=target._meta.label if target is not None else what[:60],
        object_id=str(target.pk) if target is not None else "",
        object_repr=(str(target) if target is not None else what)[:200],
        rows=rows,
        full_ids=full_ids,
        detail=detail,
    )
