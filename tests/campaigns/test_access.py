"""Every list page and sheet of the campaigns app with an insider, a read-only member and
an outsider (object pages are covered by tests/test_object_urls.py and the feature tests)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.campaigns.factories import add_members, make_activity, make_project, make_team
from tests.factories import drain

pytestmark = pytest.mark.django_db

LISTS = [
    "/campaigns/",
    "/service/teams/",
    "/service/projects/",
    "/service/activities/",
    "/service/hours/",
]
SHEETS = [
    "/service/teams/export/",
    "/service/projects/export/",
    "/service/activities/export/",
    "/service/hours/export/",
]
FORMS = ["/campaigns/new/", "/service/teams/new/", "/service/projects/new/"]


@pytest.fixture
def data(tree: Any, campaign: Any) -> Any:
    team = make_team(tree.grassroots_a, campaign=campaign, name="甲企业服务队")
    add_members(team, volunteers=2)
    make_project(team, name="甲企业项目")
    make_activity(team, people=2, place="甲企业社区")
    return team


@pytest.mark.parametrize("url", LISTS)
def test_insider_and_viewer_read_the_lists(
    url: str, data: Any, clerk_a: Any, viewer_a: Any, client: Any
) -> None:
    for user in (clerk_a, viewer_a):
        client.force_login(user)
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", LISTS[1:])
def test_outsider_lists_show_nothing_of_district_a(
    url: str, data: Any, admin_b: Any, client: Any
) -> None:
    client.force_login(admin_b)
    html = client.get(url).content.decode()
    for text in ("甲企业服务队", "甲企业项目", "甲企业社区"):
        assert text not in html


@pytest.mark.parametrize("url", SHEETS)
def test_sheets_need_the_export_capability(
    url: str, data: Any, clerk_a: Any, viewer_a: Any, client: Any
) -> None:
    client.force_login(viewer_a)
    assert client.get(url).status_code == 403
    client.force_login(clerk_a)
    response = client.get(url)
    assert response.status_code == 200
    drain(response)  # a FileResponse: read it to the end, which closes its temporary file


@pytest.mark.parametrize("url", FORMS)
def test_forms_need_the_edit_capability(
    url: str, data: Any, clerk_a: Any, viewer_a: Any, client: Any
) -> None:
    client.force_login(viewer_a)
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403
    client.force_login(clerk_a)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", LISTS + FORMS + SHEETS)
def test_anonymous_is_sent_to_login(url: str, data: Any, client: Any) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
