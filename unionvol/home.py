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
    """The sum of ``column`` over a queryset's rows (a count kept in a rollup)."""

    queryset: QuerySet[Any]
    column: str


Countable = QuerySet[Any] | Total | int


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
    """The number of rows of each queryset (the sum of a :class:`Total`'s column), read in
    one ``SELECT (SELECT COUNT(*) FROM (…)), …`` — each inner query compiled by the ORM
    from the scoped queryset as given, so its scope is the queryset's own."""
    parts: list[str] = []
    params: list[Any] = []
    using = "default"
    for i, countable in enumerate(countables):
        if isinstance(countable, int):
            parts.append(str(int(countable)))
            continue
        qs, column = (
            (countable.queryset, countable.column)
            if isinstance(countable, Total)
            else (countable, "")
        )
        check = getattr(qs, "_check_scope", None)
        if check is not None:
            check()  # fails closed, as count() would
        qs = qs.order_by().values(_tally=F(column)) if column else qs.order_by().values("pk")
        using = qs.db
        try:
            sql, inner = qs.query.get_compiler(using=using).as_sql()
        except EmptyResultSet:  # .none(), or a filter that can match nothing
            parts.append("0")
            continue
        alias = f"tally{i}"
        what = f'COALESCE(SUM({alias}."_tally"), 0)' if column else "COUNT(*)"
        parts.append(f"(SELECT {what} FROM ({sql}) {alias})")  # noqa: S608 - ORM-compiled, params bound
        params.extend(inner)
    if not parts:
        return []
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return [int(n or 0) for n in row]
