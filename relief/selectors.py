"""Reads of the relief app, always through ``visible_to(user)``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from campaigns.models import Campaign, CampaignKind
from relief.models import (
    Donation,
    FileStatus,
    GrantStatus,
    HardshipFile,
    MicroWish,
    Pairing,
    ReliefGrant,
    Visit,
    WishStatus,
)
from unions.models import Union
from unionvol.scoping import union_of
from volunteers.models import Volunteer, VolunteerStatus

WAN = Decimal("10000")


# --- hardship files -----------------------------------------------------------
def file_list(*, user: Any, status: str = "", cause: str = "", q: str = "") -> QuerySet[Any]:
    qs = (
        HardshipFile.objects.visible_to(user)
        .with_active_pairing()
        .select_related("union", "contact_person")
    )
    if status:
        qs = qs.filter(status=status)
    if cause:
        qs = qs.filter(cause=cause)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(union__name__contains=q))
    return qs.order_by("union__path", "-created_at", "-pk")


def unpaired_files(*, user: Any) -> QuerySet[Any]:
    return (
        HardshipFile.objects.visible_to(user)
        .unpaired()
        .select_related("union", "contact_person")
        .order_by("union__path", "-degree", "pk")
    )


def file_detail(*, user: Any, pk: int) -> HardshipFile:
    file: HardshipFile = (
        HardshipFile.objects.visible_to(user)
        .select_related("union", "contact_person", "created_by")
        .prefetch_related(
            Prefetch(
                "pairings",
                queryset=Pairing.objects.select_related("volunteer__union").order_by("-start"),
            ),
            Prefetch(
                "grants",
                queryset=ReliefGrant.objects.select_related(
                    "campaign", "entered_by", "approved_by", "reversal"
                ).order_by("-granted_on", "-pk"),
            ),
            Prefetch("visits", queryset=Visit.objects.select_related("campaign")),
        )
        .get(pk=pk)
    )
    return file


def volunteer_shortlist(*, user: Any) -> QuerySet[Any]:
    """The union's approved volunteers, those with fewest active pairings first."""
    return (
        Volunteer.objects.visible_to(user)
        .filter(status=VolunteerStatus.APPROVED)
        .select_related("union")
        .annotate(
            active_pairings=Count("relief_pairings", filter=Q(relief_pairings__end__isnull=True))
        )
        .order_by("active_pairings", "name", "pk")
    )


def file_choices(
    *, user: Any, union: Union | None = None, current: int | None = None
) -> QuerySet[Any]:
    """The files a visit or a micro-wish of ``union`` (``user``'s own, by default) may
    name: that union's active files, and the record's ``current`` file when it is edited.
    A visit or wish belongs to the union that records it and is read by all its clerks;
    a file of a union below is for that union's staff, so its name is not offered upward."""
    own = Q(union=union or union_of(user), status=FileStatus.ACTIVE)
    return (
        HardshipFile.objects.visible_to(user)
        .filter(own | Q(pk=current) if current is not None else own)
        .order_by("name", "pk")
    )


# --- grants ------------------------------------------------------------------
def grant_list(*, user: Any, status: str = "", campaign: int | None = None) -> QuerySet[Any]:
    qs = ReliefGrant.objects.visible_to(user).select_related(
        "file__union", "campaign", "entered_by", "approved_by", "reverses", "reversal"
    )
    if status:
        qs = qs.filter(status=status)
    if campaign:
        qs = qs.filter(campaign_id=campaign)
    return qs.order_by("-granted_on", "-pk")


def pending_grants(*, user: Any) -> QuerySet[Any]:
    return ReliefGrant.objects.visible_to(user).filter(status=GrantStatus.PENDING)


def grant_totals(*, user: Any, campaign: int | None = None) -> list[dict[str, Any]]:
    """Approved net totals by union and fund type: one aggregate query."""
    qs = ReliefGrant.objects.visible_to(user).filter(status=GrantStatus.APPROVED)
    if campaign:
        qs = qs.filter(campaign_id=campaign)
    return list(
        qs.values("file__union_id", "file__union__name", "file__union__path", "fund_type")
        .annotate(total=Sum("amount"), entries=Count("id"), people=Count("file", distinct=True))
        .order_by("file__union__path", "fund_type")
    )


# --- visits, donations, wishes -----------------------------------------------
def visit_list(*, user: Any, campaign: int | None = None) -> QuerySet[Any]:
    qs = Visit.objects.visible_to(user).select_related("union", "file", "campaign")
    if campaign:
        qs = qs.filter(campaign_id=campaign)
    return qs.order_by("-visited_on", "-pk")


def donation_list(*, user: Any) -> QuerySet[Any]:
    return (
        Donation.objects.visible_to(user)
        .select_related("union", "campaign")
        .order_by("-campaign__issue_date", "union__path", "pk")
    )


def wish_list(*, user: Any, status: str = "") -> QuerySet[Any]:
    qs = (
        MicroWish.objects.visible_to(user)
        .with_name_visibility(user)
        .select_related("union", "file", "claimer_user")
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-posted_at", "-pk")


def public_wishes() -> QuerySet[Any]:
    """The public wall: open and claimed wishes (no personal data beyond surname + 某)."""
    return (
        MicroWish.objects.filter(
            status__in=[WishStatus.OPEN, WishStatus.CLAIMED, WishStatus.CONFIRMED],
            union__is_active=True,
        )
        .select_related("union")
        .only(
            "public_id",
            "beneficiary_name",
            "category",
            "wish",
            "estimated_value",
            "status",
            "posted_at",
            "union__name",
            "union__short_name",
        )
        # Open wishes first (the codes sort open > confirmed > claimed), then those taken
        # up; the newest first within each. Ties by the public token, not the key: the
        # page's links carry the last row's values, and the key is not shown in public.
        .order_by("-status", "-posted_at", "-public_id")
    )


# --- 送温暖活动统计表 (seed 004) -------------------------------------------------
def warmth_campaigns(*, user: Any) -> QuerySet[Any]:
    return Campaign.objects.visible_to(user).filter(kind=CampaignKind.SPRING_WARMTH)


def campaign_year(campaign: Campaign) -> int:
    """The year a 春节送温暖 notice is for: the year in its title, else its period, else
    the issue year (a notice of December is for the next spring)."""
    match = re.search(r"(20\d{2})年", campaign.title)
    if match:
        return int(match.group(1))
    if campaign.period_start:
        return campaign.period_start.year
    issued = campaign.issue_date
    return issued.year + 1 if issued.month >= 10 else issued.year


@dataclass
class WarmthRow:
    label: str
    path: str
    exact: bool = False  # only the union itself (本级), not its subtree
    aided: int = 0
    amount: Decimal = Decimal("0")
    donations: Decimal = Decimal("0")
    donors: int = 0
    visits: int = 0
    prev_people: int = 0
    prev_amount: Decimal = Decimal("0")

    def holds(self, path: str) -> bool:
        return path == self.path if self.exact else path.startswith(self.path)

    @property
    def amount_wan(self) -> Decimal:
        return (self.amount / WAN).quantize(Decimal("0.0001"))


@dataclass
class WarmthStats:
    union: Union
    campaign: Campaign
    year: int
    rows: list[WarmthRow] = field(default_factory=list)
    total: WarmthRow | None = None

    @property
    def aggregated(self) -> bool:
        return self.total is not None


def _net_by_file(qs: QuerySet[Any]) -> list[tuple[str, Decimal]]:
    rows = qs.values("file_id", "file__union__path").annotate(net=Sum("amount")).order_by()
    return [(r["file__union__path"], r["net"] or Decimal("0")) for r in rows]


def _fill(rows: Iterable[WarmthRow], path: str, apply: Any) -> None:
    for row in rows:
        if row.holds(path):
            apply(row)


def warmth_stats(
    *, user: Any | None, union: Union, campaign: Campaign, aggregate: bool = False
) -> WarmthStats:
    """The figures of the statistics sheet, for ``union`` (its subtree, as far as the
    user may see it) or one row per child union plus the union's own (本级) and 合计.

    * 受助人数: hardship files whose approved grants of the campaign net above zero
      (a fully reversed grant does not count);
    * 帮困金额: the net approved amount of the campaign, in 万元;
    * 一日捐筹措资金: the one-day donations for the campaign, in 元;
    * 慰问走访人数: the visits recorded for the campaign (one visit = one person);
    * previous year: approved grants dated in the previous calendar year, any campaign.
    """
    year = campaign_year(campaign)
    scope = union.path
    if aggregate:
        children = list(Union.objects.get_children(union).filter(is_active=True).order_by("path"))
        rows = [
            WarmthRow(label=_("%(name)s（本级）") % {"name": union.name}, path=scope, exact=True)
        ]
        rows += [WarmthRow(label=c.name, path=c.path) for c in children]
    else:
        rows = [WarmthRow(label=union.name, path=scope)]

    def seen(model: Any) -> Any:
        # ``user=None``: the report's own figures, within the active scope.
        return model.objects.all() if user is None else model.objects.visible_to(user)

    grants = seen(ReliefGrant).within(union).filter(status=GrantStatus.APPROVED)
    for path, net in _net_by_file(grants.filter(campaign=campaign)):
        _fill(rows, path, lambda r, net=net: _add_grant(r, net, current=True))
    prev = grants.filter(
        granted_on__gte=date(year - 1, 1, 1), granted_on__lte=date(year - 1, 12, 31)
    )
    for path, net in _net_by_file(prev):
        _fill(rows, path, lambda r, net=net: _add_grant(r, net, current=False))

    donations = (
        seen(Donation)
        .within(union)
        .filter(campaign=campaign)
        .values_list("union__path", "amount", "donors")
    )
    for path, amount, donors in donations:
        _fill(rows, path, lambda r, a=amount, d=donors: _add_donation(r, a, d))

    visits = (
        seen(Visit)
        .within(union)
        .filter(campaign=campaign)
        .values("union__path")
        .annotate(n=Count("id"))
        .order_by()
    )
    for v in visits:
        _fill(rows, v["union__path"], lambda r, n=v["n"]: setattr(r, "visits", r.visits + n))

    stats = WarmthStats(union=union, campaign=campaign, year=year, rows=rows)
    if aggregate:
        total = WarmthRow(label=str(_("合计")), path=scope)
        for row in rows:
            total.aided += row.aided
            total.amount += row.amount
            total.donations += row.donations
            total.donors += row.donors
            total.visits += row.visits
            total.prev_people += row.prev_people
            total.prev_amount += row.prev_amount
        stats.total = total
    return stats


def _add_grant(row: WarmthRow, net: Decimal, *, current: bool) -> None:
    if current:
        row.amount += net
        row.aided += 1 if net > 0 else 0
    else:
        row.prev_amount += net
        row.prev_people += 1 if net > 0 else 0


def _add_donation(row: WarmthRow, amount: Decimal, donors: int) -> None:
    row.donations += amount
    row.donors += donors
