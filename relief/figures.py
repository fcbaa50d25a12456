"""The relief app's figures, each defined once; the dashboard, the 送温暖活动统计表 and
its aggregate read them from here. Approved ledger lines only; a reversal is a
negative line, so every figure nets reversals.

* 受助人数 ``aided``: hardship files whose approved grants of the campaign net above
  zero (a fully reversed grant does not count).
* 帮困金额 ``amount``: the net approved amount of the campaign, in 元 (the sheet
  shows 万元).
* 一日捐 ``donations``: one-day donations for the campaign, in 元; ``donors``: people.
* 走访 ``visits``: visits recorded for the campaign (one visit, one person).

The rollup (``ReliefRollup``, kept by ``relief.rollups``) holds them per union and
campaign, computed by the same definitions (:func:`relief_cells`); a file belongs to
one union, so its net counts in that union's row. :func:`relief_figures` sums the rows
over each subtree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Substr

from relief.models import Donation, GrantStatus, ReliefGrant, ReliefRollup, Visit
from unionvol.figures import Source, common_prefix, grouped_by_path
from unionvol.scoping import subtree_q

ZERO = Decimal("0")
FIGURES = ("aided", "amount", "donations", "donors", "visits")


@dataclass
class ReliefFigures:
    aided: int = 0
    amount: Decimal = ZERO
    donations: Decimal = ZERO
    donors: int = 0
    visits: int = 0


def approved_grants(campaign: Any) -> QuerySet[ReliefGrant]:
    return ReliefGrant.objects.filter(campaign=campaign, status=GrantStatus.APPROVED)


def sources(campaign: Any) -> list[Source]:
    """The definitions of the figures counted by plain aggregates (the grants' are
    netted per file first: :func:`_add_net`)."""
    return [
        Source(
            Donation.objects.filter(campaign=campaign),
            "union",
            {"donations": Sum("amount"), "donors": Sum("donors")},
        ),
        Source(Visit.objects.filter(campaign=campaign), "union", {"visits": Count("pk")}),
    ]


def _add_net(fig: ReliefFigures, net: Decimal | None) -> None:
    """One file's net approved amount: into 帮困金额, and 受助人数 when above zero."""
    net = net or ZERO
    fig.amount += net
    fig.aided += net > 0


def _fill(fig: ReliefFigures, row: dict[str, Any]) -> None:
    for name, value in row.items():
        setattr(fig, name, value if value is not None else type(getattr(fig, name))(0))


def relief_figures_from_records(paths: list[str], *, campaign: Any) -> dict[str, ReliefFigures]:
    """Figures per union path (each union's whole subtree), from the ledger itself."""
    result = {p: ReliefFigures() for p in paths}
    if not paths:
        return result
    # One query: the net per file, under the requested path the file's union sits in.
    length = len(paths[0])
    rows = (
        approved_grants(campaign)
        .filter(subtree_q(common_prefix(paths), "file__union"))
        .annotate(_prefix=Substr("file__union__path", 1, length))
        .values("_prefix", "file_id")
        .order_by()
        .annotate(net=Sum("amount"))
    )
    for row in rows:
        fig = result.get(row["_prefix"])
        if fig is not None:
            _add_net(fig, row["net"])
    for source in sources(campaign):
        for path, values in source.by_path(paths).items():
            _fill(result[path], values)
    return result


def relief_cells(campaign: Any, union_ids: Collection[int] | None) -> dict[int, dict[str, Any]]:
    """Each union's own figures: what its rollup row holds."""
    cells: dict[int, ReliefFigures] = defaultdict(ReliefFigures)
    grants = approved_grants(campaign)
    if union_ids is not None:
        grants = grants.filter(file__union_id__in=list(union_ids))
    nets = grants.values("file__union_id", "file_id").order_by().annotate(net=Sum("amount"))
    for row in nets.iterator(chunk_size=5000) if union_ids is None else nets:
        _add_net(cells[row["file__union_id"]], row["net"])
    for source in sources(campaign):
        for key, values in source.by_union(union_ids):
            _fill(cells[key[0]], values)
    return {u: {n: getattr(fig, n) for n in FIGURES} for u, fig in cells.items()}


def relief_figures(paths: list[str], *, campaign: Any) -> dict[str, ReliefFigures]:
    """Figures per union path (each union's whole subtree): one query over the rollup,
    at most one row per union."""
    rows = grouped_by_path(
        ReliefRollup.objects.filter(campaign=campaign),
        "union",
        paths,
        **{f"fig_{n}": Sum(n) for n in FIGURES},
    )
    result = {p: ReliefFigures() for p in paths}
    for path, row in rows.items():
        _fill(result[path], {n: row[f"fig_{n}"] for n in FIGURES})
    return result
