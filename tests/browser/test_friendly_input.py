"""Issue 14 item 6 in a browser: nothing typed or pasted is cut without a word.

A field's maxlength would make Chromium drop what is pasted past it (a 41-character
name saved as 40, a spaced ID number cut in the middle); unionvol.js lifts the limit
and the server refuses what is too long, naming the limit.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_portal import log_in
from tests.factories import make_member
from unions.models import Role
from unionvol.idnumbers import complete_id_number
from volunteers.models import Volunteer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_over_long_name_is_kept_whole_and_refused_with_the_limit(
    page: Any, live_server: Any, tree: Any
) -> None:
    make_member(tree.district_a, Role.CLERK, username="input_clerk")
    log_in(page, live_server.url, "input_clerk")
    page.goto(f"{live_server.url}/volunteers/new/")

    name = page.locator("#id_name")
    assert name.get_attribute("maxlength") is None
    assert name.get_attribute("data-maxlength") == "40"
    name.fill("欧" * 41)
    assert len(name.input_value()) == 41
    assert "is-invalid" in (name.get_attribute("class") or "")
    name.fill("欧" * 40)
    assert "is-invalid" not in (name.get_attribute("class") or "")
    name.fill("欧" * 41)

    number = complete_id_number("21020219850312104")
    pasted = f"{number[:6]}\u3000{number[6:14]}\u3000{number[14:-1]}ｘ"
    page.locator("#id_id_number").fill(pasted)
    assert page.locator("#id_id_number").input_value() == pasted
    page.locator("#id_phone").fill("139-0411-0001")
    page.select_option("#id_union", str(tree.district_a.pk))
    page.click("input[type=submit][name=submit]")
    page.wait_for_load_state()

    assert "不超过 40 字符" in page.locator("#error_1_id_name").inner_text()
    assert page.locator("#id_name").input_value() == "欧" * 41
    assert page.locator("#error_1_id_id_number").count() == 0  # the pasted number is fine
    assert not Volunteer.objects.exists()
    assert page.csp_violations == []
