"""The cheaper reads behind the pages: the home counts in one statement, a union's
figures with its children's from one query, a notice's parts read by its key once it
was read through the scope — each giving what the plainer way gives."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db.models import Max, Sum

from campaigns.models import Campaign, CampaignAddressee, Milestone, SheetKind
from tests.factories import make_campaign, make_member, make_volunteer
from unions.models import Role
from unionvol.figures import grouped_by_path
from unionvol.home import Total, awaiting_for, tally
from unionvol.scoping import ScopeError, no_scope, user_scope
from volunteers.models import Volunteer, VolunteerRollup, VolunteerStatus


def test_tally_gives_what_count_and_sum_give(tree: Any, rollups_current: Any) -> None:
    for union in (tree.grassroots_a, tree.grassroots_a, tree.grassroots_b):
        make_volunteer(union)
    make_volunteer(tree.grassroots_a, status=VolunteerStatus.RETURNED)
    rollups_current()
    admin = make_member(tree.district_a, Role.ADMIN)
    with user_scope(admin):
        mine = Volunteer.objects.visible_to(admin)
        returned = Total(VolunteerRollup.objects.visible_to(admin), "returned")
        assert tally([mine, mine.filter(status=VolunteerStatus.RETURNED), returned, 7]) == [
            mine.count(),
            1,
            VolunteerRollup.objects.visible_to(admin).aggregate(n=Sum("returned"))["n"],
            7,
        ]
        assert mine.count() == 3  # district A's, not B's
        # A queryset that can match nothing is 0, and needs no SQL of its own.
        assert tally([mine.none(), Volunteer.objects.filter(pk__in=[])]) == [0, 0]
        assert tally([]) == []


def test_tally_fails_closed_like_count(tree: Any) -> None:
    with no_scope():
        unscoped = Volunteer.objects.all()
        with pytest.raises(ScopeError):
            tally([unscoped])


def test_the_home_items_leave_out_what_is_zero_and_count_the_rest(
    tree: Any, rollups_current: Any
) -> None:
    make_volunteer(tree.grassroots_a, status=VolunteerStatus.RETURNED)
    make_volunteer(tree.grassroots_a, status=VolunteerStatus.RETURNED)
    rollups_current()
    clerk = make_member(tree.grassroots_a, Role.CLERK)
    with user_scope(clerk):
        items = {str(i.label): i.count for i in awaiting_for(clerk)}
    assert items == {"被退回待修改的志愿者登记": 2}


@pytest.mark.rollups_may_differ  # rollup rows written by hand, with no records behind them
def test_a_parent_is_summed_from_its_childrens_groups_and_its_own_rows(tree: Any) -> None:
    campaign = make_campaign(tree.city)
    cells = {tree.city: 1, tree.district_a: 2, tree.grassroots_a: 4, tree.grassroots_b: 8}
    for union, n in cells.items():
        VolunteerRollup.objects.create(
            union=union, campaign=campaign, registered=n, approved=n, returned=0
        )
    rows = VolunteerRollup.objects.filter(campaign=campaign)
    city, a, b = tree.city.path, tree.district_a.path, tree.district_b.path
    together = grouped_by_path(rows, "union", [city, a, b], n=Sum("registered"))
    assert {p: r["n"] for p, r in together.items()} == {city: 15, a: 6, b: 8}
    # The same figures as asking for the parent alone, and for the children alone.
    assert grouped_by_path(rows, "union", [city], n=Sum("registered"))[city]["n"] == 15
    assert grouped_by_path(rows, "union", [a, b], n=Sum("registered"))[a]["n"] == 6


def test_a_parent_is_refused_for_figures_that_do_not_add_up(tree: Any) -> None:
    rows = VolunteerRollup.objects.all()
    paths = [tree.city.path, tree.district_a.path]
    with pytest.raises(ValueError, match="sums and counts"):
        grouped_by_path(rows, "union", paths, n=Max("registered"))
    with pytest.raises(ValueError, match="one depth"):  # not their parent
        grouped_by_path(rows, "union", [tree.district_b.path, tree.grassroots_a.path])


def _notice(tree: Any) -> Campaign:
    campaign = make_campaign(tree.city)
    Milestone.objects.create(
        campaign=campaign, title="一季度", form=SheetKind.DISPATCH, due_date=date(2026, 4, 5)
    )
    CampaignAddressee.objects.create(campaign=campaign, union=tree.district_a)
    return campaign


def test_the_parts_of_a_notice_read_in_scope_are_read_by_its_key(
    tree: Any, django_assert_num_queries: Any
) -> None:
    campaign = _notice(tree)
    clerk = make_member(tree.grassroots_a, Role.CLERK)
    with user_scope(clerk):
        notice = Campaign.objects.visible_to(clerk).get(pk=campaign.pk)
        sql = str(notice.milestones.all().query)
        assert "campaigns_campaignaddressee" not in sql  # no second test of the scope
        assert [m.title for m in notice.milestones.all()] == ["一季度"]
    # The same object in another scope, or one read around the scope: the part scope.
    outsider = make_member(tree.district_b, Role.CLERK)
    with user_scope(outsider):
        assert "campaigns_campaignaddressee" in str(notice.milestones.all().query)
        assert list(notice.milestones.all()) == []
        bare = Campaign._base_manager.get(pk=campaign.pk)
        assert list(bare.milestones.all()) == []
        assert list(bare.addressee_rows.all()) == []


def test_the_notice_list_shows_the_next_deadline_else_the_last_one_passed(
    tree: Any, client_as: Any
) -> None:
    past = make_campaign(tree.city, title="已过截止的通知")
    Milestone.objects.create(
        campaign=past, title="总结", form=SheetKind.SUMMARY, due_date=date(2020, 12, 31)
    )
    coming = make_campaign(tree.city, title="将到截止的通知")
    Milestone.objects.create(
        campaign=coming, title="总结", form=SheetKind.SUMMARY, due_date=date(2099, 1, 31)
    )
    html = client_as(make_member(tree.city, Role.CLERK)).get("/campaigns/").content.decode()
    assert "2099-01-31" in html
    assert "已截止 2020-12-31" in html
    # Soonest deadline first; past deadlines after it.
    assert html.index("将到截止的通知") < html.index("已过截止的通知")


@pytest.mark.parametrize("kind", ["", "other"])
def test_the_notice_list_counts_what_it_lists(tree: Any, client_as: Any, kind: str) -> None:
    for _ in range(27):
        make_campaign(tree.city)
    client = client_as(make_member(tree.city, Role.CLERK))
    response = client.get("/campaigns/", {"kind": kind} if kind else {})
    assert response.context["paginator"].count == 27
    assert len(response.context["object_list"]) == 25
    assert response.context["filter_form"].fields["year"].choices[1:] == [(2026, "2026")]
