"""Fixtures of the campaigns tests: a grassroots clerk and reviewer, a campaign with
seed 000's composition rule issued by the city and addressed to both districts."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from campaigns.models import CampaignAddressee
from tests.campaigns.factories import make_rule_campaign
from tests.factories import make_member
from unions.models import Role


@pytest.fixture
def clerk_g(tree: Any) -> Any:
    return make_member(tree.grassroots_a, Role.CLERK, username="clerk_g")


@pytest.fixture
def reviewer_g(tree: Any) -> Any:
    return make_member(tree.grassroots_a, Role.REVIEWER, username="reviewer_g")


@pytest.fixture
def campaign(tree: Any) -> Any:
    c = make_rule_campaign(tree.city, doc_number="鲁教工〔2019〕13号", title="助力脱贫攻坚")
    for union in (tree.district_a, tree.district_b):
        CampaignAddressee.objects.create(campaign=c, union=union)
    return c


def photo_upload(name: str = "photo.png", size: tuple[int, int] = (64, 48)) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, format="PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


@pytest.fixture
def count_queries() -> Callable[[Callable[[], Any]], int]:
    def run(fn: Callable[[], Any]) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = fn()
        assert getattr(response, "status_code", 200) == 200
        return len(ctx.captured_queries)

    return run
