"""The union picker in Chromium: a clerk finds a union the list does not show by typing
part of its name, picks it, and the form saves it; nothing outside the clerk's scope is
ever offered, and Enter in the search box does not submit the form."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from campaigns.models import Campaign
from service.models import ServiceTeam
from tests.browser.test_portal import log_in
from tests.factories import make_campaign, make_member, make_union
from unions.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clerk_finds_a_deep_union_and_forms_its_team(
    page: Any, live_server: Any, tree: Any
) -> None:
    make_member(tree.district_a, Role.ADMIN, username="picker_admin")
    street = make_union(tree.district_a, name="甲区某街道工会", code="C-A-2")
    community = make_union(street, name="甲区幸福社区工会", code="C-A-2-1")
    peace = make_union(street, name="甲区和平社区工会", code="C-A-2-2")
    make_union(tree.district_b, name="乙区幸福社区工会", code="C-B-2")
    campaign = make_campaign(tree.district_a, title="社区志愿服务")
    base = live_server.url
    log_in(page, base, "picker_admin")
    page.goto(f"{base}/service/teams/new/")

    select = page.locator("select[name=union]")
    listed = select.locator("option").all_text_contents()
    assert community.name not in " ".join(listed)  # only district A and its children
    # The union's search box (the parent team's has its own, below).
    field = page.locator("#div_id_union")
    box = field.locator("input.union-search")
    assert box.get_attribute("placeholder") == "输入工会名称或代码查找"

    # Two matches: the list opens with both, the first chosen; district B's is not there.
    box.fill("社区")
    status = field.locator(".union-search-status")
    expect(status).to_have_text("找到 2 个工会，请在下面选择。")
    assert select.get_attribute("size") == "3"
    options = select.locator("option").all_text_contents()
    assert options == [
        "---------",
        "甲区幸福社区工会（甲区某街道工会）",
        "甲区和平社区工会（甲区某街道工会）",
    ]
    # The arrow keys move through the matches; the list stays open.
    select.focus()
    select.press("ArrowDown")
    assert select.input_value() == str(peace.pk)
    assert select.get_attribute("size") == "3"
    select.select_option(label="甲区幸福社区工会（甲区某街道工会）")

    # Enter in the search box searches again, keeps the match picked and does not
    # submit the form.
    box.press("Enter")
    page.wait_for_timeout(400)
    assert select.input_value() == str(community.pk)
    assert page.url == f"{base}/service/teams/new/"
    assert ServiceTeam.objects.count() == 0

    # A term that matches nothing says so and leaves the choice alone.
    box.fill("乙区")
    expect(status).to_have_text("没有找到匹配的工会。")
    # Emptying the box lists the page's unions again, keeping the union found.
    box.fill("")
    expect(status).to_have_text("")
    assert select.input_value() == str(community.pk)

    page.select_option("select[name=campaign]", value=str(campaign.pk))
    page.fill("input[name=name]", "幸福社区志愿服务队")
    page.click("main input[type=submit][name=submit]")
    page.wait_for_load_state()
    team = ServiceTeam.objects.get(name="幸福社区志愿服务队")
    assert team.union == community
    assert page.csp_violations == []  # type: ignore[attr-defined]


def test_an_issuer_adds_a_deep_union_to_the_addressees(
    page: Any, live_server: Any, tree: Any
) -> None:
    make_member(tree.city, Role.ADMIN, username="issuer_admin")
    base = live_server.url
    log_in(page, base, "issuer_admin")
    page.goto(f"{base}/campaigns/new/")
    boxes = page.locator("input[name=addressees]")
    assert boxes.count() == 2  # the two districts, not their grassroots unions

    search = page.locator("input.union-search")
    search.fill("企业")
    add = page.locator(".union-search-results button")
    expect(add).to_have_count(2)
    assert add.all_text_contents() == [
        f"+ {tree.grassroots_a.name}（{tree.district_a.name}）",
        f"+ {tree.grassroots_b.name}（{tree.district_b.name}）",
    ]
    add.first.click()
    expect(boxes).to_have_count(3)
    assert page.locator(f"input[name=addressees][value='{tree.grassroots_a.pk}']").is_checked()
    add.first.click()  # a second click ticks the same box, it adds none
    expect(boxes).to_have_count(3)
    # Leave district B out.
    page.locator(f"input[name=addressees][value='{tree.district_b.pk}']").uncheck()

    page.fill("input[name=doc_number]", "市工发〔2026〕9号")
    page.fill("input[name=title]", "关于开展社区志愿服务的通知")
    page.select_option("select[name=kind]", "other")
    page.fill("textarea[name=body]", "正文")
    page.click("main input[type=submit][name=submit]")
    page.wait_for_load_state()
    campaign = Campaign.objects.get(doc_number="市工发〔2026〕9号")
    assert set(campaign.addressees.all()) == {tree.district_a, tree.grassroots_a}
    assert page.csp_violations == []  # type: ignore[attr-defined]
