from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from tests.factories import make_id_number, make_volunteer
from tests.volunteers.test_imports import good_rows, roster_bytes
from volunteers.models import QuotaAllocation, Volunteer

pytestmark = pytest.mark.django_db


def write(tmp_path: Path, rows: list[list[Any]]) -> Path:
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(roster_bytes(rows))
    return path


def test_import_roster_dry_run_writes_nothing(tree: Any, tmp_path: Path, capsys: Any) -> None:
    path = write(tmp_path, good_rows())
    call_command("import_roster", str(path), "--union", "C-A-1", "--dry-run")
    out = capsys.readouterr().out
    assert "新增 2 行" in out
    assert "第4行 新增：张三" in out
    assert Volunteer.objects.count() == 0


def test_import_roster_writes_and_is_idempotent(tree: Any, tmp_path: Path, capsys: Any) -> None:
    path = write(tmp_path, good_rows())
    call_command("import_roster", str(path), "--union", "甲区某企业工会")
    assert Volunteer.objects.filter(union=tree.grassroots_a).count() == 2
    call_command("import_roster", str(path), "--union", "C-A-1")
    assert "无变化 2 行" in capsys.readouterr().out
    assert Volunteer.objects.count() == 2


def test_import_roster_fails_on_any_error(tree: Any, tmp_path: Path, capsys: Any) -> None:
    rows = [*good_rows(), [3, "王五", "", 210202199001010000, "", "", "", ""]]
    path = write(tmp_path, rows)
    with pytest.raises(CommandError, match="错误"):
        call_command("import_roster", str(path), "--union", "C-A-1")
    assert "第6行（王五） D（身份证号码） 错误" in capsys.readouterr().out
    assert Volunteer.objects.count() == 0
    with pytest.raises(CommandError, match="工会"):
        call_command("import_roster", str(path), "--union", "NOPE")
    with pytest.raises(CommandError, match="通知"):
        call_command("import_roster", str(path), "--union", "C-A-1", "--campaign", "无此文号")


def test_export_sheet_roster_quota_registration(tree: Any, chain: Any, tmp_path: Path) -> None:
    v = make_volunteer(
        tree.grassroots_a, id_number=make_id_number(3), status="approved", campaign=chain.campaign
    )
    QuotaAllocation.objects.create(campaign=chain.campaign, union=tree.district_a, quota=10)
    out = tmp_path / "roster.xlsx"
    call_command("export_sheet", "roster", "--union", "C-A", "-o", str(out))
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[2][3] == "身份证号码"
    assert rows[3][3] == v.id_number  # the operator's command line sees full numbers
    out = tmp_path / "quota.xlsx"
    call_command("export_sheet", "quota", "--campaign", chain.campaign.doc_number, "-o", str(out))
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[-1][0] == "合计"
    assert rows[-1][2] == 10
    out = tmp_path / "reg.xlsx"
    call_command("export_sheet", "registration", "--volunteer", str(v.pk), "-o", str(out))
    assert load_workbook(out).active["A1"].value == "工会服务帮扶志愿者登记表"
    with pytest.raises(CommandError):
        call_command("export_sheet", "quota", "-o", str(out))
