"""Grouping figures by union subtree: the one helper every app's ``figures.py`` uses.

Figures are asked for a list of union *paths* of one depth (a union's children, or
one union); ``grouped_by_path`` answers for all of them with one ``GROUP BY`` on the
path prefix, whatever the number of unions. ``grouped_by_union`` groups by the owning
union itself: what a rollup cell (``unionvol.rollups``) holds.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
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
    of each path summed into it. ``lookup`` is the ORM path to the owning union.

    ``paths`` may also hold the unions' common parent (a dashboard's union beside its
    children): its figures are then the sum of its children's groups and of the rows it
    owns itself, from the same one query — for sums and counts of rows each owned by one
    union, which add up across unions (a ``Max`` would not: refused)."""
    if not paths:
        return {}
    length = max(len(p) for p in paths)
    deep = [p for p in paths if len(p) == length]
    shallow = [p for p in paths if len(p) < length]
    if any(not all(d.startswith(p) for d in deep) for p in shallow):
        raise ValueError("paths must be of one depth, with at most their common parent")
    if shallow and not all(isinstance(a, Sum | Count) for a in aggregates.values()):
        raise ValueError("a parent's figures are summed from its children's: sums and counts")
    path_field = f"{lookup}__path" if lookup else "path"
    rows = list(
        qs.filter(subtree_q(common_prefix(paths), lookup))
        .annotate(_prefix=Substr(path_field, 1, length))
        .values("_prefix")
        .order_by()
        .annotate(**aggregates)
    )
    wanted = set(deep)
    result = {r["_prefix"]: r for r in rows if r["_prefix"] in wanted}
    for top in shallow:
        inside = [r for r in rows if r["_prefix"].startswith(top)]
        if inside:
            result[top] = {alias: sum(r[alias] or 0 for r in inside) for alias in aggregates}
    return result


def plain(value: Any) -> Any:
    """A JSON-friendly number (Decimal → float, None → 0)."""
    if isinstance(value, Decimal):
        return float(value)
    return value or 0


def grouped_by_union(
    qs: QuerySet[Any], lookup: str, union_ids: Collection[int] | None, *by: str, **aggregates: Any
) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    """``((union_id, *by), {alias: value})`` rows: the rows each union owns itself (not its
    subtree), grouped by that union and by the fields ``by`` (e.g. a date); what one
    rollup cell holds. ``union_ids=None`` for every union. Streamed: a rebuild of a
    whole campaign reads one row per union and day without holding them all."""
    field = f"{lookup}_id"
    if union_ids is not None:
        qs = qs.filter(**{f"{field}__in": list(union_ids)})
    rows = qs.values(field, *by).order_by().annotate(**aggregates)
    # Streamed (a server-side cursor) for a whole campaign; a few cells are read at once.
    for row in rows.iterator(chunk_size=5000) if union_ids is None else rows:
        yield tuple(row[k] for k in (field, *by)), row


@dataclass(frozen=True)
class Source:
    """Records and the figures they give: the one definition from which both the live
    figures (per union path, each union's subtree) and the rollups (per union, its own
    records) are computed. ``figures`` maps a figure's name to its aggregate; ``date``
    names the records' date when the figures are counted by period."""

    qs: QuerySet[Any]
    union: str
    figures: dict[str, Any]
    date: str | None = None

    def _aggregates(self) -> dict[str, Any]:
        # Prefixed: a figure may share its name with a field of the model (``hours``).
        return {f"fig_{name}": agg for name, agg in self.figures.items()}

    def _strip(self, row: dict[str, Any]) -> dict[str, Any]:
        return {name: row[f"fig_{name}"] for name in self.figures}

    def by_path(self, paths: list[str]) -> dict[str, dict[str, Any]]:
        rows = grouped_by_path(self.qs, self.union, paths, **self._aggregates())
        return {path: self._strip(row) for path, row in rows.items()}

    def by_union(
        self, union_ids: Collection[int] | None, *, dated: bool = False
    ) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
        by = (self.date,) if dated and self.date else ()
        for key, row in grouped_by_union(self.qs, self.union, union_ids, *by, **self._aggregates()):
            yield key, self._strip(row)
