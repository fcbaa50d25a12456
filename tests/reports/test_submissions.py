from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reports import services
from reports.models import Submission, SubmissionStatus, SubmissionVersion
from tests.factories import make_member
from unions.models import Role

pytestmark = pytest.mark.django_db


def _open(client: Any, campaign: Any) -> None:
    assert client.get(f"/reports/campaigns/{campaign.pk}/").status_code == 200


def test_first_visit_opens_a_prefilled_submission_for_the_own_union(
    client_as: Any, clerk_a: Any, campaign: Any, tree: Any
) -> None:
    _open(client_as(clerk_a), campaign)
    subs = Submission.objects.filter(union=tree.district_a)
    assert subs.count() == 2
    dispatch = subs.get(milestone__form="dispatch")
    assert dispatch.status == SubmissionStatus.DRAFT
    assert "figures" in dispatch.data
    assert dispatch.data["blocks"]
    # the other addressee gets its own only when it visits (or by send_reminders)
    assert not Submission.objects.filter(union=tree.district_b).exists()


def test_submit_is_late_by_one_day_and_freezes_a_version(
    client_as: Any, clerk_a: Any, campaign: Any, dispatch_ms: Any, tree: Any
) -> None:
    client = client_as(clerk_a)
    _open(client, campaign)
    sub = Submission.objects.get(union=tree.district_a, milestone=dispatch_ms)
    resp = client.post(
        f"/reports/submissions/{sub.pk}/",
        {"action": "submit", "version": sub.version, "progress_0": "开展义诊三次。"},
    )
    assert resp.status_code == 302
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.SUBMITTED
    assert sub.days_late == 1
    assert sub.is_late
    version = sub.versions.get()
    assert version.snapshot["blocks"][0]["progress"] == "开展义诊三次。"
    page = client.get(f"/reports/submissions/{sub.pk}/").content.decode()
    assert "逾期 1 天" in page


def test_double_submit_creates_one_version(
    client_as: Any, clerk_a: Any, campaign: Any, dispatch_ms: Any, tree: Any
) -> None:
    client = client_as(clerk_a)
    _open(client, campaign)
    sub = Submission.objects.get(union=tree.district_a, milestone=dispatch_ms)
    data = {"action": "submit", "version": sub.version, "progress_0": "进展"}
    client.post(f"/reports/submissions/{sub.pk}/", data)
    resp = client.post(f"/reports/submissions/{sub.pk}/", data)
    assert resp.status_code in (200, 400)
    assert SubmissionVersion.objects.filter(submission=sub).count() == 1


def test_progress_over_500_characters_is_refused_and_kept(
    client_as: Any, clerk_a: Any, campaign: Any, dispatch_ms: Any, tree: Any
) -> None:
    client = client_as(clerk_a)
    _open(client, campaign)
    sub = Submission.objects.get(union=tree.district_a, milestone=dispatch_ms)
    text = "字" * 501
    resp = client.post(
        f"/reports/submissions/{sub.pk}/",
        {"action": "submit", "version": sub.version, "progress_0": text},
    )
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "不能超过 500 字" in body
    assert text in body
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.DRAFT
    assert not sub.versions.exists()


def test_empty_progress_blocks_submission(
    client_as: Any, clerk_a: Any, campaign: Any, dispatch_ms: Any, tree: Any
) -> None:
    client = client_as(clerk_a)
    _open(client, campaign)
    sub = Submission.objects.get(union=tree.district_a, milestone=dispatch_ms)
    resp = client.post(
        f"/reports/submissions/{sub.pk}/", {"action": "submit", "version": sub.version}
    )
    assert "志愿服务进展情况" in resp.content.decode()
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.DRAFT


def test_return_resubmit_accept_keeps_every_version(
    client_as: Any,
    clerk_a: Any,
    issuer_reviewer: Any,
    campaign: Any,
    dispatch_ms: Any,
    tree: Any,
) -> None:
    services.ensure_submissions(milestone=dispatch_ms)
    sub = Submission.objects.get(union=tree.district_a, milestone=dispatch_ms)
    sub = services.submission_save(
        submission=sub, user=clerk_a, version=sub.version, cleaned={"progress_0": "第一版"}
    )
    services.submission_submit(submission=sub, user=clerk_a, version=sub.version)
    sub.refresh_from_db()
    client = client_as(issuer_reviewer)
    resp = client.post(
        f"/reports/submissions/{sub.pk}/review/",
        {"decision": "return", "comment": "", "version": sub.version},
    )
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.SUBMITTED  # a return needs a comment
    client.post(
        f"/reports/submissions/{sub.pk}/review/",
        {"decision": "return", "comment": "请补充服务对象人数", "version": sub.version},
    )
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.RETURNED
    client = client_as(clerk_a)
    assert "请补充服务对象人数" in client.get(sub.get_absolute_url()).content.decode()
    client.post(
        sub.get_absolute_url(),
        {"action": "submit", "version": sub.version, "progress_0": "第二版"},
    )
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.SUBMITTED
    client = client_as(issuer_reviewer)
    resp = client.post(
        f"/reports/submissions/{sub.pk}/review/",
        {"decision": "accept", "comment": "", "version": sub.version},
    )
    assert resp.status_code == 302
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.ACCEPTED
    texts = [v.snapshot["blocks"][0]["progress"] for v in sub.versions.order_by("number")]
    assert texts == ["第一版", "第二版"]


def test_clerk_cannot_review_and_own_union_cannot_accept_itself(
    client_as: Any, clerk_a: Any, reviewer_a: Any, dispatch_ms: Any, tree: Any
) -> None:
    services.ensure_submissions(milestone=dispatch_ms)
    sub = Submission.objects.get(union=tree.district_a, milestone=dispatch_ms)
    sub = services.submission_save(
        submission=sub, user=clerk_a, version=sub.version, cleaned={"progress_0": "x"}
    )
    services.submission_submit(submission=sub, user=clerk_a, version=sub.version)
    sub.refresh_from_db()
    assert (
        client_as(clerk_a)
        .post(
            f"/reports/submissions/{sub.pk}/review/", {"decision": "accept", "version": sub.version}
        )
        .status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        services.submission_review(
            submission=sub, user=reviewer_a, accept=True, comment="", version=sub.version
        )


def test_snapshot_does_not_follow_later_record_edits(
    clerk_a: Any, dispatch_ms: Any, tree: Any
) -> None:
    services.ensure_submissions(milestone=dispatch_ms)
    sub = Submission.objects.get(union=tree.district_a, milestone=dispatch_ms)
    sub = services.submission_save(
        submission=sub, user=clerk_a, version=sub.version, cleaned={"progress_0": "x"}
    )
    snap = services.submission_submit(submission=sub, user=clerk_a, version=sub.version)
    frozen = dict(snap.snapshot)
    # a later change of the live data (e.g. a re-prefill) leaves the version alone
    Submission.objects.filter(pk=sub.pk).update(data={"figures": {"person_times": 999}})
    snap.refresh_from_db()
    assert snap.snapshot == frozen


def test_stale_version_is_refused(clerk_a: Any, dispatch_ms: Any, tree: Any) -> None:
    services.ensure_submissions(milestone=dispatch_ms)
    sub = Submission.objects.get(union=tree.district_a, milestone=dispatch_ms)
    services.submission_save(
        submission=sub, user=clerk_a, version=sub.version, cleaned={"progress_0": "a"}
    )
    with pytest.raises(ValidationError):
        services.submission_save(
            submission=sub, user=clerk_a, version=sub.version - 1, cleaned={"progress_0": "b"}
        )


def test_lock_after_days_blocks_entry_until_the_issuer_reopens(
    client_as: Any, clerk_a: Any, issuer_reviewer: Any, reviewer_a: Any, dispatch_ms: Any, tree: Any
) -> None:
    dispatch_ms.lock_after_days = 0
    dispatch_ms.save()
    services.ensure_submissions(milestone=dispatch_ms)
    sub = Submission.objects.get(union=tree.district_a, milestone=dispatch_ms)
    assert services.is_locked(sub)
    resp = client_as(clerk_a).post(
        sub.get_absolute_url(), {"action": "save", "version": sub.version, "progress_0": "x"}
    )
    assert "逾期锁定" in resp.content.decode()
    # a reviewer of the union itself is not the issuer
    with pytest.raises(PermissionDenied):
        services.submission_reopen(submission=sub, user=reviewer_a)
    client_as(issuer_reviewer).post(f"/reports/submissions/{sub.pk}/reopen/")
    sub.refresh_from_db()
    assert not services.is_locked(sub)
    services.submission_save(
        submission=sub, user=clerk_a, version=sub.version, cleaned={"progress_0": "x"}
    )


def test_viewer_can_read_but_not_write(
    client_as: Any, viewer_a: Any, dispatch_ms: Any, tree: Any
) -> None:
    services.ensure_submissions(milestone=dispatch_ms)
    sub = Submission.objects.get(union=tree.district_a, milestone=dispatch_ms)
    client = client_as(viewer_a)
    assert client.get(sub.get_absolute_url()).status_code == 200
    assert client.post(sub.get_absolute_url(), {"action": "save"}).status_code == 403


def test_outsider_gets_404(client_as: Any, admin_b: Any, dispatch_ms: Any, tree: Any) -> None:
    services.ensure_submissions(milestone=dispatch_ms)
    sub = Submission.objects.get(union=tree.district_a, milestone=dispatch_ms)
    assert client_as(admin_b).get(sub.get_absolute_url()).status_code == 404


def test_only_the_reporting_union_fills_it_in(
    client_as: Any, admin_a: Any, clerk_a: Any, dispatch_ms: Any, tree: Any, issuer_reviewer: Any
) -> None:
    services.ensure_submissions(milestone=dispatch_ms)
    sub = Submission.objects.get(union=tree.district_a, milestone=dispatch_ms)
    # the issuer's reviewer may read and review, but not write the district's report
    resp = client_as(issuer_reviewer).post(
        sub.get_absolute_url(), {"action": "save", "version": sub.version, "progress_0": "x"}
    )
    assert resp.status_code == 403
    assert not services.can_edit(issuer_reviewer, sub)
    assert services.can_edit(clerk_a, sub)


def test_cron_opens_milestones_and_home_lists_what_awaits(
    client_as: Any, clerk_a: Any, issuer_reviewer: Any, dispatch_ms: Any, tree: Any
) -> None:
    from reports.services import open_due_milestones

    assert open_due_milestones() == 4  # 2 milestones × 2 addressees
    assert open_due_milestones() == 0
    home = client_as(clerk_a).get("/").content.decode()
    assert "待报送的材料" in home
    sub = Submission.objects.get(union=tree.district_a, milestone=dispatch_ms)
    sub = services.submission_save(
        submission=sub, user=clerk_a, version=sub.version, cleaned={"progress_0": "x"}
    )
    services.submission_submit(submission=sub, user=clerk_a, version=sub.version)
    client = client_as(issuer_reviewer)
    assert "待审核的报送" in client.get("/").content.decode()
    assert "甲区总工会 · " in client.get("/reports/").content.decode()


def test_the_review_counter_counts_the_reports_sent_from_below_and_not_the_unions_own(
    clerk_a: Any, issuer_reviewer: Any, dispatch_ms: Any, tree: Any
) -> None:
    from unionvol.home import awaiting_for
    from unionvol.scoping import user_scope

    def counted(user: Any) -> int:
        with user_scope(user):
            items = {str(i.label): i.count for i in awaiting_for(user)}
        return int(items.get("待审核的报送", 0))

    services.ensure_submissions(milestone=dispatch_ms)
    sub = Submission.objects.get(union=tree.district_a, milestone=dispatch_ms)
    sub = services.submission_save(
        submission=sub, user=clerk_a, version=sub.version, cleaned={"progress_0": "x"}
    )
    services.submission_submit(submission=sub, user=clerk_a, version=sub.version)
    district_reviewer = make_member(tree.district_a, Role.REVIEWER)
    assert counted(issuer_reviewer) == 1  # the city reviews what district A sent
    assert counted(district_reviewer) == 0  # district A does not review its own report
    sub.refresh_from_db()
    services.submission_review(
        submission=sub, user=issuer_reviewer, accept=True, comment="", version=sub.version
    )
    assert counted(issuer_reviewer) == 0
