"""Benchmark: importing a 花名册 of N rows (default 10,000) — validate every row, preview,
then one transaction with history — against a bare openpyxl read + ``bulk_create`` of the
same rows, in the same run.

Prints one line: ``roster_import ratio=R target=2.5`` (R = ours / bare). The number of
queries of our import at N/10 and N rows goes to stderr (per row it must stay flat).

Runs on a throw-away SQLite database: ``python bench/roster_import.py [ROWS]``.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = Path(tempfile.mkdtemp(prefix="bench-roster-import-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP / 'bench.sqlite3'}")
os.environ["UNIONVOL_TESTING"] = "1"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionvol.settings")
os.environ.setdefault("MEDIA_ROOT", str(TMP / "media"))

import django  # noqa: E402

django.setup()

from datetime import date  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402
from stdnum.cn import ric  # noqa: E402

from unions.models import Union, UnionKind  # noqa: E402
from unionvol.idnumbers import birth_date_of, gender_of  # noqa: E402
from volunteers.imports import commit_roster, read_roster  # noqa: E402
from volunteers.models import ApprovalStep, Volunteer  # noqa: E402

TARGET = 2.5
HEADER = ["序号", "姓名", "性别", "身份证号码", "工作单位", "政治面貌", "身份", "特长"]
AREAS = ["210202", "210203", "210204", "210211"]


def id_number(seq: int) -> str:
    day = date(1983, 1, 1).toordinal() + seq // 500
    body = f"{AREAS[seq % 4]}{date.fromordinal(day):%Y%m%d}{(seq // 4) % 125 * 8 + 1:03d}"
    return body + ric.calc_check_digit(body + "0")


def roster(rows: int) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    ws.append(["服务帮扶志愿者花名册"])
    ws.append(["区市县、产业工会：中山区总工会", None, None, None, "负责人：", None, "联系电话："])
    ws.append(HEADER)
    seen = set()
    for seq in range(rows):
        number = id_number(seq)
        assert number not in seen
        seen.add(number)
        ws.append(
            [
                seq + 1,
                f"志愿者{seq}",
                "男" if gender_of(number) == "M" else "女",
                number,
                f"单位{seq % 300}",
                ("中共党员", "群众", "共青团员")[seq % 3],
                ("在职职工", "离退休职工")[seq % 2],
                ("法律咨询、摄影", "医疗义诊", "")[seq % 3],
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def named(data: bytes) -> io.BytesIO:
    fileobj = io.BytesIO(data)
    fileobj.name = "roster.xlsx"
    return fileobj


def clear() -> None:
    with transaction.atomic():
        Volunteer.specialties.through.objects.all().delete()
        ApprovalStep.objects.all().delete()
        ApprovalStep.history.all().delete()
        Volunteer.objects.all().delete()
        Volunteer.history.all().delete()


def bare(data: bytes, union: Union) -> float:
    start = time.perf_counter()
    wb = load_workbook(named(data), read_only=True, data_only=True)
    objs = []
    for row in wb.worksheets[0].iter_rows(min_row=4, values_only=True):
        number = row[3]
        objs.append(
            Volunteer(
                name=row[1],
                id_number=number,
                gender=gender_of(number),
                birth_date=birth_date_of(number),
                workplace=row[4],
                union=union,
            )
        )
    wb.close()
    with transaction.atomic():
        Volunteer.objects.bulk_create(objs, batch_size=1000)
    return time.perf_counter() - start


def ours(data: bytes, union: Union) -> tuple[float, int]:
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        report = read_roster(named(data), union=union, user=None)
        assert report.ok, report.errors[:3]
        commit_roster(report, union=union, by=None)
    return time.perf_counter() - start, len(queries)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    call_command("migrate", verbosity=0)
    city = Union.objects.add_root(
        instance=Union(name="大连市总工会", code="DL", kind=UnionKind.CITY)
    )
    district = Union.objects.add_child(
        city, instance=Union(name="中山区总工会", code="DL-01", kind=UnionKind.DISTRICT)
    )
    data, small = roster(rows), roster(rows // 10)
    _, small_queries = ours(small, district)
    clear()
    bare_times, our_times = [], []
    queries = 0
    for _ in range(2):
        bare_times.append(bare(data, district))
        clear()
        elapsed, queries = ours(data, district)
        our_times.append(elapsed)
        clear()
    bare_time, our_time = min(bare_times), min(our_times)
    sys.stderr.write(
        f"roster_import rows={rows} bare={bare_time:.2f}s ours={our_time:.2f}s "
        f"queries_{rows // 10}={small_queries} queries_{rows}={queries}\n"
    )
    print(f"roster_import ratio={our_time / bare_time:.2f} target={TARGET}")


if __name__ == "__main__":
    from unionvol.scoping import system_scope

    with system_scope():  # a benchmark is operator code, like a command
        main()
