"""Benchmark: the whole-campaign workbook (``reports.exports.campaign_workbook``: every
milestone's aggregated sheet plus the completeness matrix) for N addressed unions, against
writing the same cells with bare openpyxl write-only, in the same run: the same sheets, rows,
values and cells (a merged box's empty cells carry its border too), each with the same named
style, the same merged ranges and row heights — what a hand-written openpyxl exporter of
these sheets would have to write. What the ratio measures is everything else unionvol does:
the queries, the figures, the layout (heights estimated from the text, merges declared as
the rows stream) and the checks on every value.

The campaign is seed 000's: three 情况调度表 milestones and the 活动总结. Each union has a
team of 8, a project with a 300-character 进展情况 and 5 activities; 60% of the unions
have submitted each 情况调度表 (its snapshot is what the aggregate prints), the others
stand in with live figures. Prints ``sheets_aggregate ratio=R target=1.5`` (R = ours /
bare, best of 3 each). Timings, rows and cells go to stderr.

``python bench/sheets_aggregate.py [UNIONS]`` (default 200); a throw-away SQLite database.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import zipfile
from copy import copy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = Path(tempfile.mkdtemp(prefix="bench-sheets-aggregate-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP / 'bench.sqlite3'}")
os.environ["UNIONVOL_TESTING"] = "1"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionvol.settings")
os.environ.setdefault("MEDIA_ROOT", str(TMP / "media"))

import django  # noqa: E402

django.setup()

from datetime import date, datetime  # noqa: E402
from datetime import time as dtime  # noqa: E402
from decimal import Decimal  # noqa: E402
from typing import Any  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from campaigns.models import (  # noqa: E402
    Campaign,
    CampaignAddressee,
    CampaignKind,
    CampaignStatus,
    Milestone,
    SheetKind,
)
from reports.exports import campaign_workbook  # noqa: E402
from reports.models import Submission, SubmissionStatus, SubmissionVersion  # noqa: E402
from service.models import (  # noqa: E402
    Activity,
    Participation,
    ServiceProject,
    ServiceTeam,
    TeamMember,
)
from service.sheets import DISPATCH_FIGURES  # noqa: E402
from unions.models import Membership, Role, Union, UnionKind  # noqa: E402
from volunteers.models import Volunteer  # noqa: E402

TARGET = 1.5
TEAM = 8
ACTIVITIES = 5
PROGRESS = ("组织教师赴乡村学校开展学习辅导和教师培训，捐赠图书两千册，建立长期结对帮扶关系。" * 8)[
    :300
]


def build(n: int) -> tuple[Campaign, Union, Any]:
    call_command("migrate", verbosity=0)
    root = Union.objects.add_root(
        instance=Union(name="中国教育工会山东省委员会", code="SD", kind=UnionKind.PROVINCE)
    )
    unions = []
    for i in range(n):
        root.refresh_from_db()
        unions.append(
            Union.objects.add_child(
                root,
                instance=Union(name=f"第{i + 1}高校工会", code=f"SD-{i:04d}", kind=UnionKind.CITY),
            )
        )
    root.refresh_from_db()
    campaign = Campaign.objects.create(
        issuer=root,
        doc_number="鲁教工〔2026〕13号",
        title="助力脱贫攻坚教职工志愿服务活动",
        kind=CampaignKind.POVERTY_RELIEF,
        issue_date=date(2026, 3, 1),
        period_start=date(2026, 3, 1),
        period_end=date(2026, 10, 11),
        status=CampaignStatus.PUBLISHED,
    )
    CampaignAddressee.objects.bulk_create(
        [CampaignAddressee(campaign=campaign, union=u) for u in unions]
    )
    milestones = Milestone.objects.bulk_create(
        [
            Milestone(campaign=campaign, title=title, form=form, due_date=due)
            for title, form, due in [
                ("活动部署启动情况调度表", SheetKind.DISPATCH, date(2026, 3, 30)),
                ("半程推进情况调度表", SheetKind.DISPATCH, date(2026, 6, 30)),
                ("活动总结情况调度表", SheetKind.DISPATCH, date(2026, 9, 30)),
                ("活动总结材料", SheetKind.SUMMARY, date(2026, 10, 11)),
            ]
        ]
    )
    teams = ServiceTeam.objects.bulk_create(
        [ServiceTeam(union=u, campaign=campaign, name=f"{u.name}教职工志愿服务队") for u in unions]
    )
    projects = ServiceProject.objects.bulk_create(
        [
            ServiceProject(
                team=t,
                name="送教下乡结对帮扶",
                period_start=date(2026, 4, 1),
                period_end=date(2026, 9, 30),
                paired_unit="临沂市沂南县岸堤镇中心小学",
                beneficiaries=320,
                support_items="图书、教具",
                support_amount=Decimal("20000"),
                leader_name="高原",
                leader_position="工会副主席",
                leader_phone="13658640001",
                progress=PROGRESS,
                status="approved",
                proposed_by_id=t.union_id,
            )
            for t in teams
        ]
    )
    seq = 0
    batch = []
    for u in unions:
        for _j in range(TEAM):
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
    volunteers: dict[int, list[Volunteer]] = {}
    for v in Volunteer.objects.bulk_create(batch, batch_size=2000):
        volunteers.setdefault(v.union_id, []).append(v)
    TeamMember.objects.bulk_create(
        [
            TeamMember(team=t, volunteer=v, role="volunteer")
            for t in teams
            for v in volunteers[t.union_id]
        ],
        batch_size=2000,
    )
    activities = Activity.objects.bulk_create(
        [
            Activity(
                team=t,
                project=p,
                date=date(2026, 4 + k, 10),
                start_time=dtime(9),
                end_time=dtime(11),
                place="岸堤镇中心小学",
                description="学习辅导",
                beneficiaries=40,
            )
            for t, p in zip(teams, projects, strict=True)
            for k in range(ACTIVITIES)
        ],
        batch_size=2000,
    )
    team_union = {t.pk: t.union_id for t in teams}
    Participation.objects.bulk_create(
        [
            Participation(activity=a, volunteer=v, hours=Decimal("2.0"))
            for a in activities
            for v in volunteers[team_union[a.team_id]]
        ],
        batch_size=5000,
    )
    # 60% of the unions submitted each 情况调度表: the snapshot is one block per project.
    project_of = {p.team.union_id: p for p in projects}
    submitted_at = timezone.make_aware(datetime(2026, 3, 28, 10))
    subs = []
    for milestone in milestones:
        for i, u in enumerate(unions):
            reported = milestone.form == SheetKind.DISPATCH and i % 5 < 3
            subs.append(
                Submission(
                    milestone=milestone,
                    union=u,
                    status=SubmissionStatus.ACCEPTED if reported else SubmissionStatus.DRAFT,
                    submitted_at=submitted_at if reported else None,
                    first_submitted_at=submitted_at if reported else None,
                )
            )
    subs = Submission.objects.bulk_create(subs, batch_size=2000)
    versions = []
    for sub in subs:
        if sub.submitted_at is None:
            continue
        p = project_of[sub.union_id]
        block = {
            "project_id": p.pk,
            "team": p.team.name,
            "project": p.name,
            "team_size": TEAM,
            "period": "2026-04-01 至 2026-09-30",
            "person_times": TEAM * ACTIVITIES,
            "support": "图书、教具（20000.00元）",
            "funds": 20000,
            "leader_name": p.leader_name,
            "leader_position": p.leader_position,
            "leader_phone": p.leader_phone,
            "paired_unit": p.paired_unit,
            "beneficiaries": p.beneficiaries,
            "progress": PROGRESS,
        }
        block["records"] = {k: block[k] for k in DISPATCH_FIGURES}
        versions.append(
            SubmissionVersion(
                submission=sub,
                number=1,
                snapshot={"blocks": [block]},
                submitted_at=submitted_at,
            )
        )
    SubmissionVersion.objects.bulk_create(versions, batch_size=2000)
    user = get_user_model().objects.create_user(username="sd_reviewer", password="x" * 16)
    Membership.objects.create(user=user, union=root, role=Role.REVIEWER)
    return campaign, root, user


def ours(campaign: Campaign, root: Union, user: Any, out: Path) -> float:
    start = time.perf_counter()
    wb = campaign_workbook(campaign=campaign, union=root, user=user)
    wb.save(str(out))
    return time.perf_counter() - start


def cells_of(
    path: Path,
) -> list[tuple[str, list[list[tuple[Any, str]]], list[str], dict[int, float]]]:
    """Every sheet of our workbook as written: rows of (value, named style), merged ranges
    and row heights (not timed)."""
    wb = load_workbook(path)
    sheets = []
    for ws in wb.worksheets:
        rows = [
            [(c.value, c.style if c.has_style else None) for c in row] for row in ws.iter_rows()
        ]
        # A merged box's covered cells load without their named style: they carry the
        # anchor's (that is what keeps the box's border), as written.
        for rng in ws.merged_cells.ranges:
            anchor = rows[rng.min_row - 1][rng.min_col - 1][1]
            for r in range(rng.min_row, min(rng.max_row, len(rows)) + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if (r, c) != (rng.min_row, rng.min_col):
                        rows[r - 1][c - 1] = (None, anchor)
        merges = [str(r) for r in ws.merged_cells.ranges]
        heights = {i: d.height for i, d in ws.row_dimensions.items() if d.height}
        sheets.append((ws.title, rows, merges, heights))
    return sheets


def written_cells(path: Path) -> int:
    """Cells in the file: values, and the empty cells that carry a merged box's border."""
    with zipfile.ZipFile(path) as z:
        return sum(
            z.read(name).count(b"<c ")
            for name in z.namelist()
            if name.startswith("xl/worksheets/sheet")
        )


def bare(
    sheets: list[tuple[str, list[list[tuple[Any, str]]], list[str], dict[int, float]]], out: Path
) -> float:
    """Baseline: the same cells, styles, merges and heights, row by row, into a bare
    write-only workbook (the row's height set before the row is appended)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.worksheet.cell_range import CellRange

    from unionvol.xlsx.styles import _styles

    start = time.perf_counter()
    wb = Workbook(write_only=True)
    for style in _styles():
        wb.add_named_style(style)
    for title, rows, merges, heights in sheets:
        ws = wb.create_sheet(title)
        # Each named style resolved once (as any careful exporter would), then copied.
        prototypes: dict[str, Any] = {}
        for index, row in enumerate(rows, start=1):
            cells = []
            for value, style in row:
                cell = WriteOnlyCell(ws, value=value)
                if style is not None:
                    if style not in prototypes:
                        proto = WriteOnlyCell(ws)
                        proto.style = style
                        prototypes[style] = proto._style
                    cell._style = copy(prototypes[style])
                cells.append(cell)
            if index in heights:
                ws.row_dimensions[index].height = heights[index]
            ws.append(cells)
        for ref in merges:  # straight into the set (``add`` is quadratic over thousands)
            ws.merged_cells.ranges.add(CellRange(ref))
    wb.save(out)
    return time.perf_counter() - start


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    campaign, root, user = build(n)
    ours_out, bare_out = TMP / "ours.xlsx", TMP / "bare.xlsx"
    with CaptureQueriesContext(connection) as queries:
        ours(campaign, root, user, ours_out)  # warm-up; counts the queries
    sheets = cells_of(ours_out)
    rows = sum(len(r) for _t, r, _m, _h in sheets)
    cells = sum(1 for _t, r, _m, _h in sheets for row in r for v, _s in row if v not in (None, ""))
    bare_times, our_times = [], []
    for _ in range(3):  # alternate, best of each: the machine is shared and noisy
        bare_times.append(bare(sheets, bare_out))
        our_times.append(ours(campaign, root, user, ours_out))
    bare_time, our_time = min(bare_times), min(our_times)
    sys.stderr.write(
        f"sheets_aggregate unions={n} sheets={len(sheets)} rows={rows} values={cells} "
        f"cells_written={written_cells(ours_out)}/{written_cells(bare_out)} "
        f"queries={len(queries.captured_queries)} bare={bare_time:.2f}s ours={our_time:.2f}s "
        f"size={ours_out.stat().st_size // 1024}KB/{bare_out.stat().st_size // 1024}KB\n"
    )
    print(f"sheets_aggregate ratio={our_time / bare_time:.2f} target={TARGET}")


if __name__ == "__main__":
    from unionvol.scoping import system_scope

    with system_scope():  # a benchmark is operator code, like a command
        main()
