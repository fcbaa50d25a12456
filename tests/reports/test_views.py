"""Every reports page with an insider, a read-only member and an outsider; query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import CampaignAddressee, Milestone
from reports import services
from reports.models import Submission
from tests.factories import make_union
from tests.reports.helpers import make_records

pytestmark = pytest.mark.django_db


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_index_lists_campaigns_and_own_submissions(
    client_as: Any, clerk_a: Any, viewer_a: Any, campaign: Any, tree: Any
) -> None:
    client = client_as(clerk_a)
    client.get(f"/reports/campaigns/{campaign.pk}/")
    body = client.get("/reports/").content.decode()
    assert "鲁教工〔2019〕13号" in body
    assert "半程推进" in body
    assert client_as(viewer_a).get("/reports/").status_code == 200


def test_index_is_not_shown_to_anonymous(client: Any) -> None:
    assert client.get("/reports/").status_code == 302


def test_nav_has_the_reports_entry(client_as: Any, viewer_a: Any, tree: Any) -> None:
    assert 'href="/reports/"' in client_as(viewer_a).get("/").content.decode()


def test_campaign_page_insider_viewer_outsider(
    client_as: Any, clerk_a: Any, viewer_a: Any, admin_b: Any, tree: Any
) -> None:
    from tests.reports.factories import make_reporting_campaign

    c = make_reporting_campaign(tree.city, [tree.district_a])
    url = f"/reports/campaigns/{c.pk}/"
    assert client_as(clerk_a).get(url).status_code == 200
    assert Submission.objects.filter(union=tree.district_a).count() == 1
    assert client_as(viewer_a).get(url).status_code == 200
    assert client_as(viewer_a).post(url).status_code in (403, 405)
    # district_b is neither issuer nor addressee of c
    assert client_as(admin_b).get(url).status_code == 404


def test_submission_page_and_index_query_counts_are_constant(
    client_as: Any, issuer_reviewer: Any, clerk_a: Any, campaign: Any, dispatch_ms: Any, tree: Any
) -> None:
    make_records(tree.grassroots_a, campaign)
    services.ensure_submissions(milestone=dispatch_ms)
    sub = Submission.objects.get(union=tree.district_a, milestone=dispatch_ms)
    sub = services.submission_save(
        submission=sub, user=clerk_a, version=sub.version, cleaned={"progress_0": "x"}
    )
    services.submission_submit(submission=sub, user=clerk_a, version=sub.version)
    client = client_as(issuer_reviewer)
    client.get("/reports/")
    small_sub = _count(client, sub.get_absolute_url())
    small_index = _count(client, "/reports/")
    for i in range(10):
        u = make_union(tree.city, name=f"加{i}", code=f"C-X{i}")
        CampaignAddressee.objects.create(campaign=campaign, union=u)
        Milestone.objects.create(
            campaign=campaign, title=f"追加{i}", form="summary", due_date=dispatch_ms.due_date
        )
    sub.refresh_from_db()
    for _ in range(3):  # more versions
        Submission.objects.filter(pk=sub.pk).update(status="returned")
        sub.refresh_from_db()
        services.submission_submit(submission=sub, user=clerk_a, version=sub.version)
        sub.refresh_from_db()
    assert _count(client, sub.get_absolute_url()) == small_sub
    assert _count(client, "/reports/") == small_index


def test_campaign_page_query_count_is_constant_after_the_first_visit(
    client_as: Any, clerk_a: Any, campaign: Any, tree: Any
) -> None:
    client = client_as(clerk_a)
    url = f"/reports/campaigns/{campaign.pk}/"
    client.get(url)  # opens the submissions
    small = _count(client, url)
    for i in range(8):
        m = Milestone.objects.create(
            campaign=campaign, title=f"追加{i}", form="summary", due_date=campaign.issue_date
        )
        services.ensure_submissions(milestone=m, unions=[tree.district_a])
    assert _count(client, url) == small
