"""Reads of the reports app, always limited to the user's scope."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, overload

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports import tally
from reports.figures import FIGURE_KEYS, figures_by_prefix, hours_by_month
from reports.models import MilestoneTally, Submission, SubmissionStatus, SubmissionVersion
from unions.models import Union
from unionvol.scoping import is_operator, union_of

FIGURE_LABELS = {
    "volunteers_registered": _("登记志愿者"),
    "volunteers_approved": _("审核通过志愿者"),
    "teams": _("志愿服务队"),
    "members": _("队员"),
    "projects": _("志愿服务项目"),
    "activities": _("活动次数"),
    "person_times": _("参与人次"),
    "hours": _("服务时长（小时）"),
    "points": _("积分"),
    "beneficiaries": _("服务对象人数"),
    "funds": _("物质或资金支持（元）"),
    "aided": _("受助人数"),
    "relief_amount": _("帮困金额（元）"),
}

STATE_LABELS = {
    "accepted": _("已采纳"),
    "on_time": _("按时报送"),
    "late": _("逾期报送"),
    "returned": _("已退回"),
    "missing": _("未报送"),
    "pending": _("未到期"),
}
STATE_CLASSES = {
    "accepted": "success",
    "on_time": "primary",
    "late": "warning",
    "returned": "info",
    "missing": "danger",
    "pending": "secondary",
}


def submissions_visible(user: Any) -> QuerySet[Submission]:
    return Submission.objects.visible_to(user)


def cell_state(sub: dict[str, Any] | None, due: date, today: date) -> str:
    if sub is None or sub["status"] == SubmissionStatus.DRAFT:
        return "missing" if today > due else "pending"
    if sub["status"] == SubmissionStatus.ACCEPTED:
        return "accepted"
    if sub["status"] == SubmissionStatus.RETURNED:
        return "returned"
    return "late" if sub["days_late"] else "on_time"


def timeliness(sub: dict[str, Any] | None) -> str:
    """Honest lateness, the one definition: ``on_time`` or ``late`` by the union's FIRST
    submission (acceptance, return or resubmission never change it), else ``missing``."""
    if sub is None or sub.get("first_submitted_at") is None:
        return "missing"
    return "late" if sub["first_days_late"] else "on_time"


@dataclass
class MilestoneColumn:
    milestone: Any
    counts: dict[str, int] = field(default_factory=dict)
    reporting_rate: float = 0.0
    on_time_rate: float = 0.0
    # 已报 / 按时 / 逾期 / 未报 over every addressed union in the user's scope.
    reported: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    late_rate: float = 0.0

    @property
    def count_items(self) -> list[tuple[Any, int]]:
        return [(STATE_LABELS[k], n) for k, n in self.counts.items() if n]


class MatrixRows(Sequence[tuple[Any, list[dict[str, Any]]]]):
    """The matrix's rows, ``(union, cells)`` in tree order, read a page at a time: its
    length is one COUNT, a slice reads that slice's unions and their submissions (two
    queries), so a page of a province's matrix does not load its thousand unions."""

    CHUNK = 500

    def __init__(
        self,
        addressees: QuerySet[Any],
        subs: QuerySet[Submission],
        columns: list[MilestoneColumn],
        today: date,
    ) -> None:
        self.addressees = addressees.select_related("union").order_by("union__path")
        self.subs = subs
        self.columns = columns
        self.today = today
        self._count: int | None = None

    def __len__(self) -> int:
        if self._count is None:
            self._count = self.addressees.count()
        return self._count

    def count(self) -> int:  # what Paginator asks
        return len(self)

    @overload
    def __getitem__(self, index: int) -> tuple[Any, list[dict[str, Any]]]: ...

    @overload
    def __getitem__(self, index: slice) -> list[tuple[Any, list[dict[str, Any]]]]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, int):
            return self[index : index + 1][0]
        unions = [row.union for row in self.addressees[index]]
        subs = {
            (s["union_id"], s["milestone_id"]): s
            for s in self.subs.filter(union_id__in=[u.pk for u in unions])
            .order_by()  # read into a dict: no join to the milestones to sort by
            .values("pk", "union_id", "milestone_id", "status", "days_late", "first_days_late")
        }
        rows = []
        for union in unions:
            cells = []
            for col in self.columns:
                sub = subs.get((union.pk, col.milestone.pk))
                state = cell_state(sub, col.milestone.due_date, self.today)
                cells.append(
                    {
                        "state": state,
                        "label": STATE_LABELS[state],
                        "css": STATE_CLASSES[state],
                        "pk": sub["pk"] if sub else None,
                        "days_late": sub["days_late"] if sub else 0,
                        # shown on every reported cell: acceptance never hides lateness
                        "first_days_late": sub["first_days_late"] if sub else 0,
                    }
                )
            rows.append((union, cells))
        return rows

    def __iter__(self) -> Iterator[tuple[Any, list[dict[str, Any]]]]:
        for start in range(0, len(self), self.CHUNK):
            yield from self[start : start + self.CHUNK]


@dataclass
class Matrix:
    columns: list[MilestoneColumn]
    rows: MatrixRows


def completeness_matrix(*, campaign: Any, user: Any, today: date | None = None) -> Matrix:
    """Addressed unions (in the user's scope) × milestones. The counts and rates of each
    milestone are one grouped query over the submissions, whatever the number of
    unions; the rows are read a page at a time (:class:`MatrixRows`)."""

    today = today or timezone.localdate()
    milestones = list(campaign.milestones.order_by("due_date", "pk"))
    own = union_of(user)
    # Through the notice (read through the scope by the view): its rows by its key.
    addressees = campaign.addressee_rows.all()
    if not is_operator(user):  # the addressees in the user's own subtree
        addressees = addressees.within(own) if own is not None else addressees.none()
    of_campaign = submissions_visible(user).filter(milestone_id__in=[m.pk for m in milestones])
    columns = [MilestoneColumn(m, dict.fromkeys(STATE_LABELS, 0)) for m in milestones]
    rows = MatrixRows(addressees, of_campaign, columns, today)
    n = len(rows)
    counted: dict[int, dict[str, Any]]
    if own is not None:  # the counts of the user's subtree, kept along the tree
        counted = {
            row["milestone_id"]: row
            for row in MilestoneTally.objects.filter(
                union=own, milestone_id__in=[m.pk for m in milestones]
            ).values("milestone_id", *tally.FIELDS)
        }
    else:  # the operator: every addressee, counted
        subs = of_campaign.filter(union_id__in=addressees.values("union_id"))
        counted = {row["milestone_id"]: row for row in tally.state_counts(subs)}
    for col in columns:
        row = counted.get(col.milestone.pk, {})
        for state in ("accepted", "returned", "late", "on_time"):
            col.counts[state] = row.get(state, 0)
        unsent = n - row.get("sent", 0)  # no submission, or a draft (cell_state)
        col.counts["missing" if today > col.milestone.due_date else "pending"] = unsent
        # Honest lateness (timeliness): by the first submission, whatever came after.
        col.on_time, col.late = row.get("first_on_time", 0), row.get("first_late", 0)
        col.missing = n - col.on_time - col.late
        col.reported = col.on_time + col.late
        col.reporting_rate = round(100 * col.reported / n, 1) if n else 0.0
        col.on_time_rate = round(100 * col.on_time / n, 1) if n else 0.0
        col.late_rate = round(100 * col.late / n, 1) if n else 0.0
    return Matrix(columns, rows)


@dataclass
class Totals:
    union: Any
    total: dict[str, Any]
    children: list[tuple[Any, dict[str, Any]]]
    months: list[tuple[str, float]]


def campaign_totals(*, campaign: Any, root: Any) -> Totals:
    """Totals over ``root``'s subtree and per child union: a fixed number of queries.

    At a province's scale this scans every participation below it (about a second for a
    million), so the figures are cached for UNIONVOL_DASHBOARD_CACHE_SECONDS in the
    shared cache; every app server reuses them.
    """
    children = list(Union.objects.get_children(root))
    seconds = settings.UNIONVOL_DASHBOARD_CACHE_SECONDS
    key = f"unionvol:totals:{campaign.pk}:{root.pk}:{len(children)}"
    cached = cache.get(key) if seconds else None
    if cached is None:
        # The union and its children from the same queries (one per app's rollup).
        per_child = figures_by_prefix([root.path, *(c.path for c in children)], campaign=campaign)
        cached = {
            "total": per_child[root.path].as_json(),
            "children": [per_child[c.path].as_json() for c in children],
            "months": hours_by_month(root, campaign=campaign),
        }
        if seconds:
            cache.set(key, cached, seconds)
    return Totals(
        union=root,
        total=cached["total"],
        children=list(zip(children, cached["children"], strict=True)),
        months=cached["months"],
    )


# A report stands, and its sheet prints what it said, while it is submitted or accepted. A
# draft never sent, or a report returned (or reopened) for correction, is no figure of the
# union's: the sheets print the live records for that union, marked as such.
STANDING = (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)


@dataclass(frozen=True)
class Reported:
    """One union's report for a milestone: its status, and ``data`` — the last submitted
    version's snapshot, with who filled it in and the day (``filler``, ``filled_on``,
    printed as 填表人 and 填表日期) — only while the report stands (:data:`STANDING`)."""

    status: str
    data: dict[str, Any] | None


def filled(snapshot: dict[str, Any], submitted_at: Any, filler: str) -> dict[str, Any]:
    """A version's snapshot with its 填表人 and 填表日期 (the day it was submitted)."""
    return snapshot | {
        "filler": filler,
        "filled_on": timezone.localtime(submitted_at).date().isoformat(),
    }


def person_name(first: str | None, last: str | None, username: str | None) -> str:
    """A user's name as the sheets print it (names are kept whole in ``first_name``)."""
    return f"{first or ''}{last or ''}".strip() or username or ""


def latest_reports(milestone: Any, union_ids: list[int]) -> dict[int, Reported]:
    """Per union that has a submission for ``milestone``: what it reported (see
    :class:`Reported`), in two queries."""
    statuses = dict(
        Submission.objects.filter(milestone=milestone, union_id__in=union_ids).values_list(
            "union_id", "status"
        )
    )
    standing = [u for u, status in statuses.items() if status in STANDING]
    snapshots: dict[int, dict[str, Any]] = {}
    if standing:
        versions = SubmissionVersion.objects.filter(
            submission__milestone=milestone, submission__union_id__in=standing
        ).values_list(
            "submission__union_id",
            "snapshot",
            "submitted_at",
            "submitted_by__first_name",
            "submitted_by__last_name",
            "submitted_by__username",
        )
        for uid, snapshot, at, first, last, username in versions.order_by("number"):
            # The highest number last.
            snapshots[uid] = filled(snapshot, at, person_name(first, last, username))
    return {uid: Reported(status, snapshots.get(uid)) for uid, status in statuses.items()}


def my_campaigns(user: Any) -> QuerySet[Any]:
    from campaigns.models import Campaign

    return Campaign.objects.visible_to(user).select_related("issuer").order_by("-issue_date")


def figure_items(values: dict[str, Any]) -> list[tuple[Any, Any]]:
    return [(FIGURE_LABELS[k], values.get(k, 0)) for k in FIGURE_KEYS]


def user_union(user: Any) -> Any:
    return union_of(user)
