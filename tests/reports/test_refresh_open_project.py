"""Issue 12 item 6: 重新取数 on a 情况调度表 whose project has no end date answered 500."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from reports.models import Submission
from tests.campaigns.factories import make_project, make_team

pytestmark = pytest.mark.django_db


def test_refresh_with_a_project_without_an_end(
    client_as: Any, clerk_a: Any, campaign: Any, dispatch_ms: Any, tree: Any
) -> None:
    team = make_team(tree.district_a, campaign=campaign)
    make_project(team, name="无结束日期的项目", period_start=date(2026, 4, 1), period_end=None)
    client = client_as(clerk_a)
    client.get(f"/reports/campaigns/{campaign.pk}/")
    sub = Submission.objects.get(union=tree.district_a, milestone=dispatch_ms)
    response = client.post(sub.get_absolute_url(), {"action": "refresh", "version": sub.version})
    assert response.status_code == 302
    sub.refresh_from_db()
    block = next(b for b in sub.data["blocks"] if b.get("project") == "无结束日期的项目")
    assert block["period"] == "2026年4月1日"  # the notices' way of writing a date
    page = client.get(sub.get_absolute_url())
    assert page.status_code == 200
    assert "无结束日期的项目" in page.content.decode()
