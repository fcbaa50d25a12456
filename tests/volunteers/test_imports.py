from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from tests.factories import make_id_number, make_volunteer
from unionvol.models import AuditAction, AuditEvent
from volunteers.imports import commit_roster, read_roster
from volunteers.models import ApprovalStep, Volunteer

pytestmark = pytest.mark.django_db

HEADER = ["序号", "姓 名", "性 别", "身份证号码", "工 作 单 位", "政治面貌", "身 份", "特 长"]


def roster_bytes(rows: list[list[Any]], *, title: bool = True) -> bytes:
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append(["服务帮扶志愿者花名册"])
        ws.append(
            ["区市县、产业工会：甲区总工会", None, None, None, "负责人：", None, "联系电话："]
        )
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def named(data: bytes) -> io.BytesIO:
    fileobj = io.BytesIO(data)
    fileobj.name = "花名册.xlsx"
    return fileobj


def upload(data: bytes, name: str = "花名册.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def good_rows() -> list[list[Any]]:
    return [
        [1, "张三", "男", make_id_number(1), "大连商场", "中共党员", "在职职工", "法律咨询、摄影"],
        [2, "李四", "", make_id_number(2), "大连港", "", "", ""],
    ]


def test_read_tolerates_title_rows_and_finds_columns_by_label(tree: Any, clerk_a: Any) -> None:
    report = read_roster(named(roster_bytes(good_rows())), union=tree.grassroots_a, user=clerk_a)
    assert report.ok
    assert [r.name for r in report.creates] == ["张三", "李四"]
    assert report.creates[0].row == 4
    assert Volunteer.objects.count() == 0  # nothing written


def test_every_error_has_row_column_and_message(tree: Any, clerk_a: Any) -> None:
    number = make_id_number(3)
    rows = [
        [1, "", "男", make_id_number(4), "", "", "", ""],
        [2, "数字身份证", "", 210202199001010000, "", "", "", ""],
        [3, "校验位错", "", number[:-1] + ("0" if number[-1] != "0" else "1"), "", "", "", ""],
        [4, "性别不符", "女", make_id_number(5, male=True), "", "", "", ""],
        [5, "政治面貌错", "", make_id_number(6), "", "民主党派", "", ""],
        [6, "身份错", "", make_id_number(7), "", "", "外星访客", ""],
        [7, "重复甲", "", make_id_number(8), "", "", "", ""],
        [8, "重复乙", "", make_id_number(8), "", "", "", ""],
    ]
    report = read_roster(named(roster_bytes(rows)), union=tree.grassroots_a, user=clerk_a)
    errors = {(e.row, e.column.split("（")[0]): e.message for e in report.errors}
    assert "姓名不能为空" in errors[(4, "B")]
    assert "数字" in errors[(5, "D")]
    assert "校验位" in errors[(6, "D")]
    assert "性别与身份证号码不符" in errors[(7, "C")]
    assert "政治面貌" in errors[(8, "F")]
    assert "身份" in errors[(9, "G")]
    assert "第10行" in errors[(11, "D")]
    with pytest.raises(ValidationError):
        commit_roster(report, union=tree.grassroots_a, by=clerk_a)
    assert Volunteer.objects.count() == 0


def test_a_file_without_the_header_is_refused(tree: Any, clerk_a: Any) -> None:
    wb = Workbook()
    wb.active.append(["a", "b"])
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(ValidationError, match="表头"):
        read_roster(named(out.getvalue()), union=tree.grassroots_a, user=clerk_a)


def test_commit_writes_all_rows_with_history_and_reimport_changes_nothing(
    tree: Any, clerk_a: Any
) -> None:
    data = roster_bytes(good_rows())
    report = read_roster(named(data), union=tree.grassroots_a, user=clerk_a)
    commit_roster(report, union=tree.grassroots_a, by=clerk_a)
    assert Volunteer.objects.count() == 2
    zhang = Volunteer.objects.get(name="张三")
    assert sorted(s.name for s in zhang.specialties.all()) == ["摄影", "法律咨询"]
    assert zhang.political_status == "01"
    assert zhang.created_by == clerk_a
    assert Volunteer.history.count() == 2
    assert ApprovalStep.objects.filter(level=1, union=tree.grassroots_a).count() == 2
    assert ApprovalStep.history.count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT, rows=2).exists()

    again = read_roster(named(data), union=tree.grassroots_a, user=clerk_a)
    assert (len(again.creates), len(again.updates), len(again.unchanged)) == (0, 0, 2)
    commit_roster(again, union=tree.grassroots_a, by=clerk_a)
    assert Volunteer.objects.count() == 2
    assert Volunteer.history.count() == 2


def test_rows_matched_by_id_number_are_updated(tree: Any, clerk_a: Any) -> None:
    existing = make_volunteer(tree.grassroots_a, id_number=make_id_number(1), name="张三")
    report = read_roster(named(roster_bytes(good_rows())), union=tree.grassroots_a, user=clerk_a)
    assert [r.name for r in report.updates] == ["张三"]
    assert "工作单位" in report.updates[0].changes
    commit_roster(report, union=tree.grassroots_a, by=clerk_a)
    existing.refresh_from_db()
    assert existing.workplace == "大连商场"
    assert existing.version == 2
    assert existing.history.count() == 2


def test_an_id_registered_outside_the_scope_is_an_error(tree: Any, clerk_a: Any) -> None:
    make_volunteer(tree.grassroots_b, id_number=make_id_number(1))
    report = read_roster(named(roster_bytes(good_rows())), union=tree.grassroots_a, user=clerk_a)
    assert len(report.errors) == 1
    assert "不能重复登记" in report.errors[0].message


def test_upload_preview_and_confirm(tree: Any, clerk_a: Any, client_as: Any) -> None:
    client = client_as(clerk_a)
    assert client.get("/volunteers/import/").status_code == 200
    response = client.post(
        "/volunteers/import/",
        {"file": upload(roster_bytes(good_rows())), "union": tree.grassroots_a.pk},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "张三" in html
    assert "确认导入" in html
    assert Volunteer.objects.count() == 0
    token = response.context["token"]
    stored = Path(settings.MEDIA_ROOT) / "imports" / f"{clerk_a.pk}-{token}.xlsx"
    assert stored.exists()
    response = client.post(
        "/volunteers/import/confirm/",
        {"token": token, "union": tree.grassroots_a.pk, "campaign": ""},
    )
    assert response.status_code == 302
    assert Volunteer.objects.count() == 2
    assert not stored.exists()


def test_upload_errors_are_listed_and_nothing_is_written(
    tree: Any, clerk_a: Any, client_as: Any
) -> None:
    rows = [[1, "王五", "", 210202199001010000, "", "", "", ""]]
    response = client_as(clerk_a).post(
        "/volunteers/import/", {"file": upload(roster_bytes(rows)), "union": tree.grassroots_a.pk}
    )
    html = response.content.decode()
    assert 'id="import-errors"' in html
    assert "确认导入" not in html
    token = response.context["token"]
    response = client_as(clerk_a).post(
        "/volunteers/import/confirm/", {"token": token, "union": tree.grassroots_a.pk}
    )
    assert response.status_code == 200
    assert Volunteer.objects.count() == 0
    (Path(settings.MEDIA_ROOT) / "imports" / f"{clerk_a.pk}-{token}.xlsx").unlink()


def test_not_an_xlsx_is_refused_before_parsing(tree: Any, clerk_a: Any, client_as: Any) -> None:
    response = client_as(clerk_a).post(
        "/volunteers/import/", {"file": upload(b"hello", "x.xlsx"), "union": tree.grassroots_a.pk}
    )
    assert response.status_code == 200
    assert "xlsx" in response.content.decode().lower()
    response = client_as(clerk_a).post(
        "/volunteers/import/", {"file": upload(b"a,b", "x.csv"), "union": tree.grassroots_a.pk}
    )
    assert "Excel" in response.content.decode()


def test_another_users_token_cannot_be_confirmed(
    tree: Any, clerk_a: Any, admin_a: Any, client_as: Any
) -> None:
    response = client_as(clerk_a).post(
        "/volunteers/import/",
        {"file": upload(roster_bytes(good_rows())), "union": tree.grassroots_a.pk},
    )
    token = response.context["token"]
    response = client_as(admin_a).post(
        "/volunteers/import/confirm/", {"token": token, "union": tree.grassroots_a.pk}
    )
    assert response.status_code == 302
    assert Volunteer.objects.count() == 0
    assert (
        client_as(admin_a)
        .post("/volunteers/import/confirm/", {"token": "../../etc/passwd", "union": 1})
        .status_code
        == 404
    )
    (Path(settings.MEDIA_ROOT) / "imports" / f"{clerk_a.pk}-{token}.xlsx").unlink()


def test_import_access(tree: Any, viewer_a: Any, client_as: Any) -> None:
    assert client_as(viewer_a).get("/volunteers/import/").status_code == 403
    assert client_as(viewer_a).post("/volunteers/import/confirm/", {}).status_code == 403


def test_abandoned_preview_files_are_removed_after_a_day(
    tree: Any, clerk_a: Any, client_as: Any
) -> None:
    import os
    import time

    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True)
    old = folder / "1-0123456789abcdef0123456789abcdef.xlsx"
    old.write_bytes(b"x")
    os.utime(old, (time.time() - 2 * 86400, time.time() - 2 * 86400))
    client_as(clerk_a).post(
        "/volunteers/import/",
        {"file": upload(roster_bytes(good_rows())), "union": tree.grassroots_a.pk},
    )
    assert not old.exists()
    assert len(list(folder.glob("*.xlsx"))) == 1


def test_a_roster_in_the_notices_own_words_imports_with_the_mapping_shown(
    tree: Any, clerk_a: Any, client: Any, settings: Any, tmp_path: Any
) -> None:
    rows = [
        [
            1,
            "王五",
            "男性",
            make_id_number(31, male=True),
            "大连理工大学",
            "党员",
            "在校大学生",
            "",
        ],
        [2, "赵六", "", make_id_number(32), "", "团员", "离退休的劳动模范", ""],
        [3, "钱七", "", make_id_number(33), "", "", "各界人士", ""],
    ]
    report = read_roster(named(roster_bytes(rows)), union=tree.grassroots_a, user=clerk_a)
    assert report.ok, report.errors
    identities = [r.values["identity"] for r in report.creates]
    assert identities == ["student", "model_worker", "public"]
    assert ("身份", "在校大学生", "在校学生") in [m[1:] for m in report.mapped]
    assert ("政治面貌", "党员", "中共党员") in [m[1:] for m in report.mapped]

    settings.MEDIA_ROOT = tmp_path
    client.force_login(clerk_a)
    page = client.post(
        "/volunteers/import/",
        {"union": tree.grassroots_a.pk, "file": upload(roster_bytes(rows))},
    )
    html = page.content.decode()
    assert "识别为" in html
    assert "离退休的劳动模范" in html
    assert "→ 劳动模范" in html
