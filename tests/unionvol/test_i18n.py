from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_pages_are_chinese_even_for_an_english_browser(clerk_a: Any, client_as: Any) -> None:
    response = client_as(clerk_a).get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "工作台" in html


def test_the_language_switch_gives_english(clerk_a: Any, client_as: Any) -> None:
    client = client_as(clerk_a)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/unions/"})
    assert response.status_code == 302
    html = client.get("/unions/").content.decode()
    assert '<html lang="en">' in html
    assert "Unions" in html
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "工作台" in client.get("/").content.decode()


def test_healthz_reports_the_database(client: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
