"""Benchmark: the dashboard's totals per child union (reports.figures.figures_by_prefix)
against hand-written SQL ``GROUP BY`` statements computing the same figures from the
records, same run.

N unions under one province, each with one team, one project, A activities and
V volunteers taking part in every activity (N × A × V participations). The figures are
read from the rollups (``unionvol.rollups``; built here after the bulk inserts); the
hand-written SQL scans the records, as the dashboard did before. Prints
``dashboard_aggregate ratio=R target=2.0`` (R = ours / hand-written SQL; best of 5), and
on stderr the same figures counted from the records by the apps' definitions
(``*_from_records``) against that SQL, which is what the ratio measured before rollups.
Also checks all three give the same numbers and that our query count does not depend on N.

``python bench/dashboard_aggregate.py [UNIONS] [ACTIVITIES] [VOLUNTEERS]``
(default 200 × 25 × 20 = 100,000 participations).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP / 'bench.sqlite3'}")
os.environ["UNIONVOL_TESTING"] = "1"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionvol.settings")
os.environ.setdefault("MEDIA_ROOT", str(TMP / "media"))

import django  # noqa: E402

django.setup()

from datetime import date  # noqa: E402
from datetime import time as dtime  # noqa: E402
from decimal import Decimal  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from campaigns.models import Campaign  # noqa: E402
from relief.figures import relief_figures_from_records  # noqa: E402
from reports.figures import figures_by_prefix  # noqa: E402
from service.figures import service_figures_from_records  # noqa: E402
from service.models import Activity, Participation, ServiceProject, ServiceTeam  # noqa: E402
from unions.models import Union, UnionKind  # noqa: E402
from unionvol.rollups import rebuild_rollups  # noqa: E402
from volunteers.figures import volunteer_figures_from_records  # noqa: E402
from volunteers.models import Volunteer  # noqa: E402

TARGET = 2.0


def build(n: int, activities: int, volunteers: int) -> tuple[Union, Campaign]:
    call_command("migrate", verbosity=0)
    root = Union.objects.add_root(
        instance=Union(name="省总工会", code="P", kind=UnionKind.PROVINCE)
    )
    unions = []
    for i in range(n):
        root.refresh_from_db()
        unions.append(
            Union.objects.add_child(
                root, instance=Union(name=f"工会{i}", code=f"P-{i:04d}", kind=UnionKind.CITY)
            )
        )
    root.refresh_from_db()
    campaign = Campaign.objects.create(
        issuer=root,
        doc_number="测〔2026〕1号",
        title="基准",
        kind="other",
        issue_date=date(2026, 1, 1),
    )
    teams = ServiceTeam.objects.bulk_create(
        [ServiceTeam(union=u, campaign=campaign, name=f"队{u.pk}") for u in unions]
    )
    projects = ServiceProject.objects.bulk_create(
        [
            ServiceProject(
                team=t,
                name="项目",
                period_start=date(2026, 1, 1),
                leader_name="某",
                leader_phone="1",
                beneficiaries=10,
                support_amount=Decimal("100"),
                status="approved",
                proposed_by_id=t.union_id,
            )
            for t in teams
        ]
    )
    seq = 0
    vols: dict[int, list[Volunteer]] = {}
    batch = []
    for u in unions:
        for _j in range(volunteers):
            seq += 1
            batch.append(
                Volunteer(
                    name=f"志愿者{seq}",
                    gender="M",
                    birth_date=date(1990, 1, 1),
                    id_number=f"{seq:018d}",
                    union=u,
                    campaign=campaign,
                    status="approved",
                )
            )
    for v in Volunteer.objects.bulk_create(batch, batch_size=2000):
        vols.setdefault(v.union_id, []).append(v)
    acts = Activity.objects.bulk_create(
        [
            Activity(
                team=t,
                project=p,
                date=date(2026, 1 + k % 12, 1 + k % 28),
                start_time=dtime(9),
                end_time=dtime(11),
                place="某地",
                description="服务",
                beneficiaries=3,
            )
            for t, p in zip(teams, projects, strict=True)
            for k in range(activities)
        ],
        batch_size=2000,
    )
    team_union = {t.pk: t.union_id for t in teams}
    rows = []
    for a in acts:
        for v in vols[team_union[a.team_id]]:
            rows.append(Participation(activity=a, volunteer=v, hours=Decimal("2.0")))
            if len(rows) >= 5000:
                Participation.objects.bulk_create(rows)
                rows = []
    Participation.objects.bulk_create(rows)
    return root, campaign


# The same figures as the apps' figures functions define them (service.figures,
# volunteers.figures, relief.figures), written as bare SQL: the baseline does the same work.
HAND_SQL = {
    "person_times": """
        SELECT substr(u.path, 1, %(len)s) AS prefix, COUNT(*), SUM(p.hours),
               SUM(c.points_per_participation + c.points_per_hour * p.hours),
               SUM(CASE WHEN pr.status IN ('approved', 'running', 'closed') THEN 1 ELSE 0 END)
        FROM service_participation p
        JOIN service_activity a ON a.id = p.activity_id
        LEFT JOIN service_serviceproject pr ON pr.id = a.project_id
        JOIN service_serviceteam t ON t.id = a.team_id
        JOIN campaigns_campaign c ON c.id = t.campaign_id
        JOIN unions_union u ON u.id = t.union_id
        WHERE t.campaign_id = %(campaign)s AND u.path LIKE %(like)s
        GROUP BY prefix""",
    "activities": """
        SELECT substr(u.path, 1, %(len)s) AS prefix, COUNT(*)
        FROM service_activity a
        JOIN service_serviceteam t ON t.id = a.team_id
        JOIN unions_union u ON u.id = t.union_id
        WHERE t.campaign_id = %(campaign)s AND u.path LIKE %(like)s
        GROUP BY prefix""",
    "projects": """
        SELECT substr(u.path, 1, %(len)s) AS prefix, COUNT(*), SUM(pr.beneficiaries),
               SUM(pr.support_amount)
        FROM service_serviceproject pr
        JOIN service_serviceteam t ON t.id = pr.team_id
        JOIN unions_union u ON u.id = t.union_id
        WHERE t.campaign_id = %(campaign)s AND u.path LIKE %(like)s
          AND pr.status IN ('approved', 'running', 'closed')
        GROUP BY prefix""",
    "teams": """
        SELECT substr(u.path, 1, %(len)s) AS prefix, COUNT(DISTINCT t.id), COUNT(DISTINCT m.id)
        FROM service_serviceteam t JOIN unions_union u ON u.id = t.union_id
        LEFT JOIN service_teammember m ON m.team_id = t.id
        WHERE t.campaign_id = %(campaign)s AND u.path LIKE %(like)s
        GROUP BY prefix""",
    "volunteers": """
        SELECT substr(u.path, 1, %(len)s) AS prefix,
               SUM(CASE WHEN v.status <> 'withdrawn' THEN 1 ELSE 0 END),
               SUM(CASE WHEN v.status = 'approved' THEN 1 ELSE 0 END)
        FROM volunteers_volunteer v JOIN unions_union u ON u.id = v.union_id
        WHERE v.campaign_id = %(campaign)s AND u.path LIKE %(like)s
        GROUP BY prefix""",
    "relief": """
        SELECT substr(u.path, 1, %(len)s) AS prefix, g.file_id, SUM(g.amount)
        FROM relief_reliefgrant g
        JOIN relief_hardshipfile f ON f.id = g.file_id
        JOIN unions_union u ON u.id = f.union_id
        WHERE g.campaign_id = %(campaign)s AND g.status = 'approved' AND u.path LIKE %(like)s
        GROUP BY prefix, g.file_id""",
    "donations": """
        SELECT substr(u.path, 1, %(len)s) AS prefix, SUM(d.amount), SUM(d.donors)
        FROM relief_donation d JOIN unions_union u ON u.id = d.union_id
        WHERE d.campaign_id = %(campaign)s AND u.path LIKE %(like)s
        GROUP BY prefix""",
    "visits": """
        SELECT substr(u.path, 1, %(len)s) AS prefix, COUNT(*)
        FROM relief_visit vi JOIN unions_union u ON u.id = vi.union_id
        WHERE vi.campaign_id = %(campaign)s AND u.path LIKE %(like)s
        GROUP BY prefix""",
}


def hand(root: Union, campaign: Campaign, length: int) -> dict[str, dict[str, float]]:
    params = {"len": length, "campaign": campaign.pk, "like": root.path + "%"}
    out: dict[str, dict[str, float]] = {}
    with connection.cursor() as cursor:
        for key, sql in HAND_SQL.items():
            query = sql.replace("%(len)s", str(params["len"])).replace(
                "%(campaign)s", str(params["campaign"])
            )
            cursor.execute(query.replace("%(like)s", "%s"), [params["like"]])
            for row in cursor.fetchall():
                out.setdefault(row[0], {})[key] = float(row[1])
    return out


def best(fn: object, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    activities = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    volunteers = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    root, campaign = build(n, activities, volunteers)
    started = time.perf_counter()
    rebuild_rollups()  # the bulk inserts above send no signals
    t_rebuild = time.perf_counter() - started
    paths = list(Union.objects.get_children(root).values_list("path", flat=True))
    length = len(paths[0])

    def ours() -> dict[str, object]:
        return figures_by_prefix(paths, campaign=campaign)

    def records() -> object:
        volunteer_figures_from_records(paths, campaign=campaign)
        relief_figures_from_records(paths, campaign=campaign)
        return service_figures_from_records(paths, campaign=campaign)

    with CaptureQueriesContext(connection) as ctx:
        mine = ours()
    queries = len(ctx.captured_queries)
    reference = hand(root, campaign, length)
    counted = records()
    for path in paths[:20]:
        assert mine[path].values["person_times"] == reference[path]["person_times"]
        assert mine[path].values["activities"] == reference[path]["activities"]
        assert mine[path].values["volunteers_registered"] == reference[path]["volunteers"]
        assert mine[path].values["teams"] == reference[path]["teams"]
        assert counted[path].person_times == reference[path]["person_times"]  # type: ignore[index]
    t_ours = best(ours)
    t_hand = best(lambda: hand(root, campaign, length))
    t_records = best(records)
    print(
        f"dashboard_aggregate: {n} unions, {n * activities * volunteers} participations, "
        f"{queries} queries; ours (rollups) {t_ours:.4f}s, hand-written SQL over the records "
        f"{t_hand:.3f}s, the figures from the records {t_records:.3f}s "
        f"(ratio {t_records / t_hand:.2f}); rollups rebuilt in {t_rebuild:.2f}s",
        file=sys.stderr,
    )
    print(f"dashboard_aggregate ratio={t_ours / t_hand:.2f} target={TARGET}")


if __name__ == "__main__":
    from unionvol.scoping import system_scope

    with system_scope():  # a benchmark is operator code, like a command
        main()
