"""Hand-edited query strings never give a 500: superscript digits, ids beyond 64 bits and
years beyond 9999 are ignored (empty filter) or a 404."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import drain
from unionvol.params import int_param, year_param

pytestmark = pytest.mark.django_db

URLS = [
    "/service/teams/?year={v}&campaign={v}",
    "/service/activities/?year={v}&campaign={v}&team={v}",
    "/service/projects/?campaign={v}",
    "/service/teams/export/?campaign={v}",
    "/service/projects/new/?team={v}",
    "/relief/grants/?campaign={v}",
    "/volunteers/export/roster/?union={v}&campaign={v}",
    "/volunteers/apply-link/?union={v}&campaign={v}",
]
VALUES = ["99999", "-3", "%C2%B2", "99999999999999999999999", "abc"]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("value", VALUES)
def test_no_500_from_query_numbers(url: str, value: str, clerk_a: Any, client_as: Any) -> None:
    response = client_as(clerk_a).get(url.format(v=value))
    drain(response)  # the export URLs answer with a file
    status = response.status_code
    assert status in {200, 302, 403, 404}, (url, value, status)


def test_the_dashboard_drill_down_with_a_bad_union_is_404(
    tree: Any, admin_a: Any, client_as: Any
) -> None:
    from tests.factories import make_campaign

    campaign = make_campaign(tree.district_a)
    base = f"/reports/campaigns/{campaign.pk}/dashboard/?union="
    client = client_as(admin_a)
    for value in ("%C2%B2", "99999999999999999999999", str(tree.district_b.pk)):
        assert client.get(base + value).status_code == 404


def test_params() -> None:
    assert int_param("12") == 12
    assert int_param("²") is None
    assert int_param(str(2**64)) is None
    assert int_param("0") is None
    assert year_param("2019") == 2019
    assert year_param("99999") is None
