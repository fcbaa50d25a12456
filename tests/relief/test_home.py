from __future__ import annotations

from typing import Any

import pytest

from relief import services
from tests.relief.factories import make_file, make_grant, make_wish

pytestmark = pytest.mark.django_db


def test_home_shows_what_awaits_relief_staff(
    tree: Any, clerk_g: Any, reviewer_g: Any, viewer_g: Any, client_as: Any
) -> None:
    make_file(tree.grassroots_a)
    make_grant(tree.grassroots_a, entered_by=clerk_g)
    wish = make_wish(tree.grassroots_a)
    services.wish_claim(wish_pk=wish.pk, name="甲", phone="13900000001")
    html = client_as(reviewer_g).get("/").content.decode()
    assert "待审核的帮扶金" in html
    assert "未结对的困难职工" in html
    assert "待确认的微心愿认领" in html
    html = client_as(clerk_g).get("/").content.decode()
    assert "待审核的帮扶金" not in html  # a clerk does not approve
    assert "未结对的困难职工" in html
    html = client_as(viewer_g).get("/").content.decode()
    assert "未结对的困难职工" not in html
    assert "/relief/" not in html  # no menu entry for viewers
