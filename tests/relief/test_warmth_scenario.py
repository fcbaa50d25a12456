"""The "Done when" scenario of issue 5, through the views: a clerk of a 高校工会 under
上海市教育工会 files three cases, pairs them, records grants (one reversed), visits
and a one-day donation; the reviewer approves the grants; the 2019 statistics sheet
matches figures computed by hand and opens in LibreOffice."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.models import CampaignAddressee
from relief import selectors
from relief.models import HardshipFile, ReliefGrant
from tests.factories import make_campaign, make_member, make_union, make_volunteer
from tests.relief.factories import make_donation, valid_id_number
from unions.models import Role, UnionKind
from unionvol.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def sh(db: Any) -> Any:
    class SH:
        pass

    s = SH()
    s.root = make_union(name="上海市教育工会", code="SH", kind=UnionKind.EDUCATION)
    s.fudan = make_union(s.root, name="复旦大学工会", code="SH-U01", kind=UnionKind.UNIVERSITY)
    s.sjtu = make_union(s.root, name="上海交通大学工会", code="SH-U02", kind=UnionKind.UNIVERSITY)
    s.root.refresh_from_db()
    s.clerk = make_member(s.fudan, Role.CLERK, username="fudan_clerk", first_name="许佳")
    s.reviewer = make_member(s.fudan, Role.REVIEWER, username="fudan_reviewer")
    s.sh_reviewer = make_member(s.root, Role.REVIEWER, username="sh_reviewer")
    s.sh_clerk = make_member(s.root, Role.CLERK, username="sh_clerk")
    s.campaign = make_campaign(
        s.root,
        doc_number="沪教工〔2019〕1号",
        title="上海市教育工会关于组织开展2019年春节送温暖活动的通知",
        kind="spring_warmth",
        issue_date=date(2018, 12, 26),
        contact_email="lt@shsjygh.org.cn",
    )
    # The notice's 统计表 is due on 3月1日.
    s.campaign.milestones.create(
        title="送温暖活动统计表", due_date=date(2019, 3, 1), form="warmth_stats"
    )
    for union in (s.fudan, s.sjtu):
        CampaignAddressee.objects.create(campaign=s.campaign, union=union)
    s.volunteers = [make_volunteer(s.fudan, status="approved") for _ in range(3)]
    return s


CASES = [
    ("陈志强", "illness", "deep", "3000", 3),
    ("刘桂芳", "disability", "ordinary", "2400", 2),
    ("王海涛", "accident", "accident", "1800", 4),
]


def _file_data(
    i: int, name: str, cause: str, degree: str, income: str, size: int, contact: Any
) -> dict[str, Any]:
    return {
        "name": name,
        "id_number": valid_id_number(100 + i),
        "phone": f"1380000000{i}",
        "family_size": size,
        "family_members": "配偶 某某",
        "income_source": "工资",
        "monthly_income": income,
        "per_capita_income": "",
        "health": "一般",
        "cause": cause,
        "degree": degree,
        "contact_person": contact.pk,
        "status": "active",
        "reviewed_on": "",
        "note": "",
    }


def _grant(
    client: Any, file: HardshipFile, amount: str, day: str, fund: str, campaign: Any = None
) -> ReliefGrant:
    data = {"fund_type": fund, "amount": amount, "granted_on": day, "card_tail": "8888", "note": ""}
    if campaign is not None:
        data["campaign"] = campaign.pk
    response = client.post(reverse("relief:grant_create", args=[file.pk]), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    return ReliefGrant.objects.latest("pk")


def test_done_when_scenario(sh: Any, client: Any, tmp_path: Path) -> None:
    client.force_login(sh.clerk)
    # 1. three hardship files
    for i, case in enumerate(CASES, start=1):
        response = client.post(
            reverse("relief:file_create"), _file_data(i, *case, contact=sh.clerk)
        )
        assert response.status_code == 302
    files = {f.name: f for f in HardshipFile.objects.all()}
    assert len(files) == 3
    assert files["陈志强"].per_capita_income == Decimal("1000.00")

    # 2. every file paired with a volunteer
    assert selectors.unpaired_files(user=sh.clerk).count() == 3
    for file, volunteer in zip(files.values(), sh.volunteers, strict=True):
        response = client.post(
            reverse("relief:pair", args=[file.pk]),
            {"volunteer": volunteer.pk, "start": "2019-01-05"},
        )
        assert response.status_code == 302
    assert selectors.unpaired_files(user=sh.clerk).count() == 0

    # 3. grants: three for the 2019 campaign, two in 2018; one campaign grant reversed
    chen, liu, wang = files["陈志强"], files["刘桂芳"], files["王海涛"]
    g1 = _grant(client, chen, "2000.00", "2019-01-20", "hardship", sh.campaign)
    g2 = _grant(client, liu, "1500.00", "2019-01-22", "spring_warmth", sh.campaign)
    g3 = _grant(client, wang, "3000.00", "2019-01-25", "serious_illness", sh.campaign)
    p1 = _grant(client, chen, "1000.00", "2018-06-01", "hardship")
    p2 = _grant(client, liu, "800.00", "2018-09-10", "hardship")

    # 4. the reviewer approves; the clerk cannot
    assert client.post(reverse("relief:grant_approve", args=[g1.pk])).status_code == 403
    client.force_login(sh.reviewer)
    for grant in (g1, g2, g3, p1, p2):
        assert client.post(reverse("relief:grant_approve", args=[grant.pk])).status_code == 302
    assert not ReliefGrant.objects.filter(status="pending").exists()

    # the grant to 王海涛 was paid twice by mistake elsewhere: reversed, and approved
    client.force_login(sh.clerk)
    client.post(
        reverse("relief:grant_reverse", args=[g3.pk]), {"granted_on": "2019-02-01", "note": "误发"}
    )
    reversal = ReliefGrant.objects.get(reverses=g3)
    client.force_login(sh.reviewer)
    client.post(reverse("relief:grant_approve", args=[reversal.pk]))
    reversal.refresh_from_db()
    assert reversal.status == "approved"
    assert reversal.amount == Decimal("-3000.00")

    # 5. visits: one hardship file and two named people for the campaign, one unrelated
    client.force_login(sh.clerk)
    visits = [
        {"file": chen.pk, "category": "hardship", "visited_name": ""},
        {"file": "", "category": "model_worker", "visited_name": "顾劳模"},
        {"file": "", "category": "frontline", "visited_name": "赵一线"},
    ]
    for extra in visits:
        data = {
            "visited_on": "2019-01-28",
            "campaign": sh.campaign.pk,
            "visitors": "工会主席 许佳",
            "gift": "米、油",
            "money": "500",
            "note": "",
            **extra,
        }
        assert client.post(reverse("relief:visit_create"), data).status_code == 302
    data = {
        "visited_on": "2019-05-01",
        "campaign": "",
        "visitors": "许佳",
        "gift": "",
        "money": "0",
        "note": "",
        "file": "",
        "category": "other",
        "visited_name": "钱某",
    }
    assert client.post(reverse("relief:visit_create"), data).status_code == 302

    # 6. the one-day donation
    response = client.post(
        reverse("relief:donation_create"),
        {
            "union": sh.fudan.pk,
            "campaign": sh.campaign.pk,
            "amount": "25680.50",
            "donors": "512",
            "note": "",
        },
    )
    assert response.status_code == 302
    make_donation(sh.sjtu, campaign=sh.campaign, amount=Decimal("1000.00"), donors=10)

    # 7. the sheet for 复旦, by hand:
    #    受助人数 2 (陈 2000, 刘 1500; 王 3000 − 3000 = 0), 帮困金额 3500 元 = 0.35 万元,
    #    一日捐 25680.50, 走访 3, 2018: 2 people, 1800.00 元
    expected = [1, 2, 0.35, 25680.5, 3, 2, 1800]
    response = client.get(
        reverse("relief:warmth_stats"), {"campaign": sh.campaign.pk, "union": sh.fudan.pk}
    )
    assert response.status_code == 200
    assert response.context["table"] == [expected]
    assert "2019年教育工会春节送温暖活动统计表" in response.content.decode()

    response = client.get(
        reverse("relief:warmth_stats_xlsx"), {"campaign": sh.campaign.pk, "union": sh.fudan.pk}
    )
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    ws = load_workbook(io.BytesIO(content)).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0][0] == "2019年教育工会春节送温暖活动统计表"
    assert rows[1][0] == "工会（盖章）：复旦大学工会"
    assert any(str(v).startswith("填表人：许佳") for v in rows[1] if v)
    assert rows[2] == [
        "序号",
        "2019年春节送温暖帮困受助人数",
        "帮困金额（万元）",
        "一日捐筹措资金",  # the notice's labels, word for word
        "慰问走访人数",
        "2018年度帮困总人数",
        "2018年度帮困总金额",
    ]
    assert rows[3] == [1, 2, 0.35, 25680.5, 3, 2, 1800]
    # The sums in 元 say so in the cell (the labels name no unit); the note is the seed's.
    assert ws.cell(4, 4).number_format == ws.cell(4, 7).number_format == '#,##0.00"元"'
    note = next(r[0] for r in rows if str(r[0] or "").startswith("注："))
    assert note == "注：此表请于3月1日前上报，电子表格用excel自制，发lt@shsjygh.org.cn"
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="warmth_stats").exists()

    # 8. aggregated for 上海市教育工会 by its reviewer: one row per child union + 合计
    client.force_login(sh.sh_reviewer)
    response = client.get(
        reverse("relief:warmth_stats_xlsx"),
        {"campaign": sh.campaign.pk, "union": sh.root.pk, "aggregate": "on"},
    )
    content = b"".join(response.streaming_content)
    rows = [list(r) for r in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]
    assert rows[2][:2] == ["序号", "工会"]
    body = rows[3:7]
    assert body[0][:3] == [1, "上海市教育工会（本级）", 0]
    assert body[1] == [2, "复旦大学工会", 2, 0.35, 25680.5, 3, 2, 1800]
    assert body[2] == [3, "上海交通大学工会", 0, 0, 1000, 0, 0, 0]
    assert body[3][0] == "合计"
    assert body[3][2:] == [2, 0.35, 26680.5, 3, 2, 1800]

    # a clerk of the union above sees none of 复旦's grants (files are not theirs)
    stats = selectors.warmth_stats(user=sh.sh_clerk, union=sh.root, campaign=sh.campaign)
    assert stats.rows[0].aided == 0

    # 9. the file opens in LibreOffice
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    src = tmp_path / "warmth.xlsx"
    src.write_bytes(content)
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,false,false",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = (tmp_path / "warmth.csv").read_text(encoding="utf-8")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][0] == "2019年教育工会春节送温暖活动统计表"
    assert ["2", "复旦大学工会", "2", "0.35", "25680.5", "3", "2", "1800"] in lines
