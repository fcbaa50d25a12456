"""Prefilled, then editable, with the difference shown: a clerk corrects a figure of the
情况调度表 on the web; a figure that differs from the records needs a reason; the
reviewer sees the records beside what was reported."""

from __future__ import annotations

from typing import Any

import pytest

from reports.models import Submission
from service.sheets import REASON_REQUIRED
from tests.reports.helpers import make_records

pytestmark = pytest.mark.django_db


def _post(client: Any, sub: Submission, **fields: Any) -> Any:
    sub.refresh_from_db()
    data = {"action": "save", "version": sub.version, "progress_0": "开展义诊三次。"}
    data.update({k: str(v) for k, v in fields.items()})
    return client.post(f"/reports/submissions/{sub.pk}/", data)


def test_a_corrected_figure_needs_a_reason_and_the_reviewer_sees_both(
    client_as: Any, clerk_a: Any, issuer_reviewer: Any, campaign: Any, dispatch_ms: Any, tree: Any
) -> None:
    make_records(tree.district_a, campaign)
    client = client_as(clerk_a)
    client.get(f"/reports/campaigns/{campaign.pk}/")
    sub = Submission.objects.get(union=tree.district_a, milestone=dispatch_ms)
    block = sub.data["blocks"][0]
    records = block["records"]
    page = client.get(f"/reports/submissions/{sub.pk}/").content.decode()
    assert 'name="person_times_0"' in page  # editable on the web, prefilled

    corrected = records["person_times"] + 5
    response = _post(
        client,
        sub,
        team_size_0=records["team_size"],
        person_times_0=corrected,
        beneficiaries_0=records["beneficiaries"],
    )
    assert response.status_code == 200  # refused, what was typed is kept
    expected = REASON_REQUIRED % {"name": block["project"], "figures": "参与项目总人次"}
    assert str(expected) in response.content.decode()
    assert f'value="{corrected}"' in response.content.decode()
    sub.refresh_from_db()
    assert sub.data["blocks"][0]["person_times"] == records["person_times"]

    response = _post(
        client,
        sub,
        team_size_0=records["team_size"],
        person_times_0=corrected,
        beneficiaries_0=records["beneficiaries"],
        reason_0="另有5人次的活动尚未录入系统。",
    )
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.data["blocks"][0]["person_times"] == corrected
    assert sub.data["blocks"][0]["records"]["person_times"] == records["person_times"]

    review = client_as(issuer_reviewer).get(f"/reports/submissions/{sub.pk}/").content.decode()
    assert "另有5人次的活动尚未录入系统。" in review
    assert f"系统记录 {records['person_times']}" in review
