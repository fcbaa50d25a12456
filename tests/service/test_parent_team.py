"""A sub-team's parent: a team of the same notice formed by the sub-team's union or a
union above it. The select offers only those (a province has thousands of teams), and
the service refuses any other, and a loop."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from service import forms as service_forms
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
    monkeypatch.setattr(service_forms, "PARENT_LIMIT", 1)
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
