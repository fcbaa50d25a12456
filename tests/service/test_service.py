"""Hours, points, ledger, certificates (HTML + PDF, numbered, audited) and the sheets."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from service.models import Certificate
from service.services import NO_SERVICE, certificate_issue
from tests.campaigns.factories import add_members, make_activity, make_project, make_team
from tests.factories import make_campaign
from unionvol.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(tree: Any, campaign: Any) -> Any:
    t = make_team(tree.grassroots_a, campaign=campaign)
    add_members(t, volunteers=2)
    return t


def _xlsx(response: Any) -> Any:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_points_follow_each_campaigns_rule(tree: Any, team: Any, clerk_g: Any, client: Any) -> None:
    v = team.members.first().volunteer
    make_activity(team, hours="2", people=1)  # 10 + 2*2 = 14
    other_campaign = make_campaign(tree.city, points_per_participation=5, points_per_hour=0)
    other = make_team(tree.grassroots_a, campaign=other_campaign)
    other.members.create(volunteer=v)
    make_activity(other, hours="3", people=1)  # 5
    client.force_login(clerk_g)
    ctx = client.get(f"/service/hours/{v.pk}/").context
    assert ctx["totals"] == {
        "person_times": 2,
        "hours": Decimal("5.0"),
        "points": Decimal("19"),
    }
    rows = {r.pk: r for r in client.get("/service/hours/").context["object_list"]}
    assert rows[v.pk].total_hours == Decimal("5.0")
    assert rows[v.pk].total_points == Decimal("19")
    assert rows[v.pk].person_times == 2


def test_certificates_are_numbered_per_union_and_year(tree: Any, team: Any, clerk_g: Any) -> None:
    v1, v2 = (m.volunteer for m in team.members.all())
    make_activity(team, people=2, date=date(2026, 3, 1))
    c1 = certificate_issue(
        volunteer=v1, user=clerk_g, period_start=date(2026, 1, 1), period_end=date(2026, 12, 31)
    )
    c2 = certificate_issue(
        volunteer=v2, user=clerk_g, period_start=date(2026, 1, 1), period_end=date(2026, 12, 31)
    )
    c3 = certificate_issue(
        volunteer=v1,
        user=clerk_g,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        issued_on=date(2027, 1, 5),
    )
    assert (c1.serial, c2.serial, c3.serial) == (1, 2, 1)
    assert c1.number == "C-A-1-2026-0001"
    assert c3.number == "C-A-1-2027-0001"
    assert c1.union == tree.grassroots_a


def test_certificate_needs_records_in_the_period(team: Any, clerk_g: Any, client: Any) -> None:
    v = team.members.first().volunteer
    make_activity(team, people=1, date=date(2026, 3, 1))
    client.force_login(clerk_g)
    response = client.post(
        f"/service/hours/{v.pk}/certificate/",
        {"period_start": "2025-01-01", "period_end": "2025-12-31"},
    )
    assert response.status_code == 200
    assert str(NO_SERVICE) in response.content.decode()
    assert not Certificate.objects.exists()


def test_certificate_page_and_pdf(team: Any, clerk_g: Any, client: Any) -> None:
    v = team.members.first().volunteer
    project = make_project(team, name="结对帮扶")
    make_activity(team, people=1, project=project, description="入户走访", hours="2.5")
    client.force_login(clerk_g)
    client.post(
        f"/service/hours/{v.pk}/certificate/",
        {"period_start": "2026-01-01", "period_end": "2026-12-31"},
    )
    cert = Certificate.objects.get()
    html = client.get(cert.get_absolute_url()).content.decode()
    for text in (v.name, v.masked_id, "结对帮扶", "入户走访", "2.5", cert.number, "盖章"):
        assert text in html
    assert v.id_number not in html
    pdf = client.get(f"/service/certificates/{cert.pk}/pdf/")
    assert pdf.content.startswith(b"%PDF")
    assert pdf["Cache-Control"] == "no-store"
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.EXPORT, object_type="service.Certificate"
        ).count()
        == 2
    )


def test_viewer_cannot_issue_and_outsider_cannot_see(
    team: Any, viewer_a: Any, admin_b: Any, clerk_g: Any, client: Any
) -> None:
    v = team.members.first().volunteer
    make_activity(team, people=1)
    cert = certificate_issue(
        volunteer=v, user=clerk_g, period_start=date(2026, 1, 1), period_end=date(2026, 12, 31)
    )
    client.force_login(viewer_a)
    assert client.get(f"/service/hours/{v.pk}/").status_code == 200
    assert client.get(cert.get_absolute_url()).status_code == 200
    assert client.post(f"/service/hours/{v.pk}/certificate/", {}).status_code == 403
    assert client.get(f"/service/hours/{v.pk}/export/").status_code == 403
    client.force_login(admin_b)
    assert client.get(f"/service/hours/{v.pk}/").status_code == 404
    assert client.get(cert.get_absolute_url()).status_code == 404
    assert client.get(f"/service/certificates/{cert.pk}/pdf/").status_code == 404


def test_per_volunteer_hours_export_has_the_measures_fields(
    team: Any, clerk_g: Any, client: Any
) -> None:
    v = team.members.first().volunteer
    make_activity(team, people=1, place="港湾社区", description="=cmd|' /C calc'!A0", hours="2")
    client.force_login(clerk_g)
    wb = _xlsx(client.get(f"/service/hours/{v.pk}/export/"))
    rows = list(wb.active.iter_rows(values_only=True))
    header = rows[2]
    assert header == (
        "序号",
        "姓名",
        "身份证号码",
        "服务日期",
        "服务内容",
        "服务地点",
        "服务时长（小时）",
        "志愿服务组织",
        "记录人",
    )
    data = rows[3]
    assert data[1] == v.name
    assert data[2] == v.masked_id
    assert data[4] == "=cmd|' /C calc'!A0"  # a text cell, not a formula
    assert data[6] == 2
    assert data[7] == team.union.name
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, rows=1).exists()


def test_exports_of_teams_projects_activities_and_hours(
    tree: Any, team: Any, clerk_a: Any, client: Any
) -> None:
    make_project(team, paired_unit="")
    make_activity(team, people=2)
    client.force_login(clerk_a)
    roster = _xlsx(client.get("/service/teams/export/"))
    assert len(list(roster.active.iter_rows(values_only=True))) == 3 + 2
    projects = _xlsx(client.get("/service/projects/export/"))
    row = list(projects.active.iter_rows(values_only=True))[3]
    assert row[-1] == "未填写结对志愿服务单位、社区"
    log = _xlsx(client.get("/service/activities/export/"))
    assert list(log.active.iter_rows(values_only=True))[3][10] == 2  # person-times
    hours = _xlsx(client.get("/service/hours/export/"))
    assert hours.sheetnames == ["志愿服务时长汇总", "志愿服务记录"]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 4


def test_exports_stay_in_scope(tree: Any, team: Any, admin_b: Any, client: Any) -> None:
    make_activity(team, people=2)
    client.force_login(admin_b)
    log = _xlsx(client.get("/service/activities/export/"))
    assert len(list(log.active.iter_rows(values_only=True))) == 3
    roster = _xlsx(client.get("/service/teams/export/"))
    assert len(list(roster.active.iter_rows(values_only=True))) == 3


def test_service_pages_query_counts_are_constant(
    tree: Any,
    team: Any,
    clerk_g: Any,
    client: Any,
    count_queries: Any,
    django_assert_max_num_queries: Any,
) -> None:
    v = team.members.first().volunteer
    make_activity(team, people=2)
    cert = certificate_issue(
        volunteer=v, user=clerk_g, period_start=date(2026, 1, 1), period_end=date(2026, 12, 31)
    )
    client.force_login(clerk_g)
    urls = [f"/service/hours/{v.pk}/", "/service/hours/", cert.get_absolute_url()]
    small = [count_queries(lambda u=u: client.get(u)) for u in urls]
    for i in range(6):
        make_activity(team, people=2, date=date(2026, 4, i + 1))
    add_members(team, volunteers=5)
    certificate_issue(
        volunteer=v, user=clerk_g, period_start=date(2026, 1, 1), period_end=date(2026, 12, 31)
    )
    for url, n in zip(urls, small, strict=True):
        with django_assert_max_num_queries(n):
            client.get(url)


def test_export_query_counts_are_constant(
    tree: Any, team: Any, clerk_a: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_activity(team, people=2)
    make_project(team)
    client.force_login(clerk_a)
    urls = [
        "/service/teams/export/",
        "/service/projects/export/",
        "/service/activities/export/",
        "/service/hours/export/",
    ]
    small = []
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            b"".join(client.get(url).streaming_content)
        small.append(len(ctx.captured_queries))
    for i in range(5):
        make_activity(team, people=2, date=date(2026, 4, i + 1))
        make_project(team)
    add_members(team, volunteers=4)
    for url, n in zip(urls, small, strict=True):
        with django_assert_max_num_queries(n):
            b"".join(client.get(url).streaming_content)
