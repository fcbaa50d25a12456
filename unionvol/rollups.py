"""Rollups: each union's figures per campaign, kept beside the records.

A province's dashboard used to sum a million participations each time; now every app
that defines figures (``volunteers``, ``service``, ``relief``) also keeps a *rollup*
table: one row per *cell* — one union (its own records, not its subtree) × one
campaign — holding what the app's ``figures.py`` computes for that cell, by the same
definition. A subtree's figures are then one ``SUM … GROUP BY`` over the rows of the
unions under it: at most as many rows as it has unions.

**Current in the same transaction as the write.** A cell is recomputed from the records
(never patched by a delta) by the write that changes it, before that write commits:

* model signals (``post_save``, ``post_delete``; :func:`track`) name the cells a saved or
  deleted row belongs to, before and after, so services, the admin, the demo loader,
  the shell and the tests' factories all keep the rollups current;
* services that write many rows at once run in :func:`batch` (:func:`batched`), which
  recomputes each touched cell once, at the end, inside the service's transaction;
* writes that send no signals (``bulk_create``, ``QuerySet.update``) call :func:`touch`
  themselves — the volunteer import does — or end with :func:`rebuild_rollups`, as the
  scale-data generator does.

Figures that depend on the campaign's own settings (the service record's period, points
rates and milestone dates: :func:`track_settings`) are rebuilt for the whole campaign
when those change.

**Concurrency (PostgreSQL, READ COMMITTED).** A refresh first takes the campaign row
``FOR SHARE``, then locks its cell rows ``FOR UPDATE`` and only then reads the records:
of two writers of one cell the second recomputes after the first has committed, and so
sees its rows. A campaign rebuild holds the campaign row ``FOR NO KEY UPDATE`` (as a
campaign edit's own ``UPDATE`` does), so no refresh of that campaign reads a period or
rate being changed. SQLite runs one writer at a time and needs none of this.

``manage.py check_rollups`` recomputes every cell from the records and lists each
difference (``--fix`` rebuilds).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from functools import wraps
from typing import Any, ClassVar, ParamSpec, TypeVar

from django.db import connection, models, transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from unionvol.scoping import system_scope

Cell = tuple[int, int | None]  # (union id, campaign id); None: no campaign
BATCH = 1000

_P = ParamSpec("_P")
_R = TypeVar("_R")


@dataclass
class Computed:
    """One cell computed from the records: its figures, and its finer rows if any
    (``details[name][key]``: the figures of one period, of one project…)."""

    values: dict[str, Any] = field(default_factory=dict)
    details: dict[str, dict[Any, dict[str, Any]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Detail:
    """Rows finer than a cell, kept with it: ``model`` has ``union`` and ``campaign``
    foreign keys, the ``key`` column (a period's start, a project's id) and one column per
    name in ``fields``; one row per cell and key."""

    name: str
    model: type[models.Model]
    key: str
    fields: tuple[str, ...]


class RollupTable:
    """An app's rollup: ``model`` has ``union`` and ``campaign`` foreign keys and one
    column per name in ``fields``; each of ``details`` (optional) rows finer than a cell,
    recomputed with it. The app implements :meth:`compute` with its figure definitions;
    the rest is shared."""

    name: ClassVar[str]
    model: ClassVar[type[models.Model]]
    fields: ClassVar[tuple[str, ...]]
    details: ClassVar[tuple[Detail, ...]] = ()
    # Also the cells of records that belong to no campaign (campaign NULL).
    campaignless: ClassVar[bool] = False

    def compute(self, campaign: Any, union_ids: Collection[int] | None) -> dict[int, Computed]:
        """``{union_id: Computed}`` from the records, for each of ``union_ids`` (None:
        every union) that has any; ``campaign`` is None for the campaignless cells."""
        raise NotImplementedError

    # --- shared -------------------------------------------------------------------------
    @property
    def campaign_model(self) -> type[models.Model]:
        return self.model._meta.get_field("campaign").related_model  # type: ignore[return-value]

    def campaign_ids(self) -> list[int | None]:
        ids: list[int | None] = list(
            self.campaign_model._default_manager.order_by("pk").values_list("pk", flat=True)
        )
        return [None, *ids] if self.campaignless else ids

    def refresh(self, cells: Iterable[Cell]) -> None:
        """Recompute these cells from the records (see the module's notes on locking)."""
        by_campaign: dict[int | None, set[int]] = defaultdict(set)
        for union_id, campaign_id in cells:
            if union_id is not None and (campaign_id is not None or self.campaignless):
                by_campaign[campaign_id].add(union_id)
        if not by_campaign:
            return
        with system_scope(), transaction.atomic():
            for campaign_id in sorted(by_campaign, key=lambda c: -1 if c is None else c):
                self._sync(campaign_id, sorted(by_campaign[campaign_id]))

    def rebuild(self, campaign_ids: Iterable[int | None] | None = None) -> int:
        """Recompute every cell of these campaigns (None: all); the number of cells kept."""
        kept = 0
        with system_scope():
            for campaign_id in self.campaign_ids() if campaign_ids is None else campaign_ids:
                with transaction.atomic():  # one campaign's writers wait, not every campaign's
                    kept += self._sync(campaign_id, None)
        return kept

    def differences(self, campaign_ids: Iterable[int | None] | None = None) -> list[str]:
        """Each stored figure that is not what the records give, as one line."""
        lines: list[str] = []
        with system_scope():
            for campaign_id in self.campaign_ids() if campaign_ids is None else campaign_ids:
                lines += self._differences(campaign_id)
        return lines

    def cells_checked(self) -> int:
        with system_scope():
            return self.model._default_manager.count()

    # --- internals ----------------------------------------------------------------------
    def _campaign(self, campaign_id: int | None, lock: str | None) -> Any:
        if campaign_id is None:
            return None
        model = self.campaign_model
        if lock:
            lock_row(model, campaign_id, lock)
        return model._default_manager.filter(pk=campaign_id).first()

    def _rows(self, campaign_id: int | None) -> models.QuerySet[Any]:
        return self.model._default_manager.filter(campaign_id=campaign_id)

    def _details(self, detail: Detail, campaign_id: int | None) -> models.QuerySet[Any]:
        return detail.model._default_manager.filter(campaign_id=campaign_id)

    def _sync(self, campaign_id: int | None, union_ids: list[int] | None) -> int:
        """Make the stored cells of one campaign what the records give: the cells of
        ``union_ids``, or (None) every cell of the campaign."""
        whole = union_ids is None
        campaign = self._campaign(campaign_id, "NO KEY UPDATE" if whole else "SHARE")
        if campaign_id is not None and campaign is None:
            return 0  # the campaign is gone, and its rows with it (CASCADE)
        rows = self._rows(campaign_id)
        computed: dict[int, Computed]
        if union_ids is None:
            computed = self.compute(campaign, None)
            locked = list(rows.select_for_update().order_by("union_id"))
            gone = [r.pk for r in locked if r.union_id not in computed]
            locked = [r for r in locked if r.union_id in computed]
            if gone:
                rows.filter(pk__in=gone).delete()
            have = {r.union_id for r in locked}
            new = [
                self.model(union_id=u, campaign_id=campaign_id)
                for u in sorted(computed)
                if u not in have
            ]
        else:
            # The cell rows are the locks: make sure they exist, lock them, then read.
            self.model._default_manager.bulk_create(
                [self.model(union_id=u, campaign_id=campaign_id) for u in union_ids],
                ignore_conflicts=True,
            )
            locked = list(
                rows.filter(union_id__in=union_ids).select_for_update().order_by("union_id")
            )
            computed = self.compute(campaign, union_ids)
            new = []
        empty = Computed(values=dict.fromkeys(self.fields, 0))
        for row in [*locked, *new]:
            cell = computed.get(row.union_id, empty)
            for name in self.fields:
                setattr(row, name, cell.values.get(name) or 0)
        if locked:
            self.model._default_manager.bulk_update(locked, self.fields, batch_size=BATCH)
        if new:
            self.model._default_manager.bulk_create(new, batch_size=BATCH)
        for detail in self.details:
            rows = self._details(detail, campaign_id)
            if union_ids is not None:
                rows = rows.filter(union_id__in=union_ids)
            rows.delete()
            detail.model._default_manager.bulk_create(
                [
                    detail.model(
                        union_id=u,
                        campaign_id=campaign_id,
                        **{detail.key: key},
                        **{n: values.get(n) or 0 for n in detail.fields},
                    )
                    for u, cell in sorted(computed.items())
                    for key, values in sorted(cell.details.get(detail.name, {}).items())
                ],
                batch_size=BATCH,
            )
        return len(computed)

    def _stored(self, campaign_id: int | None) -> dict[int, Computed]:
        stored: dict[int, Computed] = {}
        for row in self._rows(campaign_id).values("union_id", *self.fields):
            stored[row["union_id"]] = Computed(values={n: row[n] for n in self.fields})
        for detail in self.details:
            for row in self._details(detail, campaign_id).values(
                "union_id", detail.key, *detail.fields
            ):
                cell = stored.setdefault(row["union_id"], Computed())
                rows = cell.details.setdefault(detail.name, {})
                rows[row[detail.key]] = {n: row[n] for n in detail.fields}
        return stored

    def _differences(self, campaign_id: int | None) -> list[str]:
        campaign = self._campaign(campaign_id, None)
        if campaign_id is not None and campaign is None:
            return []
        want = self.compute(campaign, None)
        have = self._stored(campaign_id)
        lines = []
        for union_id in sorted(set(want) | set(have)):
            w, h = want.get(union_id, Computed()), have.get(union_id, Computed())
            where = f"{self.name} union={union_id} campaign={campaign_id}"
            for name in self.fields:
                a, b = _plain(h.values.get(name)), _plain(w.values.get(name))
                if a != b:
                    shown = _shown(self.model, name, a), _shown(self.model, name, b)
                    lines.append(f"{where} {name}: stored {shown[0]}, records {shown[1]}")
            for detail in self.details:
                wd, hd = w.details.get(detail.name, {}), h.details.get(detail.name, {})
                keys = {k for k, v in wd.items() if _nonzero(v)}
                keys |= {k for k, v in hd.items() if _nonzero(v)}
                for key in sorted(keys):
                    for name in detail.fields:
                        a = _plain(hd.get(key, {}).get(name))
                        b = _plain(wd.get(key, {}).get(name))
                        if a != b:
                            shown = _shown(detail.model, name, a), _shown(detail.model, name, b)
                            lines.append(
                                f"{where} {detail.key}={key} {name}: "
                                f"stored {shown[0]}, records {shown[1]}"
                            )
        return lines


def _plain(value: Any) -> Decimal:
    """Figures compared as exact decimals (0 for none)."""
    return Decimal(str(value or 0))


def _shown(model: type[models.Model], name: str, value: Decimal) -> str:
    """A figure as its column holds it (``6.0`` hours, ``42.00`` points, ``3`` people)."""
    places = getattr(model._meta.get_field(name), "decimal_places", None) or 0
    return str(value.quantize(Decimal(1).scaleb(-places)))


def _nonzero(values: dict[str, Any]) -> bool:
    return any(_plain(v) for v in values.values())


def lock_row(model: type[models.Model], pk: int, mode: str) -> None:
    """``SELECT … FOR <mode>`` of one row (PostgreSQL; SQLite has one writer at a time)."""
    if connection.vendor != "postgresql":
        return
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.pk.column or "id")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {table} WHERE {column} = %s FOR {mode}", [pk])  # noqa: S608


# --- the registry ---------------------------------------------------------------------------

_tables: dict[str, RollupTable] = {}


def register(table: RollupTable) -> RollupTable:
    _tables[table.name] = table
    return table


def tables() -> list[RollupTable]:
    return list(_tables.values())


def rebuild_rollups(campaign_ids: Iterable[int | None] | None = None) -> dict[str, int]:
    """Recompute every rollup from the records (after bulk writes, or ``check_rollups --fix``)."""
    ids = None if campaign_ids is None else list(campaign_ids)
    return {t.name: t.rebuild(ids) for t in tables()}


def rollup_differences(campaign_ids: Iterable[int | None] | None = None) -> list[str]:
    ids = None if campaign_ids is None else list(campaign_ids)
    return [line for t in tables() for line in t.differences(ids)]


def refresh_rollups(union: Any, campaign: Any) -> None:
    """Recompute one cell (a union's own figures for a campaign) in every rollup."""
    touch_all([(union.pk, getattr(campaign, "pk", campaign))])


def touch_all(cells: Iterable[Cell]) -> None:
    """These cells changed in a way no signal told (a ``bulk_create`` of a campaign's
    addressees): recompute them in every rollup, now or at the end of the batch."""
    cells = set(cells)
    for table in tables():
        touch(table, cells)


# --- keeping them current -------------------------------------------------------------------


@dataclass
class _Pending:
    cells: dict[str, set[Cell]] = field(default_factory=lambda: defaultdict(set))
    campaigns: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))


_pending: ContextVar[_Pending | None] = ContextVar("unionvol_rollups", default=None)


def touch(table: RollupTable, cells: Iterable[Cell]) -> None:
    """These cells of ``table`` changed: recompute them now, or at the end of the batch."""
    cells = set(cells)
    if not cells:
        return
    pending = _pending.get()
    if pending is not None:
        pending.cells[table.name] |= cells
    else:
        table.refresh(cells)


def touch_campaign(table: RollupTable, campaign_id: int | None) -> None:
    """A setting the campaign's figures depend on changed: rebuild its cells of ``table``."""
    if campaign_id is None:
        return
    pending = _pending.get()
    if pending is not None:
        pending.campaigns[table.name].add(campaign_id)
    else:
        table.rebuild([campaign_id])


@contextmanager
def batch() -> Iterator[None]:
    """One transaction in which each touched cell is recomputed once, at the end."""
    if _pending.get() is not None:  # already inside one: the outermost recomputes
        yield
        return
    pending = _Pending()
    token = _pending.set(pending)
    with transaction.atomic():
        try:
            yield
        finally:
            _pending.reset(token)
        _flush(pending)


def batched(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """``@batched``: the service runs in :func:`batch` (a transaction of its own)."""

    @wraps(fn)
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with batch():
            return fn(*args, **kwargs)

    return wrapped


def _flush(pending: _Pending) -> None:
    for table in tables():
        rebuilt = pending.campaigns.get(table.name, set())
        if rebuilt:
            table.rebuild(sorted(rebuilt))
        cells = {c for c in pending.cells.get(table.name, ()) if c[1] not in rebuilt}
        if cells:
            table.refresh(cells)


def _cells_of(model: type[models.Model], pk: Any, union: str, campaign: str) -> set[Cell]:
    with system_scope():
        rows = model._default_manager.filter(pk=pk).order_by().values_list(union, campaign)
        return {(u, c) for u, c in rows if u is not None}


def track(table: RollupTable, model: type[models.Model], *, union: str, campaign: str) -> None:
    """Keep ``table`` current when a row of ``model`` is saved or deleted: ``union`` and
    ``campaign`` are the ORM paths from the row to the union and campaign ids of its cell
    (e.g. ``"activity__team__union_id"``). The cells before and after a save are both
    recomputed, so a row moved to another union or campaign leaves the old cell right."""
    attr = f"_rollup_cells_{table.name}"
    uid = f"rollups:{table.name}:{model._meta.label}"

    def before(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
        if not raw and instance.pk is not None and not instance._state.adding:
            instance.__dict__[attr] = _cells_of(model, instance.pk, union, campaign)

    def after_save(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
        if raw:
            return
        old = instance.__dict__.pop(attr, set())
        touch(table, old | _cells_of(model, instance.pk, union, campaign))

    def after_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
        touch(table, instance.__dict__.pop(attr, set()))

    pre_save.connect(before, sender=model, weak=False, dispatch_uid=f"{uid}:pre_save")
    post_save.connect(after_save, sender=model, weak=False, dispatch_uid=f"{uid}:post_save")
    pre_delete.connect(before, sender=model, weak=False, dispatch_uid=f"{uid}:pre_delete")
    post_delete.connect(after_delete, sender=model, weak=False, dispatch_uid=f"{uid}:post_delete")


def track_settings(
    table: RollupTable,
    model: type[models.Model],
    *,
    campaign: str,
    fields: tuple[str, ...],
    on_create: bool = False,
) -> None:
    """Rebuild the campaign's cells of ``table`` when ``fields`` of a ``model`` row change
    (``campaign``: the ORM path to the campaign id): a campaign's period or points rates,
    a milestone's due date. ``on_create``: a new row changes them too (a milestone)."""
    attr = f"_rollup_settings_{table.name}"
    uid = f"rollups-settings:{table.name}:{model._meta.label}"

    def current(pk: Any) -> dict[str, Any] | None:
        with system_scope():
            return model._default_manager.filter(pk=pk).values(campaign, *fields).first()

    def before(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
        if not raw and instance.pk is not None and not instance._state.adding:
            instance.__dict__[attr] = current(instance.pk)

    def after_save(
        sender: Any, instance: Any, created: bool = False, raw: bool = False, **kwargs: Any
    ) -> None:
        if raw:
            return
        old = instance.__dict__.pop(attr, None)
        new = current(instance.pk)
        if new is None:
            return
        if old is None:
            if created and on_create:
                touch_campaign(table, new[campaign])
        elif old != new:
            touch_campaign(table, old[campaign])
            touch_campaign(table, new[campaign])

    def after_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
        old = instance.__dict__.pop(attr, None)
        if old is not None:
            touch_campaign(table, old[campaign])

    pre_save.connect(before, sender=model, weak=False, dispatch_uid=f"{uid}:pre_save")
    post_save.connect(after_save, sender=model, weak=False, dispatch_uid=f"{uid}:post_save")
    pre_delete.connect(before, sender=model, weak=False, dispatch_uid=f"{uid}:pre_delete")
    post_delete.connect(after_delete, sender=model, weak=False, dispatch_uid=f"{uid}:post_delete")
