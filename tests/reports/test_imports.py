from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from campaigns.models import Milestone
from reports import services
from reports.models import Submission
from unionvol.sheets import get_sheet
from unionvol.xlsx import SafeWorkbook

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _dispatch_file(tree: Any, **block: Any) -> SimpleUploadedFile:
    data = {
        "blocks": [
            {
                "team": "离线服务队",
                "project": "离线项目",
                "team_size": 9,
                "period": "2019-04-01 至 2019-06-30",
                "person_times": 45,
                "support": "图书",
                "leader_name": "张三",
                "leader_position": "主席",
                "leader_phone": "13900000000",
                "paired_unit": "某村小学",
                "beneficiaries": 120,
                "progress": "离线填写的进展",
            }
            | block
        ]
    }
    wb = SafeWorkbook()
    get_sheet("dispatch").write(wb, tree.district_a, data)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("调度表.xlsx", out.getvalue(), content_type=XLSX)


@pytest.fixture
def sub(dispatch_ms: Any, tree: Any) -> Submission:
    services.ensure_submissions(milestone=dispatch_ms, unions=[tree.district_a])
    return Submission.objects.get(milestone=dispatch_ms, union=tree.district_a)


def test_dispatch_upload_preview_then_confirm(
    sub: Submission, tree: Any, client_as: Any, clerk_a: Any
) -> None:
    client = client_as(clerk_a)
    url = f"/reports/submissions/{sub.pk}/import/"
    assert client.get(url).status_code == 200
    resp = client.post(url, {"file": _dispatch_file(tree)})
    assert resp.status_code == 200
    assert "确认导入" in resp.content.decode()
    sub.refresh_from_db()
    assert sub.data["blocks"][0]["team"] != "离线服务队"  # nothing written before confirming
    resp = client.post(url, {"confirm": "1"})
    assert resp.status_code == 302
    sub.refresh_from_db()
    block = sub.data["blocks"][0]
    assert block["team"] == "离线服务队"
    assert block["person_times"] == 45
    assert block["progress"] == "离线填写的进展"


def test_dispatch_row_errors_write_nothing(
    sub: Submission, tree: Any, client_as: Any, clerk_a: Any
) -> None:
    before = dict(sub.data)
    resp = client_as(clerk_a).post(
        f"/reports/submissions/{sub.pk}/import/",
        {"file": _dispatch_file(tree, person_times="很多", progress="字" * 501)},
    )
    assert resp.status_code == 400
    body = resp.content.decode()
    assert "“参与项目总人次”必须是非负整数" in body
    assert "不能超过 500 字" in body
    sub.refresh_from_db()
    assert sub.data == before


def test_not_an_xlsx_is_refused(sub: Submission, client_as: Any, clerk_a: Any) -> None:
    fake = SimpleUploadedFile("x.xlsx", b"hello", content_type=XLSX)
    resp = client_as(clerk_a).post(f"/reports/submissions/{sub.pk}/import/", {"file": fake})
    assert resp.status_code == 400
    assert "文件扩展名与文件内容不符" in resp.content.decode()


def test_warmth_stats_upload(campaign: Any, tree: Any, client_as: Any, clerk_a: Any) -> None:
    ms = Milestone.objects.create(
        campaign=campaign, title="统计表", form="warmth_stats", due_date=campaign.issue_date
    )
    services.ensure_submissions(milestone=ms, unions=[tree.district_a])
    sub = Submission.objects.get(milestone=ms, union=tree.district_a)
    wb = Workbook()
    ws = wb.active
    ws.append(["2019年教育工会春节送温暖活动统计表"])
    ws.append(["工会（盖章）", None, "填表人："])
    ws.append(
        [
            "序号",
            "2019年春节送温暖帮困受助人数",
            "帮困金额\n（万元）",
            "一日捐筹措资金",
            "慰问走访人数",
            "2018年度帮困总人数",
            "2018年度帮困总金额",
        ]
    )
    ws.append([1, 12, 3.5, 8000, 30, 10, 25000])
    out = io.BytesIO()
    wb.save(out)
    client = client_as(clerk_a)
    url = f"/reports/submissions/{sub.pk}/import/"
    resp = client.post(url, {"file": SimpleUploadedFile("s.xlsx", out.getvalue())})
    assert resp.status_code == 200, resp.content.decode()
    client.post(url, {"confirm": "1"})
    sub.refresh_from_db()
    assert sub.data["stats"]["aided"] == 12
    assert sub.data["stats"]["amount_wan"] == 3.5
    assert sub.data["stats"]["visits"] == 30


def test_import_scoped(
    sub: Submission, tree: Any, client_as: Any, viewer_a: Any, admin_b: Any
) -> None:
    url = f"/reports/submissions/{sub.pk}/import/"
    assert client_as(admin_b).get(url).status_code == 404
    assert client_as(viewer_a).post(url, {"file": _dispatch_file(tree)}).status_code == 403
