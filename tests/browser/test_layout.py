"""Issue 14 item 7: the top navigation holds at 1366×768 and on a 390 px phone.

At 1366 px every menu entry sits on one line (Chinese used to break 工会组/织, English
"Awaiting / my / review"); on a phone the menu collapses behind the toggler and opens.
Both languages, for a user who sees every menu entry and has a long user-menu label.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import PASSWORD, make_member
from unions.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PRODUCT_NAME = {"zh-hans": "工会志愿服务管理平台", "en": "Union Volunteer Service Portal"}

# Height of each entry's content box next to its computed line height: one line when
# they are equal (within rounding).
LINE_BOXES = """els => els.map(e => {
  const s = getComputedStyle(e);
  const box = e.getBoundingClientRect();
  return {
    text: e.innerText.trim(),
    visible: box.height > 0,
    content: box.height - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom)
      - parseFloat(s.borderTopWidth) - parseFloat(s.borderBottomWidth),
    line: parseFloat(s.lineHeight),
  };
})"""


@pytest.fixture
def long_labelled_admin(tree: Any) -> Any:
    # An admin sees every menu entry; the user menu names the user, union and role.
    tree.city.short_name = "山东省教育工会"
    tree.city.save()
    return make_member(tree.city, Role.ADMIN, username="layout_admin", first_name="欧阳志宣")


def open_as(browser: Any, base: str, language: str, width: int, height: int) -> Any:
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{base}/accounts/login/")
    # The login page names the product, not the host it is served from.
    assert page.locator("h1").inner_text().strip() == PRODUCT_NAME[language]
    assert page.locator(".navbar-brand").inner_text().strip() == PRODUCT_NAME[language]
    page.fill("#id_username", "layout_admin")
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state()
    assert page.url == f"{base}/"
    return page


def assert_one_line_each(page: Any, selector: str) -> list[dict[str, Any]]:
    boxes = page.eval_on_selector_all(selector, LINE_BOXES)
    assert boxes, selector
    broken = [b["text"] for b in boxes if abs(b["content"] - b["line"]) > 1]
    assert broken == [], f"menu entries on more than one line: {broken}"
    return boxes


def assert_no_sideways_scroll(page: Any, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_menu_entries_stay_on_one_line_at_1366(
    browser: Any, live_server: Any, long_labelled_admin: Any, language: str
) -> None:
    page = open_as(browser, live_server.url, language, 1366, 768)
    try:
        for path in ("/", "/volunteers/"):
            page.goto(f"{live_server.url}{path}")
            assert not page.locator(".navbar-toggler").is_visible()
            boxes = assert_one_line_each(page, "#mainnav-links .nav-link")
            assert all(b["visible"] for b in boxes)
            # Every entry an admin has, in the page's language.
            texts = [b["text"] for b in boxes]
            assert len(texts) >= 10
            assert ("工会组织" in texts) == (language == "zh-hans")
            assert_one_line_each(page, ".navbar-brand, #user-menu, #language-switch .btn")
            assert "欧阳志宣 · 山东省教育工会" in page.locator("#user-menu").inner_text()
            # The menu row lies wholly inside the window: nothing pushed off to the right.
            right = page.eval_on_selector_all(
                "#mainnav-links .nav-link, #user-menu",
                "els => Math.max(...els.map(e => e.getBoundingClientRect().right))",
            )
            assert right <= 1366
            assert_no_sideways_scroll(page, 1366)
    finally:
        page.context.close()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_phone_menu_collapses_behind_the_toggler(
    browser: Any, live_server: Any, long_labelled_admin: Any, language: str
) -> None:
    page = open_as(browser, live_server.url, language, 390, 844)
    try:
        page.goto(f"{live_server.url}/volunteers/")
        toggler = page.locator(".navbar-toggler")
        links = page.locator("#mainnav-links .nav-link")
        # Brand and toggler share the first row.
        brand_box = page.locator(".navbar-brand").bounding_box()
        toggler_box = toggler.bounding_box()
        assert toggler.is_visible()
        assert toggler_box["y"] < brand_box["y"] + brand_box["height"]
        assert not links.first.is_visible()
        assert_no_sideways_scroll(page, 390)

        toggler.click()
        links.last.wait_for(state="visible")
        assert toggler.get_attribute("aria-expanded") == "true"
        assert all(b["visible"] for b in assert_one_line_each(page, "#mainnav-links .nav-link"))
        assert page.locator("#language-switch").is_visible()
        assert page.locator("#user-menu").is_visible()
        assert_no_sideways_scroll(page, 390)

        # An entry of the opened menu takes the user there.
        links.first.click()
        page.wait_for_load_state()
        assert page.url == f"{live_server.url}/unions/"
    finally:
        page.context.close()
