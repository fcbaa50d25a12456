"""A project's totals (活动, 人次, 时长) come from the project rollup: the list of
projects reads a row or so a project, whatever the projects' size, and shows what the
records give after every kind of write."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from service.figures import project_totals
from service.models import Participation, ProjectRollup
from tests.campaigns.factories import make_activity, make_project, make_team
from unionvol.rollups import rollup_differences
from unionvol.scoping import system_scope

pytestmark = pytest.mark.django_db


def _row(html: str, name: str) -> list[str]:
    """The cells of the project list's row of ``name``."""
    row = re.search(rf"<tr>\s*<td><a href=\"[^\"]+\">{name}</a></td>(.*?)</tr>", html, re.S)
    assert row, name
    return [
        re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row[1], re.S)
    ]


def test_the_list_shows_each_projects_totals(
    tree: Any, campaign: Any, clerk_a: Any, client_as: Any
) -> None:
    team = make_team(tree.grassroots_a, campaign=campaign)
    big, small = make_project(team, name="大项目"), make_project(team, name="小项目")
    make_activity(team, project=big, people=3, hours="2.5")
    make_activity(team, project=big, people=2, hours="1")
    make_activity(team, project=small, people=1, hours="4")
    make_activity(team, people=5)  # outside any project: counted by neither
    html = client_as(clerk_a).get("/service/projects/").content.decode()
    # 人次 and 时长 are the sixth and seventh cells after the name.
    assert _row(html, "大项目")[4:6] == ["5", "9.5"]
    assert _row(html, "小项目")[4:6] == ["1", "4.0"]
    with system_scope():
        assert rollup_differences() == []


def test_the_totals_follow_every_write(tree: Any, campaign: Any, clerk_a: Any) -> None:
    team = make_team(tree.grassroots_a, campaign=campaign)
    first, second = make_project(team, name="一号项目"), make_project(team, name="二号项目")
    activity = make_activity(team, project=first, people=3, hours="2")

    def totals() -> dict[str, tuple[int, int, Decimal]]:
        found = project_totals([first.pk, second.pk], user=clerk_a)
        return {
            p.name: (t.activities, t.person_times, t.hours)
            for p in (first, second)
            if (t := found.get(p.pk))
        }

    assert totals() == {"一号项目": (1, 3, Decimal("6.0"))}
    Participation.objects.filter(activity=activity).first().delete()  # type: ignore[union-attr]
    assert totals() == {"一号项目": (1, 2, Decimal("4.0"))}
    activity.project = second  # the activity moved to the other project
    activity.save()
    assert totals() == {"二号项目": (1, 2, Decimal("4.0"))}
    activity.delete()  # the project keeps no row once it has no activity
    assert totals() == {}
    with system_scope():
        assert not ProjectRollup.objects.filter(project_id=second.pk).exists()
        assert rollup_differences() == []


def test_a_project_outside_the_scope_shows_nothing(
    tree: Any, campaign: Any, clerk_a: Any, admin_b: Any, client_as: Any
) -> None:
    team = make_team(tree.grassroots_a, campaign=campaign)
    project = make_project(team, name="甲区项目")
    make_activity(team, project=project, people=2)
    assert "甲区项目" not in client_as(admin_b).get("/service/projects/").content.decode()
    with system_scope():
        assert ProjectRollup.objects.filter(project=project).count() == 1
    found = project_totals([project.pk], user=admin_b)
    assert found == {}


def test_check_rollups_sees_a_wrong_project_total(tree: Any, campaign: Any) -> None:
    team = make_team(tree.grassroots_a, campaign=campaign)
    project = make_project(team, name="核对项目")
    make_activity(team, project=project, people=2, hours="3")
    with system_scope():
        ProjectRollup.objects.filter(project=project).update(person_times=7)
        lines = rollup_differences()
    assert lines == [
        f"service union={tree.grassroots_a.pk} campaign={campaign.pk} "
        f"project_id={project.pk} person_times: stored 7, records 2"
    ]
    call_command("check_rollups", "--fix", verbosity=0)
    with system_scope():
        assert rollup_differences() == []
        assert ProjectRollup.objects.get(project=project).person_times == 2


def test_the_export_reads_the_same_totals(
    tree: Any, campaign: Any, clerk_a: Any, client_as: Any
) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    team = make_team(tree.grassroots_a, campaign=campaign)
    project = make_project(team, name="导出项目")
    make_activity(team, project=project, people=4, hours="1.5")
    response = client_as(clerk_a).get("/service/projects/export/")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = [r for r in sheet.iter_rows(values_only=True) if r and r[2] == "导出项目"]
    assert len(rows) == 1
    assert rows[0][4:6] == (4, 6)
