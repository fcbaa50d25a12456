"""Every URL, requested with hostile values in every query parameter the app reads,
answers without a 500 — as an admin inside the objects' union and as a viewer.

The URL patterns are enumerated as in tests/test_object_urls.py (so a view added
later is crawled too), object ids come from tests/factories.OBJECT_FACTORIES, and the
query parameters are read from the source: every ``GET.get("…")`` / ``GET["…"]`` in
the apps, plus the fields of the forms bound to ``request.GET``. Each signed-in answer
also has to be ``no-store`` (pages behind the login show personal data).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import get_resolver

from tests.factories import OBJECT_FACTORIES, drain, make_member
from tests.test_object_urls import _walk, model_of
from unions.models import Role

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
APPS = ("unionvol", "unions", "campaigns", "volunteers", "service", "relief", "reports")

# Names of the fields of the forms and filters bound to request.GET (the source reads
# them through the form, not through GET.get); test_the_get_forms_are_all_listed checks
# the list against the forms themselves.
FORM_PARAMS = {
    # campaigns.forms.CampaignFilterForm
    "kind",
    "status",
    "year",
    "q",
    # volunteers.filters.RosterFilter
    "union",
    "political_status",
    "identity",
    "specialty",
    "team",
    "registered_after",
    "registered_before",
    "sort",
    # relief.forms.WarmthStatsForm
    "campaign",
    "aggregate",
    # unionvol: pagination and the login page
    "page",
    "next",
}

HOSTILE = [
    "²",
    "-1",
    "99999999999999999999",
    "\x00",
    "'\"><script>alert(1)</script>",
    "1e9",
    "2026-13-45",
    "x" * 3000,
]
OK = {200, 204, 301, 302, 400, 403, 404, 405}


def params_read_by_the_app() -> set[str]:
    found: set[str] = set()
    patterns = [
        re.compile(r"GET\.get\(\s*[\"']([A-Za-z_]+)[\"']"),
        re.compile(r"GET\[\s*[\"']([A-Za-z_]+)[\"']\s*\]"),
        re.compile(r"\bg\.get\(\s*[\"']([A-Za-z_]+)[\"']"),  # g = self.request.GET
    ]
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if "GET" not in text:
                continue
            for pattern in patterns:
                found.update(pattern.findall(text))
    return found | FORM_PARAMS


PARAMS = sorted(params_read_by_the_app())
FILTERS = [p for p in PARAMS if p != "page"]
PAGE_VALUES = ["²", "99999999999999999999"]


def crawl_urls(objects: dict[Any, Any]) -> Iterator[tuple[str, str]]:
    for route, name, pattern in _walk(get_resolver().url_patterns):
        converters = pattern.pattern.converters
        url = "/" + route
        if "pk" in converters:
            model = model_of(pattern)
            obj = objects.get(model)
            if obj is None:
                continue  # tests/test_object_urls.py fails for an unregistered model
            url = re.sub(r"<(?:int:)?pk>", str(obj.pk), url)
        url = re.sub(r"<uuid:\w+>", str(uuid.uuid4()), url)
        url = re.sub(r"<(?:str:|slug:)?\w+>", "x", url)
        url = url.replace("^", "").replace("$", "")
        yield name, url


def test_the_app_reads_the_parameters_the_crawl_sends() -> None:
    assert {"page", "union", "campaign", "year", "status", "q", "team", "project"} <= set(PARAMS)


def test_the_get_forms_are_all_listed() -> None:
    from campaigns.forms import CampaignFilterForm
    from relief.forms import WarmthStatsForm
    from volunteers.filters import RosterFilter

    names = set(CampaignFilterForm.base_fields) | set(WarmthStatsForm.base_fields)
    for name, filt in RosterFilter.base_filters.items():
        if name == "registered":  # a from/to range: two parameters
            names |= {f"{name}_after", f"{name}_before"}
        else:
            names.add(filt.field_name if name == "specialty" else name)
    names.discard("specialties")
    assert names - FORM_PARAMS == set()


@pytest.fixture
def crawl_objects(tree: Any, settings: Any, tmp_path: Any) -> dict[Any, Any]:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return {model: factory(tree.grassroots_a) for model, factory in OBJECT_FACTORIES.items()}


@pytest.mark.parametrize("role", [Role.ADMIN, Role.VIEWER])
def test_no_url_gives_a_500_for_hostile_query_values(
    role: str, tree: Any, crawl_objects: dict[Any, Any], client: Any
) -> None:
    user = make_member(tree.district_a, role)
    client.force_login(user)
    client.raise_request_exception = False
    failures: list[str] = []
    requests = 0
    for name, url in crawl_urls(crawl_objects):
        # A bad page number is a 404 before a list reads its filters, so ``page`` is
        # crawled on its own and every other parameter without it.
        queries = [urlencode(dict.fromkeys(FILTERS, value)) for value in HOSTILE]
        queries += [urlencode({"page": value}) for value in PAGE_VALUES]
        for query in queries:
            response = client.get(f"{url}?{query}")
            drain(response)
            requests += 1
            status = response.status_code
            if status not in OK:
                failures.append(f"{status} {name} {url}?{query[:60]}")
                continue
            cache_control = response.get("Cache-Control", "")
            if "no-store" not in cache_control:
                failures.append(f"not no-store ({cache_control!r}) {name} {url}")
        if not client.session.get("_auth_user_id"):  # the crawl logged itself out
            client.force_login(user)
    assert requests > 300
    assert not failures, "\n".join(failures)
