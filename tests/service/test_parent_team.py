"""A sub-team's parent: a team of the same notice formed by the sub-team's union or a
union above it. The select offers only those (a province has thousands of teams), and
the service refuses any other, and a loop."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from service import widgets
from service.models import ServiceTeam
from service.services import TEAM_PARENT_CYCLE, TEAM_PARENT_NOT_ABOVE, team_create, team_update
from tests.campaigns.factories import make_team

pytestmark = pytest.mark.django_db


def _options(html: str) -> list[str]:
    """The labels of the parent select's teams (not its empty choice)."""
    select = html.split('name="parent"')[1].split("</select>")[0]
    return re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', select)


def test_the_parent_select_offers_the_teams_above_only(
    tree: Any, campaign: Any, clerk_a: Any, client_as: Any
) -> None:
    district = make_team(tree.district_a, campaign=campaign, name="甲区服务队")
    make_team(tree.grassroots_a, campaign=campaign, name="企业服务队")
    client = client_as(clerk_a)
    # A team of district A: only district A's own teams (the grassroots one is below).
    html = client.get(f"/service/teams/new/?campaign={campaign.pk}").content.decode()
    assert _options(html) == ["甲区服务队（甲区总工会）"]
    # A team of the grassroots union (as typed, the form shown again): both.
    html = client.post(
        "/service/teams/new/",
        {"campaign": campaign.pk, "union": tree.grassroots_a.pk, "name": ""},
    ).content.decode()
    assert _options(html) == [
        "甲区服务队（甲区总工会）",
        "企业服务队（甲区某企业工会）",
    ]
    assert district.pk  # (used above by name)


def test_a_parent_the_select_did_not_list_is_still_accepted(
    tree: Any, campaign: Any, clerk_a: Any, client_as: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(widgets, "PICKER_LIMIT", 1)
    make_team(tree.district_a, campaign=campaign, name="甲区一队")
    second = make_team(tree.district_a, campaign=campaign, name="甲区二队")
    client = client_as(clerk_a)
    html = client.get(f"/service/teams/new/?campaign={campaign.pk}").content.decode()
    assert "甲区二队" not in html
    client.post(
        "/service/teams/new/",
        {
            "campaign": campaign.pk,
            "union": tree.grassroots_a.pk,
            "name": "企业分队",
            "parent": second.pk,
        },
    )
    assert ServiceTeam.objects.get(name="企业分队").parent == second


def test_the_service_refuses_a_parent_below_or_beside(
    tree: Any, campaign: Any, clerk_a: Any
) -> None:
    below = make_team(tree.grassroots_a, campaign=campaign, name="企业服务队")
    beside = make_team(tree.district_b, campaign=campaign, name="乙区服务队")
    for parent in (below, beside):
        with pytest.raises(ValidationError) as exc:
            team_create(
                union=tree.district_a, campaign=campaign, user=clerk_a, name="甲区队", parent=parent
            )
        assert exc.value.message_dict == {"parent": [str(TEAM_PARENT_NOT_ABOVE)]}
    assert not ServiceTeam.objects.filter(name="甲区队").exists()


def test_the_service_refuses_a_loop(tree: Any, campaign: Any) -> None:
    top = make_team(tree.district_a, campaign=campaign, name="一队")
    middle = make_team(tree.district_a, campaign=campaign, name="二队", parent=top)
    for parent in (top, middle):
        fresh = ServiceTeam.objects.get(pk=top.pk)
        with pytest.raises(ValidationError) as exc:
            team_update(
                team=fresh, version=fresh.version, parent=middle if parent is middle else fresh
            )
        assert exc.value.message_dict == {"parent": [str(TEAM_PARENT_CYCLE)]}
    assert ServiceTeam.objects.get(pk=top.pk).parent is None


# --- a project's team ------------------------------------------------------------------------


def test_the_project_form_offers_the_first_teams_and_finds_the_rest(
    tree: Any,
    campaign: Any,
    clerk_a: Any,
    viewer_a: Any,
    admin_b: Any,
    client_as: Any,
    monkeypatch: Any,
) -> None:
    from service import widgets

    monkeypatch.setattr(widgets, "PICKER_LIMIT", 1)
    first = make_team(tree.grassroots_a, campaign=campaign, name="一队")
    other = make_team(tree.grassroots_a, campaign=campaign, name="二队")
    make_team(tree.grassroots_b, campaign=campaign, name="别区的队")
    client = client_as(clerk_a)
    html = client.get("/service/projects/new/").content.decode()
    assert "一队（甲区某企业工会）" in html
    assert "二队" not in html
    assert "……其余服务队请在上方查找" in html
    assert 'data-search="/service/teams/search/"' in html
    # Named in the link from the team's page, it is offered even past the limit.
    html = client.get(f"/service/projects/new/?team={other.pk}").content.decode()
    assert f'<option value="{other.pk}" selected>二队（甲区某企业工会）</option>' in html

    answer = client.get("/service/teams/search/?q=队").json()
    assert answer == {
        "results": [
            {"id": first.pk, "label": "一队（甲区某企业工会）"},
            {"id": other.pk, "label": "二队（甲区某企业工会）"},
        ],
        "more": False,
    }
    # A read-only member may search (no write); an outsider finds nothing of district A.
    assert len(client_as(viewer_a).get("/service/teams/search/?q=队").json()["results"]) == 2
    assert [
        r["label"] for r in client_as(admin_b).get("/service/teams/search/?q=队").json()["results"]
    ] == ["别区的队（乙区某企业工会）"]
    from django.test import Client

    assert Client().get("/service/teams/search/?q=队").status_code == 302  # to the login


def test_a_team_saved_before_the_rule_keeps_its_parent_through_other_edits(
    tree: Any, campaign: Any
) -> None:
    beside = make_team(tree.district_b, campaign=campaign, name="乙区服务队")
    old = make_team(tree.district_a, campaign=campaign, name="旧分队", parent=beside)
    team_update(team=old, version=old.version, name="改名的分队")
    old.refresh_from_db()
    assert (old.name, old.parent) == ("改名的分队", beside)


def test_the_parent_picker_searches_and_the_team_picker_is_required(
    tree: Any, campaign: Any, clerk_a: Any, client_as: Any
) -> None:
    client = client_as(clerk_a)
    html = client.get(f"/service/teams/new/?campaign={campaign.pk}").content.decode()
    parent = html.split('<select name="parent"')[1].split(">")[0]
    assert 'data-search="/service/teams/search/"' in parent  # a union picked later
    assert "required" not in parent
    project = client.get("/service/projects/new/").content.decode()
    assert " required " in project.split('<select name="team"')[1].split(">")[0] + " "
