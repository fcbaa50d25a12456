"""Issue 12 item 6: pages that show personal data are never cached (``Cache-Control:
no-store``), static files stay cacheable, and hand-edited requests never give a 500.

The crawl in tests/test_crawl_hostile.py checks ``no-store`` on every URL; this file
checks the kinds of response one by one and the pages not behind the login.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from tests.campaigns.factories import add_members, make_activity, make_team
from tests.factories import drain, make_campaign, make_volunteer
from unionvol.middleware import NO_STORE, PrivateResponseMiddleware

pytestmark = pytest.mark.django_db


def _no_store(response: Any) -> bool:
    drain(response)
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return "no-store" in directives


def test_pages_files_and_pdfs_with_personal_data_are_not_stored(
    tree: Any, clerk_a: Any, client: Any, settings: Any, tmp_path: Any
) -> None:
    from service.services import certificate_issue

    settings.MEDIA_ROOT = str(tmp_path)
    volunteer = make_volunteer(tree.grassroots_a, name="不该留在缓存里的人")
    team = make_team(tree.grassroots_a, campaign=make_campaign(tree.city))
    add_members(team, volunteers=1)
    make_activity(team, people=1, date=date(2026, 3, 1))
    cert = certificate_issue(
        volunteer=team.members.first().volunteer,
        user=clerk_a,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    client.force_login(clerk_a)
    page = client.get(volunteer.get_absolute_url())
    assert "不该留在缓存里的人" in page.content.decode()
    assert page["Cache-Control"] == NO_STORE
    for url in (
        "/",
        "/volunteers/",
        volunteer.get_absolute_url(),
        f"/volunteers/{volunteer.pk}/print/",
        f"/volunteers/{volunteer.pk}/xlsx/",  # a sheet
        "/service/hours/",
        cert.get_absolute_url(),
        f"/service/certificates/{cert.pk}/pdf/",  # a PDF
        "/relief/files/",
        "/volunteers/no-such-page/",  # a 404 page behind the login
    ):
        response = client.get(url)
        assert _no_store(response), (url, response.status_code, response.get("Cache-Control"))


def test_a_download_keeps_its_own_no_store(tree: Any, clerk_a: Any, client: Any) -> None:
    volunteer = make_volunteer(tree.grassroots_a)
    client.force_login(clerk_a)
    response = client.get(f"/volunteers/{volunteer.pk}/xlsx/")
    drain(response)
    assert response["Cache-Control"] == "no-store"


def test_static_files_stay_cacheable(clerk_a: Any, client: Any) -> None:
    client.force_login(clerk_a)
    response = client.get("/static/css/unionvol.css")
    assert response.status_code == 200
    assert not _no_store(response)


def test_the_middleware_leaves_static_and_anonymous_responses_alone(clerk_a: Any) -> None:
    def cached(request: Any) -> HttpResponse:
        response = HttpResponse("x")
        response["Cache-Control"] = "max-age=3600"
        return response

    middleware = PrivateResponseMiddleware(cached)
    request = RequestFactory().get("/static/css/unionvol.css")
    request.user = clerk_a
    assert middleware(request)["Cache-Control"] == "max-age=3600"
    request = RequestFactory().get("/volunteers/")
    request.user = clerk_a
    assert middleware(request)["Cache-Control"] == NO_STORE  # overrides a cacheable one
    request.user = AnonymousUser()
    assert middleware(request)["Cache-Control"] == "max-age=3600"


def test_the_public_application_form_is_not_stored(tree: Any, client: Any) -> None:
    assert _no_store(client.get("/volunteers/apply/"))


def test_a_nul_in_the_query_string_is_a_400(clerk_a: Any, client: Any) -> None:
    client.force_login(clerk_a)
    response = client.get("/relief/files/?q=%00")
    assert response.status_code == 400
    assert "请求" in response.content.decode()  # the Chinese error page, no trace
    assert client.get("/relief/files/?q=ok").status_code == 200


@pytest.mark.parametrize("value", ["²", "99999999999999999999", "-1", "abc"])
def test_the_public_form_with_a_hostile_union_is_refused_not_a_500(
    tree: Any, client: Any, value: str
) -> None:
    from tests.volunteers.test_public import apply_data

    data = apply_data(tree.grassroots_a, 3) | {"union": value}
    response = client.post("/volunteers/apply/", data)
    assert response.status_code == 200
    assert "报名工会" in response.content.decode()
