"""Reads of the campaigns app. Every function starts from ``visible_to(user)`` (or an
object already fetched through it) and returns rows ready for a page: related rows
selected, counts annotated, so that pages run a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from campaigns.models import Campaign, CampaignAddressee, CampaignStatus, Milestone
from unionvol.scoping import is_operator, subtree_q, union_of

ZERO = Decimal("0")
_DEC = DecimalField(max_digits=12, decimal_places=2)


# --- campaigns -------------------------------------------------------------------------------


def writable_campaigns(*, user: Any) -> QuerySet[Campaign]:
    """Campaigns the user's staff may change: issued within the user's subtree."""
    if is_operator(user):
        return Campaign.objects.all()
    union = union_of(user)
    if union is None:
        return Campaign.objects.none()
    return Campaign.objects.within(union)


def readable_campaigns(*, user: Any) -> QuerySet[Campaign]:
    """Visible notices; drafts only to the issuer's subtree."""
    qs = Campaign.objects.visible_to(user)
    if is_operator(user):
        return qs
    union = union_of(user)
    if union is None:
        return qs.none()
    return qs.filter(~Q(status=CampaignStatus.DRAFT) | subtree_q(union, "issuer"))


def campaign_list(
    *, user: Any, kind: str = "", status: str = "", year: int | None = None
) -> QuerySet[Campaign]:
    """Notices with their next deadline (else the last one passed), the soonest first
    (undated last), and the reader's own addressee row.

    Each figure is a correlated subquery on an index (milestones by notice, addressees by
    notice and union), not a join grouped by every column of the notice: the same rows,
    and a query Django compiles in a third of the time. :func:`campaign_filter` is the
    same selection without them, for the count.
    """
    today = timezone.localdate()
    qs = campaign_filter(user=user, kind=kind, status=status, year=year).select_related("issuer")
    # The notice is read through the scope above; its parts are read by its key.
    dues = Milestone._base_manager.filter(campaign=OuterRef("pk")).values("due_date")
    qs = qs.annotate(
        next_due=Subquery(dues.filter(due_date__gte=today).order_by("due_date")[:1]),
        last_due=Subquery(dues.filter(due_date__lt=today).order_by("-due_date")[:1]),
    )
    union = union_of(user)
    if union is not None:
        mine = CampaignAddressee._base_manager.filter(campaign=OuterRef("pk"), union=union)
        qs = qs.annotate(
            my_addressee_id=Subquery(mine.values("pk")[:1]),
            my_read_at=Subquery(mine.values("read_at")[:1]),
        )
    return qs.order_by(F("next_due").asc(nulls_last=True), "-issue_date", "-pk")


def campaign_filter(
    *, user: Any, kind: str = "", status: str = "", year: int | None = None
) -> QuerySet[Campaign]:
    """The notices a list shows, without the figures of each row (its count)."""
    qs = readable_campaigns(user=user)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(issue_date__year=year)
    return qs


def campaign_overview(*, user: Any) -> tuple[int, list[int]]:
    """How many notices the user may read, and the years they span (newest first): one
    aggregate, for the list's count when it is not filtered and its year filter."""
    row = readable_campaigns(user=user).aggregate(
        n=Count("pk"), first=Min("issue_date"), last=Max("issue_date")
    )
    if not row["n"]:
        return 0, []
    return row["n"], list(range(row["last"].year, row["first"].year - 1, -1))


def campaign_addressees(*, campaign: Campaign) -> list[CampaignAddressee]:
    """Addressed unions with their read state, in tree order (every one: for sheets)."""
    return list(campaign.addressee_rows.select_related("union", "read_by").order_by("union__path"))


ADDRESSEE_ORDER = ("union__path", "pk")
ADDRESSEE_STATES = ("read", "unread")


@dataclass
class AddresseeSummary:
    """What the notice's page says of its addressees, whatever their number: how many,
    how many have read it, and the first few in tree order (the list pages the rest)."""

    total: int
    read: int
    first: list[CampaignAddressee]
    mine: CampaignAddressee | None = None  # the row of the reader's own union

    @property
    def unread(self) -> int:
        return self.total - self.read

    @property
    def more(self) -> bool:
        return self.total > len(self.first)


ADDRESSEE_PREVIEW = 20


def addressee_summary(*, campaign: Campaign, union: Any = None) -> AddresseeSummary:
    """The first ADDRESSEE_PREVIEW rows; when there are more, one query for the counts by
    read state and the row of ``union`` (the reader's) — a plain count of the notice's
    addressee rows, without the joins of the rows shown (a window count beside the rows
    would join every addressee to its union before the LIMIT)."""
    rows = list(
        addressee_list(campaign=campaign).order_by(*ADDRESSEE_ORDER)[: ADDRESSEE_PREVIEW + 1]
    )
    if len(rows) <= ADDRESSEE_PREVIEW:  # all of them: count here
        mine = next((a for a in rows if union is not None and a.union_id == union.pk), None)
        return AddresseeSummary(len(rows), sum(1 for a in rows if a.read_at), rows, mine)
    own = Q(union_id=union.pk if union is not None else None)
    counts = campaign.addressee_rows.aggregate(
        total=Count("pk"),
        read=Count("read_at"),
        mine=Max("pk", filter=own),
        mine_read_at=Max("read_at", filter=own),
    )
    mine = None
    if counts["mine"] is not None:
        mine = CampaignAddressee(
            pk=counts["mine"], campaign=campaign, union=union, read_at=counts["mine_read_at"]
        )
    return AddresseeSummary(counts["total"], counts["read"], rows[:ADDRESSEE_PREVIEW], mine)


def addressee_list(*, campaign: Campaign, state: str = "") -> QuerySet[CampaignAddressee]:
    """The addressees for the full list (keyset-paged by ADDRESSEE_ORDER), by read state."""
    qs = campaign.addressee_rows.select_related("union", "read_by")
    if state == "read":
        qs = qs.filter(read_at__isnull=False)
    elif state == "unread":
        qs = qs.filter(read_at__isnull=True)
    return qs
