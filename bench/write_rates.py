"""Write rates per core on the load-test database (``docs/scaling.md`` reads them).

Records service activities (8 participants each) and registers volunteers through the
services the pages use — validation, approval steps, history and the rollups kept in the
same transaction, one commit each — for a few seconds each, and counts the CPU spent by
this process and by its PostgreSQL backend. Prints one line per kind of write:

    WRITES kind=activity per_cpu_s=A rows_per_cpu_s=R wall_per_s=W

``per_cpu_s`` is the rate one core sustains (application and database together);
``rows_per_cpu_s`` counts participations too. The rows it writes stay in the database
(a few thousand beside a million). Not part of ``make bench`` (no baseline ratio):

    DATABASE_URL=postgres://…/unionvol_load python bench/write_rates.py [--seconds 10]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionvol.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402

from unionvol.scoping import system_scope  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def backend_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (same host)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def measure(kind: str, seconds: float, write: Any) -> None:
    write(0)  # warm up: caches, prepared paths
    pg0, py0, t0 = backend_cpu(), time.process_time(), time.perf_counter()
    n = rows = 0
    while time.perf_counter() - t0 < seconds:
        rows += write(n + 1)
        n += 1
    wall = time.perf_counter() - t0
    cpu = (time.process_time() - py0) + (backend_cpu() - pg0)
    print(
        f"WRITES kind={kind} n={n} per_cpu_s={n / cpu:.0f} rows_per_cpu_s={rows / cpu:.0f} "
        f"wall_per_s={n / wall:.0f} app_share={(time.process_time() - py0) / cpu:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("write_rates.py measures PostgreSQL (set DATABASE_URL)")

    from service.models import ServiceTeam
    from service.services import activity_create
    from unionvol.scale import id_number
    from volunteers.services import volunteer_register

    user = get_user_model().objects.get(username="scale_clerk0")
    with system_scope():
        teams = list(
            ServiceTeam.objects.filter(members__isnull=False)
            .select_related("union", "campaign")
            .prefetch_related("members__volunteer")
            .distinct()
            .order_by("pk")[:200]
        )
        categories = {t.campaign_id: t.campaign.categories.first() for t in teams}

        def record(i: int) -> int:
            team = teams[i % len(teams)]
            people = {m.volunteer: Decimal(2) for m in team.members.all()}
            activity_create(
                team=team,
                user=user,
                participants=people,
                date=date(2026, 5, 1 + i % 28),
                start_time=dtime(9),
                end_time=dtime(11),
                place="写入测速服务点",
                category=categories[team.campaign_id],
                description="写入测速",
                beneficiaries=10,
            )
            return 1 + len(people)

        measure("activity", args.seconds, record)

        unions = [t.union for t in teams]
        start = 50_000_000 + int(time.time()) % 1_000_000 * 10

        def register(i: int) -> int:
            number = id_number(None, start + i)  # type: ignore[arg-type]
            volunteer_register(
                union=unions[i % len(unions)],
                by=None,
                self_applied=True,
                data={
                    "name": "测速志愿者",
                    "id_number": number,
                    "phone": f"139{i % 100_000_000:08d}",
                    "workplace": "写入测速单位",
                },
            )
            return 2  # the volunteer and its first approval step

        measure("volunteer", args.seconds, register)


if __name__ == "__main__":
    main()
