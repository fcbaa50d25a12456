"""Campaign notices: list, detail, create/edit, publish/close, read state, milestones,
categories — with an insider, a read-only member and an outsider."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from campaigns.models import (
    ActivityCategory,
    Campaign,
    CampaignAddressee,
    CampaignStatus,
    Milestone,
    SheetKind,
)
from campaigns.services import DOC_NUMBER_TAKEN
from tests.campaigns.factories import make_activity, make_team
from tests.factories import make_campaign, make_member
from unions.models import Role

pytestmark = pytest.mark.django_db


def _form(**extra: Any) -> dict[str, Any]:
    data = {
        "doc_number": "甲工发〔2026〕1号",
        "title": "关于开展志愿服务的通知",
        "kind": "other",
        "issue_date": "2026-03-01",
        "body": "正文",
        "points_per_participation": "0",
        "points_per_hour": "0",
    }
    data.update(extra)
    return data


# --- list ------------------------------------------------------------------------------------


def test_addressed_unions_see_notices_next_deadline_first(
    tree: Any, clerk_g: Any, client: Any
) -> None:
    today = timezone.localdate()
    later = make_campaign(tree.city, title="晚截止")
    sooner = make_campaign(tree.city, title="早截止")
    undated = make_campaign(tree.city, title="无截止")
    for c, days in ((later, 40), (sooner, 5)):
        Milestone.objects.create(
            campaign=c, title="报送", form=SheetKind.SUMMARY, due_date=today + timedelta(days)
        )
    for c in (later, sooner, undated):
        CampaignAddressee.objects.create(campaign=c, union=tree.district_a)
    other = make_campaign(tree.city, title="发给乙区")
    CampaignAddressee.objects.create(campaign=other, union=tree.district_b)

    client.force_login(clerk_g)
    rows = list(client.get("/campaigns/").context["object_list"])
    assert [c.title for c in rows] == ["早截止", "晚截止", "无截止"]


def test_drafts_are_hidden_from_addressees(tree: Any, clerk_g: Any, client: Any) -> None:
    draft = make_campaign(tree.city, status=CampaignStatus.DRAFT, title="草稿通知")
    CampaignAddressee.objects.create(campaign=draft, union=tree.district_a)
    client.force_login(clerk_g)
    assert "草稿通知" not in client.get("/campaigns/").content.decode()
    assert client.get(f"/campaigns/{draft.pk}/").status_code == 404


def test_list_filters_by_kind_status_and_year(tree: Any, admin_a: Any, client: Any) -> None:
    make_campaign(tree.district_a, title="甲", kind="with_you", issue_date=date(2020, 2, 17))
    make_campaign(tree.district_a, title="乙", kind="other", status=CampaignStatus.CLOSED)
    client.force_login(admin_a)
    titles = lambda q: [c.title for c in client.get(f"/campaigns/?{q}").context["object_list"]]  # noqa: E731
    assert titles("kind=with_you") == ["甲"]
    assert titles("status=closed") == ["乙"]
    assert titles("year=2020") == ["甲"]
    assert sorted(titles("")) == ["乙", "甲"]


def test_outsider_sees_no_notice_of_another_district(tree: Any, admin_b: Any, client: Any) -> None:
    c = make_campaign(tree.district_a, title="甲区通知")
    client.force_login(admin_b)
    assert "甲区通知" not in client.get("/campaigns/").content.decode()
    assert client.get(f"/campaigns/{c.pk}/").status_code == 404


# --- create / edit ---------------------------------------------------------------------------


def test_clerk_creates_a_notice_addressed_to_direct_children_by_default(
    tree: Any, clerk_a: Any, client: Any
) -> None:
    client.force_login(clerk_a)
    form = client.get("/campaigns/new/").context["form"]
    assert form.initial["addressees"] == [tree.grassroots_a.pk]
    response = client.post(
        "/campaigns/new/", _form(addressees=[tree.grassroots_a.pk], team_min_volunteers="7")
    )
    campaign = Campaign.objects.get(doc_number="甲工发〔2026〕1号")
    assert response.status_code == 302
    assert campaign.issuer == tree.district_a
    assert campaign.status == CampaignStatus.DRAFT
    assert campaign.created_by == clerk_a
    assert list(campaign.addressees.all()) == [tree.grassroots_a]


def test_duplicate_doc_number_gets_a_clear_message_and_keeps_input(
    tree: Any, clerk_a: Any, client: Any
) -> None:
    make_campaign(tree.district_a, doc_number="甲工发〔2026〕1号")
    client.force_login(clerk_a)
    response = client.post("/campaigns/new/", _form(title="我的标题"))
    assert response.status_code == 200
    assert str(DOC_NUMBER_TAKEN % {"number": "甲工发〔2026〕1号"}) in response.content.decode()
    assert response.context["form"]["title"].value() == "我的标题"
    assert Campaign.objects.count() == 1


def test_same_doc_number_is_fine_for_another_issuer(tree: Any, clerk_a: Any, client: Any) -> None:
    make_campaign(tree.district_b, doc_number="甲工发〔2026〕1号")
    client.force_login(clerk_a)
    assert client.post("/campaigns/new/", _form()).status_code == 302


def test_addressees_outside_the_issuer_subtree_are_refused(
    tree: Any, clerk_a: Any, client: Any
) -> None:
    client.force_login(clerk_a)
    response = client.post("/campaigns/new/", _form(addressees=[tree.grassroots_b.pk]))
    assert response.status_code == 200
    assert not Campaign.objects.exists()
    # The error is shown beside the boxes: Bootstrap shows an .invalid-feedback only
    # after an .is-invalid sibling.
    html = response.content.decode()
    box_list = html.split('id="id_addressees"')[1]
    assert box_list.startswith(' class="is-invalid" aria-invalid="true">')
    after = box_list.split('<div id="id_addressees_error" class="invalid-feedback">')
    assert len(after) == 2
    assert "选择一个有效的选项" in after[1].split("</div>")[0]


def test_viewer_cannot_create_or_edit(tree: Any, viewer_a: Any, client: Any) -> None:
    c = make_campaign(tree.district_a)
    client.force_login(viewer_a)
    assert client.get("/campaigns/new/").status_code == 403
    assert client.post("/campaigns/new/", _form()).status_code == 403
    assert client.get(f"/campaigns/{c.pk}/edit/").status_code == 403


def test_addressee_cannot_edit_the_issuers_notice(
    tree: Any, campaign: Any, admin_a: Any, client: Any
) -> None:
    client.force_login(admin_a)
    assert client.get(f"/campaigns/{campaign.pk}/").status_code == 200
    assert client.get(f"/campaigns/{campaign.pk}/edit/").status_code == 404
    assert client.post(f"/campaigns/{campaign.pk}/publish/").status_code == 404


def test_edit_keeps_fields_and_changes_addressees(tree: Any, admin_a: Any, client: Any) -> None:
    c = make_campaign(tree.district_a, doc_number="甲工发〔2026〕9号")
    client.force_login(admin_a)
    response = client.post(
        f"/campaigns/{c.pk}/edit/",
        _form(
            doc_number="甲工发〔2026〕9号",
            title="新标题",
            addressees=[tree.grassroots_a.pk],
            version=c.version,
        ),
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.title == "新标题"
    assert list(c.addressees.all()) == [tree.grassroots_a]


def test_publish_then_close(tree: Any, admin_a: Any, client: Any) -> None:
    c = make_campaign(tree.district_a, status=CampaignStatus.DRAFT)
    client.force_login(admin_a)
    client.post(f"/campaigns/{c.pk}/close/")  # not yet published: refused
    c.refresh_from_db()
    assert c.status == CampaignStatus.DRAFT
    client.post(f"/campaigns/{c.pk}/publish/")
    c.refresh_from_db()
    assert c.status == CampaignStatus.PUBLISHED
    client.post(f"/campaigns/{c.pk}/close/")
    c.refresh_from_db()
    assert c.status == CampaignStatus.CLOSED


# --- read state ------------------------------------------------------------------------------


def test_addressed_union_marks_read_and_issuer_sees_who(
    tree: Any, campaign: Any, clerk_a: Any, client: Any
) -> None:
    client.force_login(clerk_a)
    client.post(f"/campaigns/{campaign.pk}/read/")
    row = CampaignAddressee.objects.get(campaign=campaign, union=tree.district_a)
    assert row.read_by == clerk_a
    assert row.read_at is not None

    issuer_clerk = make_member(tree.city, Role.CLERK)
    client.force_login(issuer_clerk)
    page = client.get(f"/campaigns/{campaign.pk}/")
    assert page.context["read_count"] == 1
    assert page.context["is_issuer_staff"]
    assert clerk_a.first_name in page.content.decode()


def test_viewer_cannot_mark_read(tree: Any, campaign: Any, viewer_a: Any, client: Any) -> None:
    client.force_login(viewer_a)
    assert client.post(f"/campaigns/{campaign.pk}/read/").status_code == 403


def test_a_union_not_addressed_cannot_mark_read(
    tree: Any, campaign: Any, clerk_g: Any, client: Any
) -> None:
    client.force_login(clerk_g)  # grassroots_a: sees it via its district, not addressed itself
    client.post(f"/campaigns/{campaign.pk}/read/")
    assert not CampaignAddressee.objects.filter(read_at__isnull=False).exists()


# --- milestones and categories ---------------------------------------------------------------


def test_milestone_add_and_edit(tree: Any, admin_a: Any, client: Any) -> None:
    c = make_campaign(tree.district_a)
    client.force_login(admin_a)
    response = client.post(
        f"/campaigns/{c.pk}/milestones/new/",
        {"title": "情况调度表", "form": "dispatch", "due_date": "2026-06-30"},
    )
    assert response.status_code == 302
    m = Milestone.objects.get(campaign=c)
    response = client.post(
        f"/campaigns/milestones/{m.pk}/edit/",
        {"title": "情况调度表", "form": "dispatch", "due_date": "2026-09-30", "version": m.version},
    )
    m.refresh_from_db()
    assert m.due_date == date(2026, 9, 30)


def test_milestone_due_before_opening_is_refused(tree: Any, admin_a: Any, client: Any) -> None:
    c = make_campaign(tree.district_a)
    client.force_login(admin_a)
    response = client.post(
        f"/campaigns/{c.pk}/milestones/new/",
        {"title": "总结", "form": "summary", "opens_on": "2026-07-01", "due_date": "2026-06-30"},
    )
    assert response.status_code == 200
    assert not Milestone.objects.exists()


def test_categories_are_replaced_in_order_but_used_ones_stay(
    tree: Any, admin_a: Any, client: Any
) -> None:
    team = make_team(tree.district_a)
    c = team.campaign
    used = ActivityCategory.objects.create(campaign=c, name="医疗义诊")
    make_activity(team, category=used, people=0)
    client.force_login(admin_a)
    url = f"/campaigns/{c.pk}/categories/"
    response = client.post(url, {"names": "法律咨询\n环境保护", "version": c.version})
    assert response.status_code == 200  # 医疗义诊 is in use
    assert "医疗义诊" in response.content.decode()
    client.post(url, {"names": "法律咨询\n医疗义诊\n环境保护", "version": c.version})
    assert list(c.categories.values_list("name", flat=True)) == ["法律咨询", "医疗义诊", "环境保护"]


# --- query counts ----------------------------------------------------------------------------


def _notices(tree: Any, n: int) -> None:
    for _ in range(n):
        c = make_campaign(tree.city)
        CampaignAddressee.objects.create(campaign=c, union=tree.district_a)
        Milestone.objects.create(
            campaign=c, title="调度", form=SheetKind.DISPATCH, due_date=date(2030, 1, 1)
        )
        ActivityCategory.objects.create(campaign=c, name="类别")


def test_list_query_count_is_constant(
    tree: Any, clerk_a: Any, client: Any, count_queries: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(clerk_a)
    _notices(tree, 2)
    small = count_queries(lambda: client.get("/campaigns/"))
    _notices(tree, 12)
    with django_assert_max_num_queries(small):
        client.get("/campaigns/")
    assert small <= 10


def test_detail_query_count_is_constant(
    tree: Any,
    campaign: Any,
    admin_a: Any,
    client: Any,
    count_queries: Any,
    django_assert_max_num_queries: Any,
) -> None:
    issuer_admin = make_member(tree.city, Role.ADMIN)
    client.force_login(issuer_admin)
    url = f"/campaigns/{campaign.pk}/"
    make_team(tree.grassroots_a, campaign=campaign)
    small = count_queries(lambda: client.get(url))
    for i in range(8):
        Milestone.objects.create(
            campaign=campaign, title=f"节点{i}", form="summary", due_date=date(2030, 1, i + 1)
        )
        ActivityCategory.objects.create(campaign=campaign, name=f"类别{i}")
        make_team(tree.grassroots_a, campaign=campaign)
    campaign.addressee_rows.update(read_at=timezone.now(), read_by=admin_a)
    with django_assert_max_num_queries(small):
        client.get(url)
    assert small <= 17  # + the reports panel: the union's own submissions


def test_home_shows_unread_notices_and_projects_to_approve(
    tree: Any, campaign: Any, reviewer_a: Any, client: Any
) -> None:
    from tests.campaigns.factories import make_project

    make_project(make_team(tree.grassroots_a, campaign=campaign), status="proposed")
    client.force_login(reviewer_a)
    html = client.get("/").content.decode()
    assert "未读的活动通知" in html
    assert "待审批的志愿服务项目" in html


def test_featured_shortfall_is_flagged_for_the_issuer_only(
    tree: Any, clerk_a: Any, client: Any
) -> None:
    c = make_campaign(tree.city, featured_per_year=2)
    for union in (tree.district_a, tree.district_b):
        CampaignAddressee.objects.create(campaign=c, union=union)
    team_a = make_team(tree.grassroots_a, campaign=c)
    team_b = make_team(tree.grassroots_b, campaign=c)
    make_activity(team_a, featured=True, date=date(2026, 3, 1), people=0)
    make_activity(team_a, featured=True, date=date(2026, 4, 1), people=0)
    make_activity(team_b, featured=True, date=date(2026, 4, 1), people=0)
    make_activity(team_b, featured=True, date=date(2025, 4, 1), people=0)  # another year

    issuer = make_member(tree.city, Role.REVIEWER)
    client.force_login(issuer)
    page = client.get(f"/campaigns/{c.pk}/?year=2026")
    featured = next(p for p in page.context["side_panels"] if "rows" in p.context)
    flags = {a["union"].pk: a["flag"] for a in featured.context["rows"]}
    assert flags[tree.district_a.pk] == ""
    assert flags[tree.district_b.pk] == "2026 年特色活动 1 次，少于要求的 2 次"
    assert "少于要求的 2 次" in page.content.decode()
    teams = {
        t.pk: t.featured_flag for t in client.get("/service/teams/?year=2026").context["teams"]
    }
    assert teams[team_a.pk] == ""
    assert "1 次" in str(teams[team_b.pk])

    client.force_login(clerk_a)  # an addressee: sees the notice, not the siblings' counts
    assert "少于要求的 2 次" not in client.get(f"/campaigns/{c.pk}/?year=2026").content.decode()


def test_an_addressed_district_sees_its_own_quota_not_its_siblings(
    tree: Any, clerk_a: Any, client_as: Any
) -> None:
    from campaigns.models import CampaignAddressee
    from tests.factories import make_campaign
    from volunteers.models import QuotaAllocation

    campaign = make_campaign(tree.city, recruits_volunteers=True)
    for union in (tree.district_a, tree.district_b):
        CampaignAddressee.objects.create(campaign=campaign, union=union)
    QuotaAllocation.objects.create(campaign=campaign, union=tree.district_a, quota=111)
    QuotaAllocation.objects.create(campaign=campaign, union=tree.district_b, quota=222)
    html = client_as(clerk_a).get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "111" in html
    assert "222" not in html


def test_the_notice_page_lists_its_teams_with_counts_and_warnings(
    tree: Any, client_as: Any
) -> None:
    """What a row of the teams panel says: a link to the team, its union, its members by
    role and the composition's warnings (the notice asks for at least 7 volunteers)."""
    from campaigns.models import CampaignAddressee
    from tests.campaigns.factories import add_members

    campaign = make_campaign(tree.city, team_min_volunteers=7)
    CampaignAddressee.objects.create(campaign=campaign, union=tree.district_a)
    team = make_team(tree.district_a, campaign, name="甲区<服务队>")
    add_members(team, volunteers=2, cadres=1)
    html = client_as(make_member(tree.city, Role.VIEWER)).get(f"/campaigns/{campaign.pk}/")
    row = next(r for r in html.content.decode().split("<tr>") if "服务队&gt;" in r)
    assert f'<a href="/service/teams/{team.pk}/">甲区&lt;服务队&gt;</a>' in row
    cells = [c.split("</td>")[0] for c in row.split("<td>")[1:]]
    assert cells[1:4] == [tree.district_a.name, "2", "1"]
    assert "志愿者人数少于 7 人" in cells[4]
