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


def test_the_statistics_sheet_figures_are_editable_with_a_reason(
    client_as: Any, clerk_a: Any, issuer_reviewer: Any, campaign: Any, tree: Any
) -> None:
    from datetime import timedelta

    from campaigns.models import Milestone
    from reports import services
    from tests.relief.factories import make_donation

    make_donation(tree.grassroots_a, campaign=campaign)
    milestone = Milestone.objects.create(
        campaign=campaign,
        title="统计表",
        form="warmth_stats",
        due_date=campaign.issue_date + timedelta(days=400),
    )
    services.ensure_submissions(milestone=milestone, unions=[tree.district_a])
    sub = Submission.objects.get(union=tree.district_a, milestone=milestone)
    records = sub.data["records"]
    client = client_as(clerk_a)
    page = client.get(f"/reports/submissions/{sub.pk}/").content.decode()
    assert 'name="donations"' in page
    assert 'name="aided"' in page
    assert f"系统记录：{records['visits']}" in page

    def post(**fields: Any) -> Any:
        sub.refresh_from_db()
        data = {"action": "save", "version": sub.version}
        data |= {k: str(v) for k, v in sub.data["stats"].items()}
        data |= {k: str(v) for k, v in fields.items()}
        return client.post(f"/reports/submissions/{sub.pk}/", data)

    response = post(visits=records["visits"] + 4)
    assert response.status_code == 200
    assert "慰问走访人数与系统记录不同，请填写原因。" in response.content.decode()
    sub.refresh_from_db()
    assert sub.data["stats"]["visits"] == records["visits"]

    response = post(visits=records["visits"] + 4, reason="四户走访尚未录入。")
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.data["stats"]["visits"] == records["visits"] + 4
    assert sub.data["records"]["visits"] == records["visits"]
    review = client_as(issuer_reviewer).get(f"/reports/submissions/{sub.pk}/").content.decode()
    assert "与系统记录不同的数字" in review
    assert "四户走访尚未录入。" in review
