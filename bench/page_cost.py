"""CPU per request, page by page: the noise-free figure behind ``make loadtest``'s ratios.

Serves each load-test page in process (the test client, production settings, the
PostgreSQL database of ``make loadtest``) and reads the CPU time of this process and of
its PostgreSQL backend around each request — what the page costs the machine, whatever
else runs on it. ``--profile PAGE`` prints the page's cProfile instead.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/unionvol_load \\
        .venv/bin/python bench/page_cost.py [--user scale_admin] [--runs 30] [--profile roster]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionvol.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-page-cost-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.loadtest import FIXED_PATHS  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def backend_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def paths_for(client: Client) -> dict[str, str]:
    paths = dict(FIXED_PATHS)
    roster = client.get("/volunteers/?status=approved").content.decode()
    if m := re.search(r"/volunteers/\d+/", roster):
        paths["volunteer"] = m.group(0)
    campaigns = client.get("/campaigns/").content.decode()
    if m := re.search(r"/campaigns/\d+/", campaigns):
        paths["campaign"] = m.group(0)
        paths["dashboard"] = m.group(0).replace("/campaigns/", "/reports/campaigns/") + "dashboard/"
    return paths


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--user", default="scale_admin")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--profile", default="")
    parser.add_argument("--pages", default="")
    parser.add_argument("--queries", action="store_true", help="list each page's queries")
    parser.add_argument(
        "--path", action="append", default=[], metavar="NAME=URL", help="measure another page too"
    )
    args = parser.parse_args()

    from django.conf import settings

    settings.UNIONVOL_DASHBOARD_CACHE_SECONDS = 0  # the dashboard computed every time
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    get = client.get
    client.get = lambda path: get(path, secure=True)  # type: ignore[method-assign]
    client.force_login(get_user_model().objects.get(username=args.user))
    paths = paths_for(client)
    paths.update(extra.split("=", 1) for extra in args.path)
    if args.pages:
        paths = {k: v for k, v in paths.items() if k in args.pages.split(",")}
    connection.ensure_connection()
    pid = connection.cursor().connection.info.backend_pid
    if args.profile:
        path = paths[args.profile]
        client.get(path)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.runs):
            client.get(path)
        profiler.disable()
        # PROFILE_SORT=tottime, PROFILE_FILTER=<regex of paths>, PROFILE_LINES=60
        stats = pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative"))
        stats.print_stats(
            os.environ.get("PROFILE_FILTER", ""), int(os.environ.get("PROFILE_LINES", "60"))
        )
        return
    print(f"{'page':<12}{'queries':>8}{'app ms':>9}{'db ms':>8}{'total':>8}  path")
    for page, path in paths.items():
        for _ in range(3):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        queries: list[tuple[str, float]] = []

        def record(run: Any, sql: str, *rest: Any, seen: list[Any] = queries) -> Any:
            started = time.perf_counter()
            try:
                return run(sql, *rest)
            finally:
                seen.append((sql, time.perf_counter() - started))

        with connection.execute_wrapper(record):
            client.get(path)
        app0, db0 = time.process_time(), backend_cpu(pid)
        for _ in range(args.runs):
            client.get(path)
        app = (time.process_time() - app0) / args.runs * 1000
        db = (backend_cpu(pid) - db0) / args.runs * 1000
        if args.queries:
            for sql, seconds in queries:
                print(f"    {seconds * 1000:6.1f} ms {len(sql):>6} {sql[:140]}")
        print(f"{page:<12}{len(queries):>8}{app:>9.1f}{db:>8.1f}{app + db:>8.1f}  {path}")


if __name__ == "__main__":
    main()
