"""The completeness matrix's counts along the tree (``MilestoneTally``).

The matrix of a notice counts, for each milestone, the submissions of the addressees
in the reader's subtree by state. Counted from the submissions, that is a scan of every
submission below a province (34,000 at ten times the load test's scale) each time a
dashboard opens. ``MilestoneTally`` keeps the answer for every union and milestone, the
union's whole subtree counted, so the matrix reads one row per milestone.

The definitions of the states are :data:`STATES`, used by the tally and by the live
count alike. The rows are kept current by the ``unionvol.rollups`` machinery: a saved
or deleted submission (or addressee) *touches* its union × notice, and the rows of that
union and of every union above it are recomputed from the submissions, in the same
transaction (one grouped query over the top ancestor's subtree, the rows locked first,
so two writers below one province recompute one after the other). A write costs a scan
of the province's submissions of that notice; a read costs one row per milestone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet

from campaigns.models import Campaign, CampaignAddressee, Milestone
from reports.models import MilestoneTally, Submission, SubmissionStatus
from unions.models import Union
from unionvol import rollups
from unionvol.figures import common_prefix
from unionvol.rollups import BATCH, Cell, Computed, lock_row
from unionvol.scoping import subtree_q, system_scope

_FIRST = Q(first_submitted_at__isnull=False)
# The one definition of each state the matrix counts (a submission in several).
STATES: dict[str, Q] = {
    "accepted": Q(status=SubmissionStatus.ACCEPTED),
    "returned": Q(status=SubmissionStatus.RETURNED),
    "late": Q(status=SubmissionStatus.SUBMITTED, days_late__gt=0),
    "on_time": Q(status=SubmissionStatus.SUBMITTED, days_late=0),
    "sent": ~Q(status=SubmissionStatus.DRAFT),
    # Honest lateness: by the first submission, whatever came after.
    "first_late": _FIRST & Q(first_days_late__gt=0),
    "first_on_time": _FIRST & Q(first_days_late=0),
}
FIELDS = tuple(STATES)
Key = tuple[int, int]  # (milestone id, union id)
# Past this many unions to recompute at once, the notice's rows are rebuilt instead (one
# pass over its submissions beats one count per union in a single query).
REFRESH_LIMIT = 24


def state_counts(submissions: QuerySet[Any], *by: str) -> QuerySet[Any]:
    """``submissions`` counted by state, grouped by the fields ``by`` (default: the
    milestone; one row per value)."""
    return (
        submissions.values(*(by or ("milestone_id",)))
        .order_by()
        .annotate(**{name: Count("pk", filter=q) for name, q in STATES.items()})
    )


def _submissions(campaign_id: int) -> QuerySet[Submission]:
    """The notice's submissions by its addressees (read whole: called in the system scope)."""
    addressed = CampaignAddressee._base_manager.filter(campaign_id=campaign_id)
    return Submission.objects.filter(
        milestone__campaign_id=campaign_id, union_id__in=addressed.values("union_id")
    )


def _ancestors(path: str) -> list[str]:
    step = Union.steplen
    return [path[:i] for i in range(step, len(path) + 1, step)]


def computed(campaign_id: int) -> dict[Key, dict[str, int]]:
    """Every nonzero row of the notice, from the submissions: each union's own counts
    (one grouped query), added up into each of its ancestors."""
    rows = state_counts(_submissions(campaign_id), "milestone_id", "union__path")
    by_path: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    for row in rows:
        for path in _ancestors(row["union__path"]):
            into = by_path[(row["milestone_id"], path)]
            for name in FIELDS:
                into[name] += row[name]
    ids = dict(Union.objects.filter(path__in={p for _m, p in by_path}).values_list("path", "pk"))
    return {
        (milestone, ids[path]): values
        for (milestone, path), values in by_path.items()
        if any(values.values())
    }


class MilestoneTallies(rollups.RollupTable):
    """``MilestoneTally`` in the rollups' registry: a touched cell (union, notice)
    recomputes the rows of the union's ancestors; rebuild and check as the others."""

    name = "reports"
    model = MilestoneTally
    fields = FIELDS

    def compute(self, campaign: Any, union_ids: Collection[int] | None) -> dict[int, Computed]:
        raise NotImplementedError("rows by milestone and ancestor: see refresh and rebuild")

    def campaign_ids(self) -> list[int | None]:
        return list(Campaign._base_manager.order_by("pk").values_list("pk", flat=True))

    def refresh(self, cells: Iterable[Cell]) -> None:
        by_campaign: dict[int, set[int]] = defaultdict(set)
        for union_id, campaign_id in cells:
            if union_id is not None and campaign_id is not None:
                by_campaign[campaign_id].add(union_id)
        with system_scope(), transaction.atomic():
            for campaign_id in sorted(by_campaign):
                self._refresh(campaign_id, by_campaign[campaign_id])

    def _refresh(self, campaign_id: int, union_ids: set[int]) -> None:
        lock_row(Campaign, campaign_id, "SHARE")  # no rebuild of the notice meanwhile
        paths = Union.objects.filter(pk__in=union_ids).values_list("path", flat=True)
        above = sorted({a for p in paths for a in _ancestors(p)})
        milestones = list(
            Milestone._base_manager.filter(campaign_id=campaign_id).values_list("pk", flat=True)
        )
        if not above or not milestones:
            return
        if len(above) > REFRESH_LIMIT:  # many unions at once (a notice's addressees)
            self._rebuild(campaign_id)
            return
        ids = dict(Union.objects.filter(path__in=above).values_list("path", "pk"))
        keys = sorted((m, ids[p]) for m in milestones for p in above)
        # The rows are the locks: make sure they exist, lock them, then count.
        rows = MilestoneTally.objects.filter(milestone_id__in=milestones, union_id__in=ids.values())
        MilestoneTally.objects.bulk_create(
            [MilestoneTally(milestone_id=m, union_id=u) for m, u in keys], ignore_conflicts=True
        )
        locked = list(rows.select_for_update().order_by("union_id", "milestone_id"))
        counts = {
            name: Count("pk", filter=subtree_q(path, "union") & q)
            for i, path in enumerate(above)
            for name, q in ((f"{n}_{i}", q) for n, q in STATES.items())
        }
        subs = _submissions(campaign_id).filter(subtree_q(common_prefix(above), "union"))
        got: dict[int, dict[str, Any]] = {
            r["milestone_id"]: dict(r)
            for r in subs.values("milestone_id").order_by().annotate(**counts)
        }
        index = {ids[p]: i for i, p in enumerate(above)}
        for row in locked:
            found = got.get(row.milestone_id, {})
            for name in FIELDS:
                setattr(row, name, found.get(f"{name}_{index[row.union_id]}", 0))
        MilestoneTally.objects.bulk_update(locked, FIELDS, batch_size=BATCH)

    def rebuild(self, campaign_ids: Iterable[int | None] | None = None) -> int:
        kept = 0
        with system_scope():
            for campaign_id in self.campaign_ids() if campaign_ids is None else campaign_ids:
                if campaign_id is not None:
                    with transaction.atomic():
                        kept += self._rebuild(campaign_id)
        return kept

    def _rebuild(self, campaign_id: int) -> int:
        lock_row(Campaign, campaign_id, "NO KEY UPDATE")
        want = computed(campaign_id)
        MilestoneTally.objects.filter(milestone__campaign_id=campaign_id).delete()
        MilestoneTally.objects.bulk_create(
            [
                MilestoneTally(milestone_id=m, union_id=u, **values)
                for (m, u), values in sorted(want.items())
            ],
            batch_size=BATCH,
        )
        return len(want)

    def differences(self, campaign_ids: Iterable[int | None] | None = None) -> list[str]:
        lines: list[str] = []
        zero = dict.fromkeys(FIELDS, 0)
        with system_scope():
            for campaign_id in self.campaign_ids() if campaign_ids is None else campaign_ids:
                if campaign_id is None:
                    continue
                want = computed(campaign_id)
                have = {
                    (r["milestone_id"], r["union_id"]): {n: r[n] for n in FIELDS}
                    for r in MilestoneTally.objects.filter(
                        milestone__campaign_id=campaign_id
                    ).values("milestone_id", "union_id", *FIELDS)
                }
                for key in sorted(set(want) | set(have)):
                    w, h = want.get(key, zero), have.get(key, zero)
                    for name in FIELDS:
                        if w[name] != h[name]:
                            lines.append(
                                f"{self.name} milestone={key[0]} union={key[1]} "
                                f"campaign={campaign_id} {name}: "
                                f"stored {h[name]}, records {w[name]}"
                            )
        return lines


TABLE = rollups.register(MilestoneTallies())


def touch(cells: Iterable[Cell]) -> None:
    """For writes that send no signals (``QuerySet.update`` of a submission)."""
    rollups.touch(TABLE, cells)


def connect() -> None:
    rollups.track(TABLE, Submission, union="union_id", campaign="milestone__campaign_id")
    rollups.track(TABLE, CampaignAddressee, union="union_id", campaign="campaign_id")
