"""What awaits a user on the home page.

Each app registers a provider ``(user) -> Iterable[AwaitingItem]``; the home page
shows the items whose count is not zero. Providers must use the scoped selectors of
their app, and give each count as the queryset to count (or a :class:`Total` to sum),
not as a number: the home page reads every count of every app in one statement
(:func:`tally`), where ten ``count()`` calls cost ten round trips and ten aggregate
queries for Django to build.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, QuerySet
from django.utils.functional import Promise


@dataclass(frozen=True)
class Total:
    """The sum of ``columns`` over a queryset's rows (counts kept in a rollup)."""

    queryset: QuerySet[Any]
    column: str
    more: tuple[str, ...] = ()


@dataclass(frozen=True)
class Difference:
    """One count less another (a subtree's count less the union's own rows)."""

    left: Countable
    right: Countable


Countable = QuerySet[Any] | Total | Difference | int


@dataclass(frozen=True)
class AwaitingItem:
    label: str | Promise
    count: Countable
    url: str
    level: str = "primary"  # bootstrap colour: primary, warning, danger


Provider = Callable[[Any], Iterable[AwaitingItem]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def awaiting_for(user: Any) -> list[AwaitingItem]:
    """Every provider's items, their counts read together; those at zero left out."""
    items = [item for provider in _providers for item in provider(user)]
    counts = tally([item.count for item in items])
    return [replace(item, count=n) for item, n in zip(items, counts, strict=True) if n]


def tally(countables: Sequence[Countable]) -> list[int]:
    """The number of rows of each queryset (the sum of a :class:`Total`'s columns), read in
    one ``SELECT (SELECT COUNT(*) FROM (…)), …`` — each inner query compiled by the ORM
    from the scoped queryset as given, so its scope is the queryset's own."""
    parts: list[str] = []
    params: list[Any] = []
    using = "default"
    for countable in countables:
        sql, inner, db = _expression(countable, len(parts))
        using = db or using
        parts.append(sql)
        params.extend(inner)
    if not parts:
        return []
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return [int(n or 0) for n in row]


def _expression(countable: Countable, i: int) -> tuple[str, list[Any], str]:
    """``(sql, params, database)`` of one count, for :func:`tally`."""
    if isinstance(countable, int):
        return str(int(countable)), [], ""
    if isinstance(countable, Difference):
        left, lp, ldb = _expression(countable.left, i * 2 + 1)
        right, rp, rdb = _expression(countable.right, i * 2 + 2)
        return f"({left} - {right})", [*lp, *rp], ldb or rdb
    qs, columns = (
        (countable.queryset, (countable.column, *countable.more))
        if isinstance(countable, Total)
        else (countable, ())
    )
    check = getattr(qs, "_check_scope", None)
    if check is not None:
        check()  # fails closed, as count() would
    if columns:
        value: Any = F(columns[0])
        for column in columns[1:]:
            value = value + F(column)
        qs = qs.order_by().values(_tally=value)
    else:
        qs = qs.order_by().values("pk")
    try:
        sql, inner = qs.query.get_compiler(using=qs.db).as_sql()
    except EmptyResultSet:  # .none(), or a filter that can match nothing
        return "0", [], qs.db
    alias = f"tally{i}"
    what = f'COALESCE(SUM({alias}."_tally"), 0)' if columns else "COUNT(*)"
    return f"(SELECT {what} FROM ({sql}) {alias})", list(inner), qs.db  # noqa: S608 - ORM-compiled, params bound
