"""Benchmark: the 花名册 export of N volunteers (default 100,000) against a bare openpyxl
write-only dump of the same rows read by the same kind of query, in the same run.

Prints one line: ``roster_export ratio=R target=1.3`` (R = ours / bare). Peak Python memory
of our export at N/10 and at N rows goes to stderr (it should stay flat).

Runs on a throw-away SQLite database: ``python bench/roster_export.py [ROWS]``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = Path(tempfile.mkdtemp(prefix="bench-roster-export-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP / 'bench.sqlite3'}")
os.environ["UNIONVOL_TESTING"] = "1"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionvol.settings")
os.environ.setdefault("MEDIA_ROOT", str(TMP / "media"))

import django  # noqa: E402

django.setup()

from datetime import date  # noqa: E402

from django.core.management import call_command  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from unions.models import Union, UnionKind  # noqa: E402
from unionvol.sheets import get_sheet  # noqa: E402
from unionvol.xlsx import SafeWorkbook  # noqa: E402
from volunteers.models import Specialty, Volunteer, VolunteerStatus  # noqa: E402
from volunteers.sheets import ROSTER_LABELS, RosterSheet  # noqa: E402

TARGET = 1.3


def build(rows: int) -> Union:
    call_command("migrate", verbosity=0)
    city = Union.objects.add_root(
        instance=Union(name="大连市总工会", code="DL", kind=UnionKind.CITY)
    )
    district = Union.objects.add_child(
        city, instance=Union(name="中山区总工会", code="DL-01", kind=UnionKind.DISTRICT)
    )
    units = [
        Union.objects.add_child(
            Union.objects.get(pk=district.pk),
            instance=Union(name=f"基层工会{i}", code=f"DL-01-{i:03d}", kind=UnionKind.GRASSROOTS),
        )
        for i in range(20)
    ]
    specialties = Specialty.objects.bulk_create(
        [Specialty(name=n) for n in ("法律咨询", "医疗义诊", "摄影", "文艺演出")]
    )
    through = Volunteer.specialties.through
    batch: list[Volunteer] = []
    seen: set[str] = set()
    seq = 0
    while len(seen) < rows:
        seq += 1
        number = f"{seq:018d}"  # the export does not validate; keep generation cheap
        seen.add(number)
        batch.append(
            Volunteer(
                name=f"志愿者{seq}",
                gender="M" if seq % 2 else "F",
                birth_date=date(1990, 1, 1),
                id_number=number,
                phone=f"139{seq:08d}",
                workplace=f"单位{seq % 500}",
                political_status=("01", "13", "03")[seq % 3],
                identity="employee",
                union=units[seq % len(units)],
                status=VolunteerStatus.APPROVED,
            )
        )
        if len(batch) == 5000:
            created = Volunteer.objects.bulk_create(batch)
            through.objects.bulk_create(
                [through(volunteer_id=v.pk, specialty_id=specialties[v.pk % 4].pk) for v in created]
            )
            batch = []
    if batch:
        created = Volunteer.objects.bulk_create(batch)
        through.objects.bulk_create(
            [through(volunteer_id=v.pk, specialty_id=specialties[v.pk % 4].pk) for v in created]
        )
    return Union.objects.get(pk=district.pk)


def bare(union: Union, limit: int, out: Path) -> float:
    """Baseline: one query with the same joins, rows straight into a write-only sheet."""
    start = time.perf_counter()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("roster")
    ws.append(list(ROSTER_LABELS))
    specialty_names = dict(Specialty.objects.values_list("pk", "name"))
    links: dict[int, list[str]] = {}
    qs = Volunteer.objects.within(union).filter(status=VolunteerStatus.APPROVED, pk__lte=limit)
    through = Volunteer.specialties.through
    for vid, sid in through.objects.filter(volunteer__in=qs.values("pk")).values_list(
        "volunteer_id", "specialty_id"
    ):
        links.setdefault(vid, []).append(specialty_names[sid])
    rows = qs.values_list(
        "pk", "name", "gender", "id_number", "workplace", "political_status", "identity"
    ).order_by("union__path", "pk")
    for seq, (pk, name, gender, number, workplace, political, identity) in enumerate(
        rows.iterator(chunk_size=2000), start=1
    ):
        ws.append(
            [
                seq,
                name,
                gender,
                number,
                workplace,
                political,
                identity,
                "、".join(links.get(pk, [])),
            ]
        )
    wb.save(out)
    return time.perf_counter() - start


def ours(union: Union, limit: int, out: Path, *, trace: bool = False) -> tuple[float, int]:
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    qs = Volunteer.objects.within(union).filter(status=VolunteerStatus.APPROVED, pk__lte=limit)
    roster = get_sheet(RosterSheet.identifier)
    wb = SafeWorkbook()
    roster.write(wb, union, roster.live(union, qs, with_status=False), full_ids=False)
    wb.save(out)
    elapsed = time.perf_counter() - start
    peak = 0
    if trace:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return elapsed, peak


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    union = build(rows)
    out = TMP / "out.xlsx"
    # Alternate the two, keep the best of two each: the machine is shared and noisy.
    bare_times, our_times = [], []
    for _ in range(2):
        bare_times.append(bare(union, rows, out))
        our_times.append(ours(union, rows, out)[0])
    bare_time, our_time = min(bare_times), min(our_times)
    _, small_peak = ours(union, rows // 10, out, trace=True)
    _, peak = ours(union, rows, out, trace=True)
    sys.stderr.write(
        f"roster_export rows={rows} bare={bare_time:.2f}s ours={our_time:.2f}s "
        f"peak_mem_{rows // 10}={small_peak / 1e6:.1f}MB peak_mem_{rows}={peak / 1e6:.1f}MB\n"
    )
    print(f"roster_export ratio={our_time / bare_time:.2f} target={TARGET}")


if __name__ == "__main__":
    from unionvol.scoping import system_scope

    with system_scope():  # a benchmark is operator code, like a command
        main()
