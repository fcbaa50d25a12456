"""The demo loads the five seed notices with their real issuers and deadlines, idempotently."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command

from campaigns import demo
from campaigns.models import Campaign, CampaignStatus, Milestone
from service import demo as service_demo
from service.models import Activity, ServiceTeam
from unions.demo import load_unions, load_users
from volunteers import demo as volunteers_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    load_unions()
    load_users()
    demo.load(io.StringIO())
    volunteers_demo.load(io.StringIO())
    service_demo.load(io.StringIO())


def test_this_years_round_of_each_notice_has_deadlines_around_today(loaded: None) -> None:
    from django.utils import timezone

    from campaigns.demo import current_round_campaigns

    current = current_round_campaigns()
    assert len(current) == 5
    today = timezone.localdate()
    for campaign in current:
        dues = [m.due_date for m in campaign.milestones.all()]
        assert min(dues) < today, campaign.doc_number
        assert str(today.year) in campaign.doc_number


def test_five_seed_notices_with_real_issuers_and_deadlines(loaded: None) -> None:
    issuers = dict(
        Campaign.objects.filter(issue_date__year__lt=2021).values_list("doc_number", "issuer__code")
    )
    assert issuers == {
        "鲁教工〔2019〕13号": "SD",
        "大工办发[2012]18号": "DL",
        "连工发〔2019〕39号": "LYG",
        "焦工文〔2020〕11号": "JZ",
        "沪教工〔2019〕1号": "SH",
    }
    due = lambda doc: sorted(  # noqa: E731
        {m.due_date for m in Milestone.objects.filter(campaign__doc_number=doc)}
    )
    assert due("鲁教工〔2019〕13号") == [
        date(2019, 3, 30),
        date(2019, 6, 30),
        date(2019, 9, 30),
        date(2019, 10, 11),
    ]
    assert due("大工办发[2012]18号") == [date(2012, 7, 15)]
    assert due("连工发〔2019〕39号") == [date(2019, 5, 30)]
    assert due("焦工文〔2020〕11号") == [date(2020, 4, 15), date(2020, 7, 15), date(2020, 12, 15)]
    assert due("沪教工〔2019〕1号") == [date(2019, 3, 1)]
    c000 = Campaign.objects.get(doc_number="鲁教工〔2019〕13号")
    assert (c000.team_min_volunteers, c000.team_max_volunteers) == (7, 10)
    assert (c000.team_min_cadres, c000.team_max_cadres) == (1, 2)
    assert c000.status == CampaignStatus.PUBLISHED
    assert c000.addressees.count() == c000.issuer.numchild
    c001 = Campaign.objects.get(doc_number="大工办发[2012]18号")
    assert c001.recruits_volunteers
    assert sum(c001.quotas.values_list("quota", flat=True)) == 5800
    assert Campaign.objects.get(doc_number="连工发〔2019〕39号").featured_per_year == 2
    assert Campaign.objects.get(doc_number="焦工文〔2020〕11号").categories.count() == 7


def test_demo_is_idempotent(loaded: None) -> None:
    counts = (Campaign.objects.count(), ServiceTeam.objects.count(), Activity.objects.count())
    demo.load(io.StringIO())
    assert counts == (
        Campaign.objects.count(),
        ServiceTeam.objects.count(),
        Activity.objects.count(),
    )


def test_load_demo_command_runs(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "campaigns: 5 seed notices" in out.getvalue()


def test_demo_pages_render_for_the_grassroots_clerk(loaded: None, client: Any) -> None:
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="sdu_clerk"))
    assert "鲁教工〔2019〕13号" in client.get("/campaigns/").content.decode()
    for url in (
        "/service/teams/",
        "/service/projects/",
        "/service/activities/",
        "/service/hours/",
    ):
        assert client.get(url).status_code == 200
    team = ServiceTeam.objects.get(name="齐鲁医学院医疗志愿服务分队")
    html = client.get(team.get_absolute_url()).content.decode()
    assert "工会干部多于 2 人" in html
