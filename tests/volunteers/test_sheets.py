from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from openpyxl import load_workbook

from tests.factories import make_id_number, make_volunteer
from tests.volunteers.conftest import form_data
from unionvol.models import AuditAction, AuditEvent
from volunteers import services
from volunteers.models import QuotaAllocation, Specialty
from volunteers.sheets import QUOTA_TITLE, REGISTRATION_TITLE, ROSTER_LABELS, ROSTER_TITLE

pytestmark = pytest.mark.django_db


def workbook(response: Any) -> Any:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Cache-Control"] == "no-store"
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def values(ws: Any) -> list[list[Any]]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def test_roster_sheet_has_the_seed_layout_and_masks_ids(
    tree: Any, admin_a: Any, client_as: Any
) -> None:
    tree.district_a.contact_person = "赵海"
    tree.district_a.contact_phone = "0411-82610421"
    tree.district_a.save()
    v = make_volunteer(
        tree.grassroots_a,
        id_number=make_id_number(3),
        name="=HYPERLINK(1)",
        status="approved",
        workplace="大连商场",
    )
    v.specialties.add(Specialty.objects.create(name="摄影"))
    make_volunteer(tree.grassroots_a, id_number=make_id_number(4), status="pending")
    make_volunteer(tree.grassroots_b, id_number=make_id_number(5), status="approved")
    response = client_as(admin_a).get(f"/volunteers/export/roster/?union={tree.district_a.pk}")
    ws = workbook(response).active
    rows = values(ws)
    assert rows[0][0] == ROSTER_TITLE
    assert rows[1][0] == "区市县、产业工会：甲区总工会"
    assert "负责人：赵海" in rows[1]
    assert "联系电话：0411-82610421" in rows[1]
    assert tuple(rows[2]) == ROSTER_LABELS
    assert len(rows) == 4  # approved volunteers of the subtree only, no 合计 row
    assert rows[3][:3] == [1, "=HYPERLINK(1)", "男"]
    assert ws.cell(row=4, column=2).data_type == "s"  # text, not a formula
    assert rows[3][3] == v.masked_id
    assert ws.cell(row=4, column=4).data_type == "s"
    assert rows[3][4:] == ["大连商场", "群众", "在职职工", "摄影"]
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (event.rows, event.full_ids) == (1, False)


def test_roster_sheet_has_full_ids_with_the_permission_and_says_so_in_the_log(
    tree: Any, admin_a: Any, client_as: Any
) -> None:
    admin_a.user_permissions.add(Permission.objects.get(codename="view_full_id"))
    v = make_volunteer(tree.grassroots_a, id_number=make_id_number(3), status="approved")
    ws = workbook(client_as(admin_a).get("/volunteers/export/roster/")).active
    assert values(ws)[3][3] == v.id_number
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.full_ids is True
    assert v.id_number not in str(event.__dict__)


def test_export_needs_the_export_capability_and_the_scope(
    tree: Any, viewer_a: Any, admin_b: Any, client_as: Any
) -> None:
    assert client_as(viewer_a).get("/volunteers/export/roster/").status_code == 403
    url = f"/volunteers/export/roster/?union={tree.district_a.pk}"
    assert client_as(admin_b).get(url).status_code == 404
    rows = values(workbook(client_as(admin_b).get("/volunteers/export/roster/")).active)
    assert rows[1][0] == "区市县、产业工会：乙区总工会"


def test_quota_sheet_has_the_total_row(tree: Any, chain: Any, client_as: Any) -> None:
    QuotaAllocation.objects.create(
        campaign=chain.campaign, union=tree.district_a, order=1, quota=300
    )
    QuotaAllocation.objects.create(
        campaign=chain.campaign, union=tree.district_b, order=2, quota=400
    )
    response = client_as(chain.city_reviewer).get(f"/volunteers/quotas/{chain.campaign.pk}/xlsx/")
    rows = values(workbook(response).active)
    assert rows[0][0] == QUOTA_TITLE
    assert rows[1] == ["序号", "区市县、产业工会", "人数", "备注"]
    assert rows[2][:3] == [1, "甲区总工会", 300]
    assert rows[4][0] == "合计"
    assert rows[4][2] == 700


def test_registration_sheet_fills_the_opinion_boxes(tree: Any, chain: Any, client_as: Any) -> None:
    volunteer = services.volunteer_register(
        union=tree.grassroots_a, data=form_data(), by=chain.clerk, campaign=chain.campaign
    )
    for reviewer, opinion in (
        (chain.unit_reviewer, "同意推荐"),
        (chain.district_reviewer, "同意上报"),
        (chain.city_reviewer, "同意"),
    ):
        services.approval_decide(
            volunteer=volunteer, by=reviewer, decision="approved", opinion=opinion
        )
    response = client_as(chain.clerk).get(f"/volunteers/{volunteer.pk}/xlsx/")
    ws = workbook(response).active
    rows = values(ws)
    flat = [c for row in rows for c in row if c is not None]
    assert rows[0][0] == REGISTRATION_TITLE
    for label in ("姓名", "性别", "政治面貌", "照片", "身份证号", "联系电话", "参加工作时间"):
        assert label in flat
    for label in ("学历", "健康状况", "工作单位", "特长", "工作简历", "本人申请"):
        assert label in flat
    opinions = rows[-1]
    assert opinions[0] == "单位工会意见"
    assert "同意推荐" in opinions[1]
    assert opinions[2] == "区市县总工会、产业工会意见"
    assert "同意上报" in opinions[3]
    assert opinions[4] == "市总工会意见"
    assert "测试市总工会" in opinions[5]
    assert volunteer.masked_id in flat
    assert ws.page_setup.fitToHeight == 1


def test_a_long_roster_is_written_plain_but_still_safe(
    tree: Any, admin_a: Any, client_as: Any, monkeypatch: Any
) -> None:
    from volunteers import sheets

    monkeypatch.setattr(sheets, "STYLED_ROWS", 0)
    make_volunteer(tree.grassroots_a, id_number=make_id_number(3), name="=1+2", status="approved")
    make_volunteer(tree.grassroots_a, id_number=make_id_number(4), name="@x", status="approved")
    ws = workbook(client_as(admin_a).get("/volunteers/export/roster/")).active
    rows = values(ws)
    assert tuple(rows[2]) == ROSTER_LABELS
    names = {ws.cell(row=r, column=2).value: ws.cell(row=r, column=2).data_type for r in (4, 5)}
    assert names == {"=1+2": "s", "@x": "s"}
    assert ws.cell(row=4, column=4).data_type == "s"
    assert ws.print_options.gridLines


def test_a_big_roster_is_built_by_the_export_worker_not_the_web_request(
    tree: Any, clerk_a: Any, client_as: Any, monkeypatch: Any, settings: Any, tmp_path: Any
) -> None:
    from django.core.management import call_command

    from tests.factories import drain
    from unionvol.models import ExportJob, ExportStatus
    from volunteers.views import quotas as views

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(views, "ROSTER_INLINE_LIMIT", 2)
    for i in range(3):
        make_volunteer(tree.grassroots_a, id_number=make_id_number(700 + i), status="approved")
    client = client_as(clerk_a)
    response = client.get(f"/volunteers/export/roster/?union={tree.district_a.pk}")
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.status == ExportStatus.PENDING
    call_command("run_export_jobs", "--once")
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE, job.error
    download = client.get(f"/exports/{job.pk}/download/")
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(drain(download))).active
    assert sheet["A1"].value == "服务帮扶志愿者花名册"
    built = AuditEvent.objects.filter(action=AuditAction.EXPORT, rows__isnull=False)
    assert built.count() == 1  # the roster sheet records the export once, with its rows
