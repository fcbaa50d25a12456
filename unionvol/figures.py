"""Grouping figures by union subtree: the one helper every app's ``figures.py`` uses.

Figures are asked for a list of union *paths* of one depth (a union's children, or
one union); ``grouped_by_path`` answers for all of them with one ``GROUP BY`` on the
path prefix, whatever the number of unions.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import Substr

from unionvol.scoping import subtree_q


def common_prefix(paths: list[str]) -> str:
    first, last = min(paths), max(paths)
    i = 0
    while i < min(len(first), len(last)) and first[i] == last[i]:
        i += 1
    return first[:i]


def grouped_by_path(
    qs: QuerySet[Any], lookup: str, paths: list[str], **aggregates: Any
) -> dict[str, dict[str, Any]]:
    """``{path: {alias: value}}`` for each of ``paths`` (one depth), rows of the subtree
    of each path summed into it. ``lookup`` is the ORM path to the owning union."""
    if not paths:
        return {}
    length = len(paths[0])
    if any(len(p) != length for p in paths):
        raise ValueError("paths must be of one depth")
    path_field = f"{lookup}__path" if lookup else "path"
    rows = (
        qs.filter(subtree_q(common_prefix(paths), lookup))
        .annotate(_prefix=Substr(path_field, 1, length))
        .values("_prefix")
        .order_by()
        .annotate(**aggregates)
    )
    wanted = set(paths)
    return {r["_prefix"]: r for r in rows if r["_prefix"] in wanted}


def plain(value: Any) -> Any:
    """A JSON-friendly number (Decimal → float, None → 0)."""
    if isinstance(value, Decimal):
        return float(value)
    return value or 0
