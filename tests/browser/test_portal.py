"""Issue 2 item 9: a real browser logs in, opens the union tree and switches language."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import expect

from tests.factories import PASSWORD, make_member
from unions.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Any, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state()


def english(text: str) -> str:
    with translation.override("en"):
        return translation.gettext(text)


def test_login_tree_and_language(page: Any, live_server: Any, tree: Any) -> None:
    make_member(tree.city, Role.ADMIN, username="browser_admin")
    base = live_server.url

    log_in(page, base, "browser_admin")
    assert page.url == f"{base}/"
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert tree.city.name in page.locator("#user-menu").inner_text()

    # Bootstrap's script runs under the CSP: the user menu opens.
    page.click("#user-menu")
    assert page.locator(".dropdown-menu").first.is_visible()

    # The union tree: the user's own union is open, a district with children is closed.
    page.goto(f"{base}/unions/")
    district = page.locator(f"li.union-node[data-code='{tree.district_a.code}'] > details")
    grassroots_link = page.get_by_role("link", name=tree.grassroots_a.name)
    assert district.get_attribute("open") is None
    assert not grassroots_link.is_visible()
    district.locator("summary .text-muted").click()  # not the link: expand the node
    assert district.get_attribute("open") is not None
    # The level is read when opened (a province's tree is never sent whole).
    expect(grassroots_link).to_be_visible()
    assert page.url == f"{base}/unions/"
    district.locator("summary .text-muted").click()  # closed and opened again: no second copy
    district.locator("summary .text-muted").click()
    expect(grassroots_link).to_have_count(1)

    # Switch to English with the navbar's language buttons.
    page.click("#language-switch button[value=en]")
    page.wait_for_load_state()
    assert page.url == f"{base}/unions/"
    assert page.locator("html").get_attribute("lang") == "en"
    active = page.locator("#language-switch button[value=en]")
    assert "btn-light" in (active.get_attribute("class") or "").split()
    heading = english("工会组织")
    if heading != "工会组织":  # the English catalogue is compiled: the page reads in English
        assert page.locator("h1").inner_text().strip() == heading

    # …and back to Chinese.
    page.click("#language-switch button[value=zh-hans]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("h1").inner_text().strip() == "工会组织"

    assert page.csp_violations == []


def test_wrong_password_is_refused_in_chinese(page: Any, live_server: Any, tree: Any) -> None:
    make_member(tree.district_a, Role.CLERK, username="browser_clerk")
    log_in(page, live_server.url, "browser_clerk", "not-the-password-1")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    assert "请输入一个正确的" in page.locator("#login-form").inner_text()
    assert page.csp_violations == []


def test_pages_open_without_login_redirect_to_login(page: Any, live_server: Any, db: Any) -> None:
    page.goto(f"{live_server.url}/unions/")
    assert page.url.startswith(f"{live_server.url}/accounts/login/?next=/unions/")
    assert page.locator("h1").inner_text().strip() == "工会志愿服务管理平台"
    assert page.locator("h2").inner_text().strip() == "登录"
    assert page.csp_violations == []
