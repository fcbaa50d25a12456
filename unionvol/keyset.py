"""Keyset paging: a page costs the same on page 1 and page 2,000, and no COUNT runs over
a province's hundred thousand rows.

A page is asked for by a cursor — the sort key of the row just before it (``after``)
or just after it (``before``) — instead of a page number, so the database seeks in
the index of the ordering and reads ``per_page + 1`` rows. The ordering must end in a
unique column (``pk``); then the cursor is stable: rows added or removed elsewhere
never repeat or skip a row across pages.

The total is told without counting every row: ``共 N 条`` when the rows fit on the
first page, else the planner's estimate (``约 N 条``, PostgreSQL) or a count stopped at
``count_cap`` (``10,000+``) — exact when the planner expects few rows at a low cost
(a grassroots union's), since then counting is cheap.
"""

from __future__ import annotations

import base64
import binascii
import json
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from time import monotonic
from typing import Any, ClassVar, Generic, TypeVar
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import EmptyResultSet, FieldDoesNotExist, ValidationError
from django.db import connections, models
from django.db.models import Q, QuerySet, prefetch_related_objects
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

_M = TypeVar("_M", bound=models.Model)

COUNT_CAP = 10_000  # beyond this the total reads "10,000+"
EXACT_BELOW = 2_000  # an estimate under this is replaced by an exact count…
EXACT_COST = 1_000.0  # …when the planner also expects it cheap (a union's few hundred rows)
BAD_CURSOR = gettext_lazy("翻页位置已失效，已回到第一页。")


class InvalidCursor(ValueError):
    """A cursor that does not decode, or was made for another ordering."""


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return value


@dataclass(frozen=True)
class Key:
    lookup: str  # e.g. "registered_at", "union__path", "pk"
    descending: bool
    field: models.Field[Any, Any]

    @property
    def attrs(self) -> list[str]:
        return self.lookup.split("__")


def _resolve(model: type[models.Model], lookup: str) -> models.Field[Any, Any]:
    current: Any = model
    field: Any = None
    for part in lookup.split("__"):
        field = current._meta.pk if part == "pk" else current._meta.get_field(part)
        if field.is_relation and field.related_model is not None:
            current = field.related_model
    if field is None or field.is_relation:
        raise FieldDoesNotExist(f"{lookup} is not a column to order by")
    return field  # type: ignore[no-any-return]


def parse_ordering(model: type[models.Model], ordering: Sequence[str]) -> list[Key]:
    keys = []
    for item in ordering:
        lookup = item.lstrip("-")
        keys.append(Key(lookup, item.startswith("-"), _resolve(model, lookup)))
    # Ends in a unique column: the primary key, or a public token where the key must not
    # show in a public page's links (the wish wall).
    if not keys or not (keys[-1].lookup in ("pk", "id") or keys[-1].field.unique):
        raise ValueError("a keyset ordering must end with the primary key or a unique column")
    return keys


@dataclass
class KeysetPage(Generic[_M]):
    object_list: list[_M]
    has_next: bool
    has_previous: bool
    next_cursor: str
    previous_cursor: str
    total: int | None  # exact, or None when only estimated / capped
    estimate: int | None
    capped: bool
    cap: int = COUNT_CAP

    def __iter__(self) -> Iterator[_M]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def total_label(self) -> str:
        """``共 1,234 条``, ``约 56,000 条`` or ``10,000+ 条``."""
        if self.total is not None:
            return _("共 %(n)s 条") % {"n": f"{self.total:,}"}
        if self.capped:
            return _("%(n)s+ 条") % {"n": f"{self.cap:,}"}
        return _("约 %(n)s 条") % {"n": f"{self.estimate or 0:,}"}


class KeysetPaginator(Generic[_M]):
    def __init__(
        self,
        queryset: QuerySet[_M],
        ordering: Sequence[str],
        *,
        per_page: int = 50,
        count_cap: int | None = None,
    ) -> None:
        self.queryset = queryset
        self.keys = parse_ordering(queryset.model, ordering)
        self.ordering = [k.lookup if not k.descending else f"-{k.lookup}" for k in self.keys]
        self.signature = ",".join(self.ordering)
        self.per_page = per_page
        self.count_cap = count_cap or COUNT_CAP

    # --- cursors --------------------------------------------------------------------------
    def cursor_for(self, obj: _M) -> str:
        values = []
        for key in self.keys:
            value: Any = obj
            for attr in key.attrs:
                value = value.pk if attr == "pk" else getattr(value, attr)
            values.append(_json_value(value))
        raw = json.dumps({"o": self.signature, "v": values}, ensure_ascii=False)
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    def decode(self, cursor: str) -> list[Any]:
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            data = json.loads(raw)
        except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
            raise InvalidCursor(cursor) from exc
        if not isinstance(data, dict) or data.get("o") != self.signature:
            raise InvalidCursor(cursor)
        values = data.get("v")
        if not isinstance(values, list) or len(values) != len(self.keys):
            raise InvalidCursor(cursor)
        out = []
        for key, value in zip(self.keys, values, strict=True):
            if not isinstance(value, str | int) or isinstance(value, bool):
                raise InvalidCursor(cursor)
            try:  # type, range, length and choices, as a form would check them
                parsed = key.field.clean(value, None)
            except (ValidationError, TypeError, ValueError, OverflowError) as exc:
                raise InvalidCursor(cursor) from exc
            if parsed is None or (isinstance(parsed, str) and "\x00" in parsed):
                raise InvalidCursor(cursor)
            out.append(parsed)
        return out

    def _beyond(self, keys: list[Key], values: list[Any], *, forward: bool) -> Q:
        """Rows strictly after ``values`` in the ordering of ``keys`` (``forward``) or
        before it.

        ``(a > x) OR (a = x AND b > y) OR …``, with the first key also bounded on its
        own (``a >= x``) so that the database seeks into the index instead of filtering
        from the top."""
        ors = Q()
        equal = Q()
        for key, value in zip(keys, values, strict=True):
            # going forward, a descending key moves down; going back, an ascending one
            op = "lt" if key.descending == forward else "gt"
            ors |= equal & Q(**{f"{key.lookup}__{op}": value})
            equal &= Q(**{key.lookup: value})
        first = keys[0]
        bound = "lte" if first.descending == forward else "gte"
        return Q(**{f"{first.lookup}__{bound}": values[0]}) & ors

    def _read(self, values: list[Any] | None, *, forward: bool, n: int) -> list[_M]:
        """Up to ``n`` rows beyond ``values`` (None: from the start) in the direction.

        A first key of few values (one with choices: a status) is read in two parts —
        the rest of the cursor's value, then the values beyond it — because with the
        whole condition in one query the database walks every row of that value before
        the cursor: the further the page, the slower. Each part seeks in the index."""
        ordering = (
            self.ordering
            if forward
            else [o[1:] if o.startswith("-") else f"-{o}" for o in self.ordering]
        )
        qs = self.queryset.order_by(*ordering)
        if values is None:
            return list(qs[:n])
        first = self.keys[0]
        if not first.field.choices or len(self.keys) < 2:
            return list(qs.filter(self._beyond(self.keys, values, forward=forward))[:n])
        prefetch = qs._prefetch_related_lookups  # type: ignore[attr-defined]
        qs = qs.prefetch_related(None)  # once, for both parts
        same = qs.filter(**{first.lookup: values[0]}).filter(
            self._beyond(self.keys[1:], values[1:], forward=forward)
        )
        rows = list(same[:n])
        if len(rows) < n:
            op = "lt" if first.descending == forward else "gt"
            rows += list(qs.filter(**{f"{first.lookup}__{op}": values[0]})[: n - len(rows)])
        prefetch_related_objects(rows, *prefetch)
        return rows

    # --- pages ----------------------------------------------------------------------------
    def page(self, *, after: str = "", before: str = "") -> KeysetPage[_M]:
        """The page after ``after``, before ``before``, or the first. Raises
        :class:`InvalidCursor` for a cursor that does not decode for this ordering."""
        n = self.per_page
        if before:
            rows = self._read(self.decode(before), forward=False, n=n + 1)
            has_previous = len(rows) > n
            rows = rows[:n][::-1]
            has_next = True
        else:
            rows = self._read(self.decode(after) if after else None, forward=True, n=n + 1)
            has_next = len(rows) > n
            rows = rows[:n]
            has_previous = bool(after)
        total, estimate, capped = self._total(rows, first=not (after or before), more=has_next)
        return KeysetPage(
            object_list=rows,
            has_next=has_next,
            has_previous=has_previous,
            next_cursor=self.cursor_for(rows[-1]) if has_next and rows else "",
            previous_cursor=self.cursor_for(rows[0]) if has_previous and rows else "",
            total=total,
            estimate=estimate,
            capped=capped,
            cap=self.count_cap,
        )

    def _total(
        self, rows: list[_M], *, first: bool, more: bool
    ) -> tuple[int | None, int | None, bool]:
        if first and not more:
            return len(rows), None, False
        planned = plan_estimate(self.queryset)
        if planned is not None and (planned[0] >= EXACT_BELOW or planned[1] > EXACT_COST):
            # Counting would read the whole subtree (a city's 10,000 rows for its 600
            # matches): the planner's figure is the answer.
            estimate = planned[0]
            if estimate >= self.count_cap:
                return None, None, True
            return None, _round(estimate), False
        counted, capped = capped_count(self.queryset, self.count_cap)
        return (None, None, True) if capped else (counted, None, False)


def capped_count(queryset: QuerySet[Any], cap: int) -> tuple[int, bool]:
    """``(n, False)`` for up to ``cap`` rows, else ``(cap, True)``: a count that stops
    reading at ``cap + 1`` rows, for a figure shown as ``1,000+``."""
    n = queryset.order_by()[: cap + 1].count()
    return (cap, True) if n > cap else (n, False)


def _round(n: int) -> int:
    """Two significant figures: an estimate should not look exact."""
    if n < 100:
        return n
    scale = int(10 ** (len(str(n)) - 2))
    return round(n / scale) * scale


ESTIMATE_SECONDS = 60  # an estimate is kept this long (per process) for the same query
_estimates: dict[tuple[str, str, tuple[str, ...]], tuple[float, int, float]] = {}
_estimates_lock = threading.Lock()


def estimate_count(queryset: QuerySet[Any]) -> int | None:
    """The planner's row estimate for ``queryset`` (PostgreSQL), without running it."""
    planned = plan_estimate(queryset)
    return None if planned is None else planned[0]


def plan_estimate(queryset: QuerySet[Any]) -> tuple[int, float] | None:
    """The planner's rows and total cost for reading all of ``queryset`` (PostgreSQL),
    without running it; the same query asked again within ESTIMATE_SECONDS reuses them
    (paging back and forth through a roster plans its total once a minute, not once a
    page)."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    plain = queryset.order_by()
    try:
        sql, params = plain.query.sql_with_params()
    except EmptyResultSet:  # .none(), or a filter that can match nothing
        return 0, 0.0
    key = (queryset.db, sql, tuple(str(p) for p in params))
    now = monotonic()
    with _estimates_lock:
        hit = _estimates.get(key)
    if hit is not None and now - hit[0] < ESTIMATE_SECONDS:
        return hit[1], hit[2]
    top = json.loads(plain.explain(format="json"))[0]["Plan"]
    rows, cost = int(top["Plan Rows"]), float(top["Total Cost"])
    with _estimates_lock:
        if len(_estimates) > 2_000:
            _estimates.clear()
        _estimates[key] = (now, rows, cost)
    return rows, cost


MAX_CURSOR = 2_000  # characters; a longer one was not made here


def keyset_page(
    request: HttpRequest, queryset: QuerySet[_M], ordering: Sequence[str], *, per_page: int = 50
) -> KeysetPage[_M]:
    """The page the request's ``after`` / ``before`` cursor names (see
    :class:`KeysetViewMixin`, which views with a class of their own use)."""
    paginator = KeysetPaginator(queryset, ordering, per_page=per_page)
    after = request.GET.get("after", "")
    before = "" if after else request.GET.get("before", "")
    try:
        if len(after) > MAX_CURSOR or len(before) > MAX_CURSOR:
            raise InvalidCursor(after or before)
        return paginator.page(after=after, before=before)
    except InvalidCursor:
        messages.warning(request, BAD_CURSOR)
        return paginator.page()


class KeysetViewMixin:
    """For list views: ``self.keyset_page(queryset, ordering)`` reads ``after`` /
    ``before`` from the query string; a cursor that does not decode (edited, or made for
    another sort) gives the first page and says so."""

    per_page: ClassVar[int] = 50
    request: HttpRequest

    def keyset_page(self, queryset: QuerySet[_M], ordering: Sequence[str]) -> KeysetPage[_M]:
        return keyset_page(self.request, queryset, ordering, per_page=self.per_page)
