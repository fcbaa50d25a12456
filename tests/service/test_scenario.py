"""Issue 4 "Done when": a grassroots clerk forms a team under 鲁教工〔2019〕13号, is warned
at 6 volunteers or 3 cadres, proposes a project, the parent approves it, the clerk logs
two activities with photos and hours, and the volunteer's hours, points and certificate
show them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from service.models import (
    Activity,
    ActivityPhoto,
    Certificate,
    ProjectStatus,
    ServiceProject,
    ServiceTeam,
    TeamMember,
)
from tests.campaigns.conftest import photo_upload
from tests.campaigns.factories import make_approved_volunteer
from unionvol.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_grassroots_clerk_story(
    tree: Any, campaign: Any, clerk_g: Any, reviewer_g: Any, reviewer_a: Any, client: Any
) -> None:
    people = [make_approved_volunteer(tree.grassroots_a) for _ in range(12)]
    client.force_login(clerk_g)

    # The notice is visible to the grassroots union (its district is addressed).
    page = client.get("/campaigns/")
    assert "鲁教工〔2019〕13号" in page.content.decode()

    # 1. form a team
    response = client.post(
        "/service/teams/new/",
        {"campaign": campaign.pk, "union": tree.grassroots_a.pk, "name": "甲企业志愿服务队"},
    )
    team = ServiceTeam.objects.get(name="甲企业志愿服务队")
    assert response.status_code == 302
    assert response["Location"] == f"/service/teams/{team.pk}/members/"
    url = f"/service/teams/{team.pk}/members/"

    # 2. six volunteers (captain included) and one cadre: saved, warned, flagged
    response = client.post(
        url,
        {
            "captain": people[0].pk,
            "volunteers": [p.pk for p in people[1:6]],
            "cadres": [people[6].pk],
            "version": client.get(url).context["form"]["version"].value(),
        },
        follow=True,
    )
    html = response.content.decode()
    assert "志愿者人数少于 7 人" in html
    assert team.members.count() == 7

    # 3. seven volunteers and three cadres: warned about cadres
    response = client.post(
        url,
        {
            "captain": people[0].pk,
            "volunteers": [p.pk for p in people[1:7]],
            "cadres": [p.pk for p in people[7:10]],
            "version": client.get(url).context["form"]["version"].value(),
        },
        follow=True,
    )
    html = response.content.decode()
    assert "工会干部多于 2 人" in html
    assert "志愿者人数少于" not in html
    team_list = client.get("/service/teams/").content.decode()
    assert "工会干部多于 2 人" in team_list

    # 4. eight volunteers and one cadre: within the rule
    response = client.post(
        url,
        {
            "captain": people[0].pk,
            "volunteers": [p.pk for p in people[1:8]],
            "cadres": [people[8].pk],
            "version": client.get(url).context["form"]["version"].value(),
        },
        follow=True,
    )
    assert "队员已保存。" in response.content.decode()
    assert TeamMember.objects.filter(team=team).count() == 9

    # 5. propose a project
    response = client.post(
        "/service/projects/new/",
        {
            "team": team.pk,
            "name": "留守儿童学习辅导",
            "period_start": "2026-04-01",
            "period_end": "2026-09-30",
            "paired_unit": "某镇中心小学",
            "beneficiaries": "120",
            "support_items": "图书",
            "support_amount": "5000.00",
            "leader_name": "王丽",
            "leader_position": "工会主席",
            "leader_phone": "13900001111",
            "progress": "",
        },
    )
    project = ServiceProject.objects.get(name="留守儿童学习辅导")
    assert response.status_code == 302
    assert project.status == ProjectStatus.PROPOSED
    assert project.proposed_by == tree.grassroots_a

    # the proposing union's own reviewer cannot approve it
    client.force_login(reviewer_g)
    client.post(f"/service/projects/{project.pk}/approve/")
    project.refresh_from_db()
    assert project.status == ProjectStatus.PROPOSED

    # 6. the parent union's reviewer approves
    client.force_login(reviewer_a)
    client.post(f"/service/projects/{project.pk}/approve/")
    project.refresh_from_db()
    assert project.status == ProjectStatus.APPROVED
    assert project.approved_by == reviewer_a

    # 7. the clerk logs two activities with photos and hours
    client.force_login(clerk_g)
    first = people[0]
    for day, hours, photos in (("2026-05-01", "2", 2), ("2026-06-01", "3", 3)):
        data: dict[str, Any] = {
            "date": day,
            "start_time": "09:00",
            "end_time": "12:00",
            "place": "某镇中心小学",
            "project": project.pk,
            "description": "学习辅导",
            "beneficiaries": "30",
            "participants": [first.pk, people[1].pk],
            "hours": hours,
        }
        for i in range(photos):
            data[f"photo{i + 1}"] = photo_upload(f"p{i}.png")
        response = client.post(f"/service/teams/{team.pk}/activities/new/", data)
        assert response.status_code == 302, response.content.decode()
    assert Activity.objects.filter(team=team).count() == 2
    assert ActivityPhoto.objects.filter(activity__team=team).count() == 5

    # 8. the volunteer's hours and points (10 per participation + 2 per hour)
    page = client.get(f"/service/hours/{first.pk}/")
    ctx = page.context
    assert ctx["totals"]["hours"] == Decimal("5.0")
    assert ctx["totals"]["points"] == Decimal("30")
    assert ctx["totals"]["person_times"] == 2

    # 9. and the certificate
    response = client.post(
        f"/service/hours/{first.pk}/certificate/",
        {"period_start": "2026-01-01", "period_end": "2026-12-31"},
    )
    cert = Certificate.objects.get(volunteer=first)
    assert response["Location"] == f"/service/certificates/{cert.pk}/"
    assert cert.total_hours == Decimal("5.0")
    assert len(cert.entries) == 2
    html = client.get(response["Location"]).content.decode()
    assert cert.number in html
    assert first.masked_id in html
    assert first.id_number not in html
    pdf = client.get(f"/service/certificates/{cert.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(object_id=str(cert.pk)).count() == 2
