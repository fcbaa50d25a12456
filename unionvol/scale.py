"""Scale data for benchmarks and load tests (``manage.py generate_scale_data``).

Builds a realistic tree — province → city → district/industry → grassroots — with
valid resident ID numbers. The big tables (volunteers, activities, participations) go in
with ``COPY … FROM STDIN`` on PostgreSQL (:func:`copy_rows`, ids reserved up front with
:func:`reserve_ids`), plain ``executemany`` elsewhere; the small ones with ``bulk_create``
in batches. Each app's part is a step function ``(ctx) -> str`` registered in STEPS; they
run in order.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from unionvol.idnumbers import complete_id_number

SCALE_PREFIX = "S"
AREA_CODES = ["210202", "210203", "210204", "370102", "370103", "320703", "410802", "310104"]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红娥玲芬燕彬鹏辉建国海波宁"
BATCH = 5000
COPY_CHUNK = 200_000  # rows per transaction of the biggest tables


@dataclass
class ScaleContext:
    rng: random.Random
    unions: int
    volunteers: int
    participations: int
    stdout: Any
    # Unions of the generated tree (unions.models.Union rows, filled by the unions step).
    root: Any = None
    grassroots: list[Any] = field(default_factory=list)
    cities: list[Any] = field(default_factory=list)
    all_unions: list[Any] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


Step = Callable[[ScaleContext], str]
STEPS: list[tuple[str, Step]] = []


def step(name: str) -> Callable[[Step], Step]:
    def register(fn: Step) -> Step:
        STEPS.append((name, fn))
        return fn

    return register


def id_number(rng: random.Random, seq: int) -> str:
    """A valid, unique-per-seq resident ID number."""
    born = date(1960, 1, 1) + timedelta(days=seq // 1000 % 14000)
    body = f"{AREA_CODES[seq % len(AREA_CODES)]}{born:%Y%m%d}{seq % 1000:03d}"
    return complete_id_number(body)


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def run(ctx: ScaleContext, only: list[str] | None = None) -> None:
    for name, fn in STEPS:
        if only and name not in only:
            continue
        ctx.stdout.write(f"{name}: {fn(ctx)}")


# --- raw bulk writes ---------------------------------------------------------------------


def reserve_ids(model: type[models.Model], n: int) -> int:
    """Reserve ``n`` consecutive primary keys of ``model`` and return the first.

    Rows written with :func:`copy_rows` carry these ids, so that the rows that point at
    them (participations at activities) need no round trip. The generator runs alone on
    its database; the table lock keeps a concurrent insert from taking a reserved id.
    """
    table = model._meta.db_table
    pk = model._meta.pk
    assert pk is not None
    assert pk.column is not None
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            qn = connection.ops.quote_name
            cursor.execute(f"LOCK TABLE {qn(table)} IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [qn(table), pk.column])
            sequence = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT COALESCE(MAX({qn(pk.column)}), 0) FROM {qn(table)}"  # noqa: S608
            )
            start = max(cursor.fetchone()[0] + 1, _next_value(cursor, sequence))
            cursor.execute("SELECT setval(%s, %s)", [sequence, start + n - 1])
            return int(start)
        cursor.execute(f"SELECT COALESCE(MAX({pk.column}), 0) FROM {table}")  # noqa: S608
        return int(cursor.fetchone()[0]) + 1


def _next_value(cursor: Any, sequence: str) -> int:
    cursor.execute("SELECT nextval(%s)", [sequence])
    return int(cursor.fetchone()[0])


def _defaults(model: type[models.Model], given: Sequence[str]) -> tuple[list[str], tuple[Any, ...]]:
    """The columns not in ``given`` and the one value each of them takes in every row:
    the field's default, now for ``auto_now(_add)``, NULL or empty when allowed."""
    columns: list[str] = []
    values: list[Any] = []
    now = timezone.now()
    for f in model._meta.concrete_fields:
        if f.attname in given or f.name in given or f.primary_key:
            continue
        if f.has_default():
            value = f.get_default()
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = now
        elif f.null:
            value = None
        elif f.empty_strings_allowed and f.blank:
            value = ""
        else:
            raise ValueError(f"{model.__name__}.{f.name} needs a value")
        columns.append(str(f.column))
        values.append(f.get_db_prep_save(value, connection))
    return columns, tuple(values)


def copy_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Write ``rows`` (tuples of database-ready values for ``fields``, attnames such as
    ``union_id``; include ``id`` with ids from :func:`reserve_ids`) into ``model``'s
    table; every other column takes its default. No signals, no history, no
    ``save()``: scale data only. Returns the number of rows written."""
    opts = model._meta
    given: list[Any] = [opts.get_field(name) for name in fields]  # concrete fields
    columns: list[str] = [f.column for f in given]
    extra, tail = _defaults(model, fields)
    qn = connection.ops.quote_name
    names = ", ".join(qn(c) for c in [*columns, *extra])
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {qn(opts.db_table)} ({names}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row((*row, *tail))
                    count += 1
            return count
        marks = ", ".join(["%s"] * (len(columns) + len(extra)))
        sql = f"INSERT INTO {qn(opts.db_table)} ({names}) VALUES ({marks})"  # noqa: S608
        batch: list[tuple[Any, ...]] = []
        for row in rows:  # small data (tests): each value through its field
            prepped = (f.get_db_prep_save(v, connection) for f, v in zip(given, row, strict=True))
            batch.append((*prepped, *tail))
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def analyze() -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL), so that the first page
    views are planned on the real row counts."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
