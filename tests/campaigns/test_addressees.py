"""A notice addressed to a thousand unions: its page summarises the addressees (counts by
read state, the first few names) and links to the full list, which pages by keyset —
with an insider, a read-only member and an outsider."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.utils import timezone

from campaigns.models import CampaignAddressee
from campaigns.selectors import ADDRESSEE_PREVIEW
from tests.campaigns.factories import make_rule_campaign, make_team
from tests.factories import make_member, make_union
from unions.models import Role

pytestmark = pytest.mark.django_db

NEXT = re.compile(r'rel="next" href="\?([^"]+)"')


def addressed(tree: Any, n: int) -> Any:
    """A notice of the city addressed to ``n`` unions under district A, every third read."""
    campaign = make_rule_campaign(tree.city, doc_number=f"测〔2026〕{n}号", title="规模通知")
    reader = make_member(tree.district_a, Role.CLERK)
    for i in range(n):
        union = make_union(tree.district_a, name=f"甲区第{i:03d}基层工会", code=f"C-A-X{i:03d}")
        CampaignAddressee.objects.create(
            campaign=campaign,
            union=union,
            read_at=timezone.now() if i % 3 == 0 else None,
            read_by=reader if i % 3 == 0 else None,
        )
    return campaign


def names(html: str) -> list[str]:
    return re.findall(r"甲区第\d{3}基层工会", html)


def test_the_page_summarises_many_addressees(tree: Any, client_as: Any) -> None:
    campaign = addressed(tree, 45)
    issuer = make_member(tree.city, Role.ADMIN)
    html = client_as(issuer).get(f"/campaigns/{campaign.pk}/").content.decode()
    card = html.split('id="addressees"')[1].split("</table>")[0]
    assert "45 个" in card
    assert "已读 15，未读 30" in card
    assert names(card) == [f"甲区第{i:03d}基层工会" for i in range(ADDRESSEE_PREVIEW)]
    assert f"/campaigns/{campaign.pk}/addressees/" in card
    assert f"/campaigns/{campaign.pk}/addressees/?state=unread" in card


def test_the_full_list_pages_every_addressee_once_and_filters_by_state(
    tree: Any, client_as: Any
) -> None:
    campaign = addressed(tree, 120)
    client = client_as(make_member(tree.city, Role.VIEWER))  # read-only, at the issuer
    url = f"/campaigns/{campaign.pk}/addressees/"
    seen: list[str] = []
    html = client.get(url).content.decode()
    while True:
        seen += names(html.split('id="addressee-list"')[1])
        following = NEXT.search(html)
        if not following:
            break
        html = client.get(f"{url}?{unescape(following.group(1))}").content.decode()
    assert seen == [f"甲区第{i:03d}基层工会" for i in range(120)]
    unread = client.get(f"{url}?state=unread").content.decode()
    listed = names(unread.split('id="addressee-list"')[1])
    assert len(listed) == 50
    assert "甲区第000基层工会" not in listed  # read
    assert "甲区第001基层工会" in listed


def test_an_addressed_union_sees_the_list_without_the_read_state(
    tree: Any, clerk_a: Any, client_as: Any
) -> None:
    campaign = addressed(tree, 3)
    CampaignAddressee.objects.create(campaign=campaign, union=tree.district_a)
    html = client_as(clerk_a).get(f"/campaigns/{campaign.pk}/addressees/?state=read").content
    text = html.decode()
    assert len(names(text)) == 3  # the state filter is the issuer's: ignored
    assert "阅读情况" not in text
    assert "已读 " not in text.split('id="addressee-list"')[1]


def test_an_outsider_gets_404(tree: Any, admin_b: Any, client_as: Any) -> None:
    campaign = addressed(tree, 3)
    campaign.status = "draft"
    campaign.save(update_fields=["status"])
    client = client_as(admin_b)
    assert client.get(f"/campaigns/{campaign.pk}/addressees/").status_code == 404


@pytest.mark.parametrize("n", [5, 80])
def test_the_page_and_the_list_cost_the_same_queries_for_5_or_80_addressees(
    tree: Any, client_as: Any, django_assert_max_num_queries: Any, n: int
) -> None:
    campaign = addressed(tree, n)
    for _ in range(3 if n > 5 else 1):
        make_team(tree.grassroots_a, campaign=campaign)
    client = client_as(make_member(tree.city, Role.ADMIN))
    # 15: the teams panel reads its rows, then their member counts grouped for those
    # rows (two plain queries cost less than one grouped join of three tables).
    with django_assert_max_num_queries(15):
        assert client.get(f"/campaigns/{campaign.pk}/").status_code == 200
    # 10 on PostgreSQL: past one page its planner is asked before a small list is counted
    with django_assert_max_num_queries(10):
        html = client.get(f"/campaigns/{campaign.pk}/addressees/").content.decode()
    if n > 50:
        following = unescape(NEXT.search(html).group(1))  # type: ignore[union-attr]
        with django_assert_max_num_queries(10):
            client.get(f"/campaigns/{campaign.pk}/addressees/?{following}")


def test_the_featured_panel_lists_those_below_the_rule_first_and_counts_the_rest(
    tree: Any, client_as: Any
) -> None:
    from datetime import date

    from tests.campaigns.factories import make_activity

    campaign = addressed(tree, 30)
    campaign.featured_per_year = 1
    campaign.save(update_fields=["featured_per_year"])
    rows = list(campaign.addressee_rows.select_related("union").order_by("union__path"))
    for row in rows[:12]:  # twelve meet the rule, in their subtree (a child's team counts)
        child = make_union(row.union, name=f"{row.union.name}分会", code=f"{row.union.code}-1")
        make_activity(make_team(child, campaign=campaign), featured=True, date=date(2026, 4, 1))
    client = client_as(make_member(tree.city, Role.REVIEWER))
    page = client.get(f"/campaigns/{campaign.pk}/?year=2026")
    panel = next(p for p in page.context["side_panels"] if "rows" in p.context).context
    assert panel["total"] == 30
    assert panel["flagged"] == 18
    assert len(panel["rows"]) == 20
    assert [r["union"].pk for r in panel["rows"][:18]] == [r.union_id for r in rows[12:]]
    assert all(r["flag"] for r in panel["rows"][:18])
    assert [r["featured_count"] for r in panel["rows"][18:]] == [1, 1]
    assert "共 30 个主送单位，18 个少于要求" in page.content.decode()


def test_the_first_rows_show_when_and_by_whom_to_the_issuer_only(tree: Any, client_as: Any) -> None:
    campaign = addressed(tree, 2)
    read = campaign.addressee_rows.get(union__name="甲区第000基层工会")
    read.read_by.first_name, read.read_by.last_name = "张三", ""
    read.read_by.save()
    when = timezone.localtime(read.read_at).strftime("%m-%d %H:%M")
    issuer = client_as(make_member(tree.city, Role.ADMIN))
    card = issuer.get(f"/campaigns/{campaign.pk}/").content.decode().split('id="addressees"')[1]
    rows = card.split("</table>")[0].split("<tr>")[1:]
    assert "甲区第000基层工会" in rows[0]
    assert f"已读 {when} · 张三" in rows[0]
    assert "甲区第001基层工会" in rows[1]
    assert '<span class="text-muted">未读</span>' in rows[1]
    clerk = client_as(make_member(tree.district_a, Role.CLERK))
    card = clerk.get(f"/campaigns/{campaign.pk}/").content.decode().split('id="addressees"')[1]
    assert "已读 " not in card.split("</table>")[0]
