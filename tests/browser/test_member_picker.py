"""The member picker in Chromium: the form lists the first candidates only; a clerk
finds another by typing part of the name, adds it with a click, and the team keeps it."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from service import widgets
from service.models import TeamMember, TeamRole
from tests.browser.test_portal import log_in
from tests.campaigns.factories import make_approved_volunteer, make_rule_campaign, make_team
from tests.factories import make_member
from unions.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clerk_finds_a_volunteer_the_list_does_not_show(
    page: Any, live_server: Any, tree: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(widgets, "PICKER_LIMIT", 2)  # the live server runs in this process
    make_member(tree.district_a, Role.CLERK, username="member_clerk")
    team = make_team(tree.district_a, campaign=make_rule_campaign(tree.city))
    for name in ("甲一", "甲三"):
        make_approved_volunteer(tree.district_a, name=name)
    wanted = make_approved_volunteer(tree.grassroots_a, name="基层王五")
    base = live_server.url
    log_in(page, base, "member_clerk")
    page.goto(f"{base}/service/teams/{team.pk}/members/")

    volunteers = page.locator("#div_id_volunteers")
    expect(volunteers.locator("input[type=checkbox]")).to_have_count(2)
    assert "基层王五" not in volunteers.inner_text()
    expect(page.locator("#candidates-more")).to_be_visible()

    box = volunteers.locator("input.union-search")
    assert box.get_attribute("placeholder") == "输入姓名或电话查找"
    box.fill("王五")
    expect(volunteers.locator(".union-search-status")).to_have_text("找到 1 人，请在下面选择。")
    label = f"+ 基层王五（甲区某企业工会，尾号 {wanted.phone[-4:]}）"
    volunteers.get_by_role("button", name=label).click()
    added = volunteers.locator(f"input[type=checkbox][value='{wanted.pk}']")
    expect(added).to_be_checked()

    page.locator("main input[type=submit][name=submit]").click()
    expect(page).to_have_url(f"{base}/service/teams/{team.pk}/")
    assert list(TeamMember.objects.filter(team=team).values_list("volunteer__name", "role")) == [
        ("基层王五", TeamRole.VOLUNTEER)
    ]
    assert page.csp_violations == []
