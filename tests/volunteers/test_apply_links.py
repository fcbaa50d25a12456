"""Issue 14 item 5: a union's public application has a stable short address and a QR
code (segno, drawn locally) that its clerk prints or posts in WeChat."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from unittest import mock

import pytest
import segno
from django.conf import settings

from campaigns.models import CampaignAddressee, CampaignStatus
from tests.factories import make_campaign, make_member
from tests.volunteers.test_public import apply_data
from unions.models import Role
from volunteers import qr
from volunteers.models import ApplyLink, Volunteer

pytestmark = pytest.mark.django_db


def short_url(link: ApplyLink) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/j/{link.code}/"


def test_the_clerk_gets_one_stable_short_link_per_union_and_campaign(
    tree: Any, chain: Any, client_as: Any
) -> None:
    client = client_as(chain.clerk)
    url = f"/volunteers/apply-link/?campaign={chain.campaign.pk}"
    response = client.get(url)
    assert response.status_code == 200
    link = ApplyLink.objects.get()
    assert (link.union, link.campaign) == (tree.grassroots_a, chain.campaign)
    assert re.fullmatch(r"[2-9a-hjkmnp-z]{7}", link.code)
    html = response.content.decode()
    assert short_url(link) in html  # absolute: it leaves the site on paper and in WeChat
    assert short_url(link).startswith(("http://", "https://"))
    assert f"/volunteers/apply-link/{link.pk}/qr.svg" in html
    assert f"/volunteers/apply-link/{link.pk}/qr.png?download=1" in html
    assert f"/volunteers/apply-link/{link.pk}/print/" in html
    assert chain.campaign.title in html

    # The same link on every later visit, whoever of the union opens the page.
    assert short_url(link) in client.get(url).content.decode()
    viewer = make_member(tree.grassroots_a, Role.VIEWER)
    assert short_url(link) in client_as(viewer).get(url).content.decode()
    assert ApplyLink.objects.count() == 1

    # Without a notice: the union's general link, another code.
    general = client_as(chain.clerk).get("/volunteers/apply-link/")
    assert general.status_code == 200
    assert ApplyLink.objects.count() == 2
    other = ApplyLink.objects.get(campaign=None)
    assert other.union == tree.grassroots_a
    assert other.code != link.code
    assert short_url(other) in general.content.decode()


def test_a_district_clerk_makes_links_for_the_unions_below(
    tree: Any, chain: Any, client_as: Any
) -> None:
    clerk = make_member(tree.district_a, Role.CLERK)
    response = client_as(clerk).get(
        f"/volunteers/apply-link/?union={tree.grassroots_a.pk}&campaign={chain.campaign.pk}"
    )
    assert response.status_code == 200
    assert ApplyLink.objects.get().union == tree.grassroots_a


def test_outsiders_get_no_link_of_another_union(tree: Any, chain: Any, client_as: Any) -> None:
    outsider = make_member(tree.grassroots_b, Role.CLERK)
    client = client_as(outsider)
    assert client.get(f"/volunteers/apply-link/?union={tree.grassroots_a.pk}").status_code == 404
    # A notice the union cannot read, or one that does not recruit, is not offered.
    hidden = make_campaign(tree.district_a, recruits_volunteers=True)
    assert client.get(f"/volunteers/apply-link/?campaign={hidden.pk}").status_code == 404
    not_recruiting = make_campaign(tree.city)
    CampaignAddressee.objects.create(campaign=not_recruiting, union=tree.district_b)
    assert client.get(f"/volunteers/apply-link/?campaign={not_recruiting.pk}").status_code == 404
    assert not ApplyLink.objects.filter(union=tree.grassroots_a).exists()

    client_as(chain.clerk).get("/volunteers/apply-link/")
    link = ApplyLink.objects.get(union=tree.grassroots_a)
    client = client_as(outsider)
    for suffix in ("qr.svg", "qr.png", "print/"):
        assert client.get(f"/volunteers/apply-link/{link.pk}/{suffix}").status_code == 404


def test_anonymous_users_are_sent_to_log_in(client: Any) -> None:
    response = client.get("/volunteers/apply-link/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_qr_code_encodes_the_absolute_short_link(tree: Any, chain: Any, client_as: Any) -> None:
    client = client_as(make_member(tree.grassroots_a, Role.VIEWER))
    client.get(f"/volunteers/apply-link/?campaign={chain.campaign.pk}")
    link = ApplyLink.objects.get()
    with mock.patch.object(qr.segno, "make", wraps=segno.make) as make:
        svg = client.get(f"/volunteers/apply-link/{link.pk}/qr.svg")
        png = client.get(f"/volunteers/apply-link/{link.pk}/qr.png?download=1")
    assert [c.args[0] for c in make.call_args_list] == [short_url(link)] * 2
    assert svg.status_code == png.status_code == 200
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<?xml")
    assert b"<svg" in svg.content
    assert f"<title>{short_url(link)}</title>".encode() in svg.content
    assert png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert "attachment" in png["Content-Disposition"]
    assert ".png" in png["Content-Disposition"]
    # Only GET: the viewer cannot write anything through these addresses.
    assert client.post(f"/volunteers/apply-link/{link.pk}/qr.svg").status_code == 405


def test_the_poster_shows_the_union_the_qr_and_the_link(
    tree: Any, chain: Any, client_as: Any
) -> None:
    client = client_as(chain.clerk)
    client.get(f"/volunteers/apply-link/?campaign={chain.campaign.pk}")
    link = ApplyLink.objects.get()
    html = client.get(f"/volunteers/apply-link/{link.pk}/print/").content.decode()
    assert "扫码报名" in html
    assert tree.grassroots_a.name in html
    assert chain.campaign.title in html
    assert short_url(link) in html
    assert f"/volunteers/apply-link/{link.pk}/qr.svg" in html
    assert f"{settings.SITE_URL.rstrip('/')}/volunteers/apply/status/" in html
    assert "data-print" in html


def test_the_short_link_opens_the_form_of_its_union_and_campaign(
    tree: Any, chain: Any, client: Any
) -> None:
    with mock.patch("volunteers.services.secrets.choice", return_value="k"):
        from volunteers.services import apply_link_for

        link = apply_link_for(union=tree.grassroots_a, campaign=chain.campaign)
    assert link.code == "kkkkkkk"
    page = client.get("/j/kkkkkkk/")
    assert page.status_code == 200
    html = page.content.decode()
    assert tree.grassroots_a.name in html
    assert chain.campaign.title in html
    assert 'id="union-search"' not in html  # nothing to look up
    assert "/volunteers/apply/status/" in html
    assert client.get("/j/KKKKKKK/").status_code == 200  # typed from a poster in capitals

    # The link decides the union, whatever the form carries.
    data = apply_data(tree.grassroots_b, 31, name="扫码报名的人")
    response = client.post("/j/kkkkkkk/", data)
    assert response.status_code == 302
    assert response["Location"] == "/volunteers/apply/done/"
    volunteer = Volunteer.objects.get()
    assert (volunteer.union, volunteer.campaign) == (tree.grassroots_a, chain.campaign)
    assert volunteer.self_applied
    assert volunteer.reference


def test_a_short_link_keeps_what_was_typed_on_an_error(tree: Any, chain: Any, client: Any) -> None:
    from volunteers.services import apply_link_for

    link = apply_link_for(union=tree.grassroots_a, campaign=chain.campaign)
    data = apply_data(tree.grassroots_a, 32, name="保留的名字", phone="12")
    response = client.post(f"/j/{link.code}/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "保留的名字" in html
    assert tree.grassroots_a.name in html
    assert not Volunteer.objects.exists()


def test_a_closed_notice_s_link_still_takes_applications(
    tree: Any, chain: Any, client: Any
) -> None:
    from volunteers.services import apply_link_for

    link = apply_link_for(union=tree.grassroots_a, campaign=chain.campaign)
    newer = make_campaign(
        tree.city, recruits_volunteers=True, title="新一轮招募", issue_date=date(2026, 9, 1)
    )
    chain.campaign.status = CampaignStatus.CLOSED
    chain.campaign.save()
    html = client.get(f"/j/{link.code}/").content.decode()
    assert "的招募已结束" in html
    assert "新一轮招募" in html
    assert client.post(f"/j/{link.code}/", apply_data(tree.grassroots_a, 33)).status_code == 302
    assert Volunteer.objects.get().campaign == newer


def test_an_unknown_or_inactive_link_says_so(tree: Any, client: Any) -> None:
    response = client.get("/j/zzzzzzz/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "该报名链接无效或已停用" in html
    assert "/volunteers/apply/" in html
    from volunteers.services import apply_link_for

    link = apply_link_for(union=tree.grassroots_b)
    tree.grassroots_b.is_active = False
    tree.grassroots_b.save()
    assert client.get(f"/j/{link.code}/").status_code == 404


def test_the_campaign_page_and_the_roster_lead_the_clerk_to_the_qr_code(
    tree: Any, chain: Any, client_as: Any
) -> None:
    client = client_as(chain.clerk)
    html = client.get(f"/campaigns/{chain.campaign.pk}/").content.decode()
    assert f"/volunteers/apply-link/?campaign={chain.campaign.pk}" in html
    assert "网上报名二维码" in html
    assert 'id="apply-link-button"' in client.get("/volunteers/").content.decode()
    # Not offered for a notice that does not recruit.
    plain = make_campaign(tree.city)
    CampaignAddressee.objects.create(campaign=plain, union=tree.district_a)
    assert "网上报名二维码" not in client.get(f"/campaigns/{plain.pk}/").content.decode()


def test_the_login_page_links_the_public_pages(client: Any) -> None:
    html = client.get("/accounts/login/").content.decode()
    assert 'href="/volunteers/apply/"' in html
    assert 'href="/volunteers/apply/status/"' in html
