"""The relief app's figures, each defined once; the dashboard, the 送温暖活动统计表 and
its aggregate read them from here. Approved ledger lines only; a reversal is a
negative line, so every figure nets reversals.

* 受助人数 ``aided``: hardship files whose approved grants of the campaign net above
  zero (a fully reversed grant does not count).
* 帮困金额 ``amount``: the net approved amount of the campaign, in 元 (the sheet
  shows 万元).
* 一日捐 ``donations``: one-day donations for the campaign, in 元; ``donors``: people.
* 走访 ``visits``: visits recorded for the campaign (one visit, one person).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import Substr

from relief.models import Donation, GrantStatus, ReliefGrant, Visit
from unionvol.figures import common_prefix, grouped_by_path
from unionvol.scoping import subtree_q

ZERO = Decimal("0")


@dataclass
class ReliefFigures:
    aided: int = 0
    amount: Decimal = ZERO
    donations: Decimal = ZERO
    donors: int = 0
    visits: int = 0


def relief_figures(paths: list[str], *, campaign: Any) -> dict[str, ReliefFigures]:
    """Figures per union path (each union's whole subtree)."""
    result = {p: ReliefFigures() for p in paths}
    if not paths:
        return result
    # One query: the net per file, under the requested path the file's union sits in.
    length = len(paths[0])
    rows = (
        ReliefGrant.objects.filter(campaign=campaign, status=GrantStatus.APPROVED)
        .filter(subtree_q(common_prefix(paths), "file__union"))
        .annotate(_prefix=Substr("file__union__path", 1, length))
        .values("_prefix", "file_id")
        .order_by()
        .annotate(net=Sum("amount"))
    )
    for row in rows:
        fig = result.get(row["_prefix"])
        if fig is not None:
            net = row["net"] or ZERO
            fig.amount += net
            fig.aided += net > 0
    donations = grouped_by_path(
        Donation.objects.filter(campaign=campaign), "union", paths, a=Sum("amount"), d=Sum("donors")
    )
    visits = grouped_by_path(Visit.objects.filter(campaign=campaign), "union", paths, n=Count("pk"))
    for path, fig in result.items():
        if row := donations.get(path):
            fig.donations, fig.donors = row["a"] or ZERO, row["d"] or 0
        if row := visits.get(path):
            fig.visits = row["n"]
    return result
