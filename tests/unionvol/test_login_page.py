"""The login page names the product, not the host it is served from (issue 14 item 7)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "product"),
    [("zh-hans", "工会志愿服务管理平台"), ("en", "Union Volunteer Service Portal")],
)
def test_login_page_shows_the_product_name(client: Any, language: str, product: str) -> None:
    client.cookies["django_language"] = language
    with translation.override(language):
        response = client.get("/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<h1 class="h3 mb-1" id="product-name">{product}</h1>' in html
    assert f"· {product}</title>" in html
    # Django's LoginView offers the host as "site_name"; none of the page may use it.
    assert "testserver" not in html
