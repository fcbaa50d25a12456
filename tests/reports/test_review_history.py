"""Issue 12 item 6: a submission keeps every review event (who, when, decision,
comment), not only the last comment, and its page shows the whole history."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from reports import services
from reports.models import ReviewDecision, Submission, SubmissionReview, SubmissionStatus

pytestmark = pytest.mark.django_db


def _submit(sub: Submission, user: Any, text: str) -> Submission:
    sub = services.submission_save(
        submission=sub, user=user, version=sub.version, cleaned={"progress_0": text}
    )
    services.submission_submit(submission=sub, user=user, version=sub.version)
    sub.refresh_from_db()
    return sub


def _review(client: Any, sub: Submission, decision: str, comment: str) -> Submission:
    response = client.post(
        f"/reports/submissions/{sub.pk}/review/",
        {"decision": decision, "comment": comment, "version": sub.version},
    )
    assert response.status_code == 302
    sub.refresh_from_db()
    return sub


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_every_review_comment_is_kept_and_shown(
    client_as: Any, clerk_a: Any, issuer_reviewer: Any, dispatch_ms: Any, tree: Any
) -> None:
    services.ensure_submissions(milestone=dispatch_ms)
    sub = Submission.objects.get(union=tree.district_a, milestone=dispatch_ms)
    sub = _submit(sub, clerk_a, "第一版")
    sub = _review(client_as(issuer_reviewer), sub, "return", "请补充服务对象人数")
    sub = _submit(sub, clerk_a, "第二版")
    sub = _review(client_as(issuer_reviewer), sub, "return", "照片不清晰，请重新上传")
    sub = _submit(sub, clerk_a, "第三版")
    sub = _review(client_as(issuer_reviewer), sub, "accept", "同意")
    assert sub.status == SubmissionStatus.ACCEPTED
    assert sub.reviewer_comment == "同意"  # the submission itself holds only the latest

    reviews = list(SubmissionReview.objects.filter(submission=sub).order_by("reviewed_at", "pk"))
    assert [(r.decision, r.comment, r.version.number) for r in reviews] == [
        (ReviewDecision.RETURNED, "请补充服务对象人数", 1),
        (ReviewDecision.RETURNED, "照片不清晰，请重新上传", 2),
        (ReviewDecision.ACCEPTED, "同意", 3),
    ]
    assert {r.reviewed_by for r in reviews} == {issuer_reviewer}
    assert {r.reviewer_union for r in reviews} == {tree.city}
    assert reviews[0].reviewed_at <= reviews[1].reviewed_at <= reviews[2].reviewed_at

    # What the filler sees on the submission page: every decision, newest first.
    html = client_as(clerk_a).get(sub.get_absolute_url()).content.decode()
    history = _text(html.split('id="review-history"', 1)[1].split("</ul>", 1)[0])
    positions = [history.index(c) for c in ("同意", "照片不清晰，请重新上传", "请补充服务对象人数")]
    assert positions == sorted(positions)
    assert history.count("退回") == 2
    assert history.count("采纳") == 1
    assert issuer_reviewer.first_name in history
    assert tree.city.display_name in history
    for review in reviews:
        assert f"{timezone.localtime(review.reviewed_at):%Y-%m-%d %H:%M}" in history


def test_a_reopening_is_part_of_the_history(
    client_as: Any, clerk_a: Any, issuer_reviewer: Any, dispatch_ms: Any, tree: Any
) -> None:
    services.ensure_submissions(milestone=dispatch_ms)
    sub = Submission.objects.get(union=tree.district_a, milestone=dispatch_ms)
    sub = _submit(sub, clerk_a, "第一版")
    sub = _review(client_as(issuer_reviewer), sub, "accept", "")
    assert (
        client_as(issuer_reviewer).post(f"/reports/submissions/{sub.pk}/reopen/").status_code == 302
    )
    decisions = list(
        SubmissionReview.objects.filter(submission=sub)
        .order_by("reviewed_at", "pk")
        .values_list("decision", flat=True)
    )
    assert decisions == [ReviewDecision.ACCEPTED, ReviewDecision.REOPENED]
    history = client_as(clerk_a).get(sub.get_absolute_url()).content.decode()
    assert "重新开放" in history.split('id="review-history"', 1)[1]


def test_a_refused_review_leaves_no_history(
    clerk_a: Any, issuer_reviewer: Any, dispatch_ms: Any, tree: Any
) -> None:
    services.ensure_submissions(milestone=dispatch_ms)
    sub = Submission.objects.get(union=tree.district_a, milestone=dispatch_ms)
    sub = _submit(sub, clerk_a, "第一版")
    with pytest.raises(ValidationError):  # a return needs a comment
        services.submission_review(
            submission=sub, user=issuer_reviewer, accept=False, comment="", version=sub.version
        )
    with pytest.raises(ValidationError):  # stale
        services.submission_review(
            submission=sub, user=issuer_reviewer, accept=True, comment="", version=sub.version - 1
        )
    assert not SubmissionReview.objects.filter(submission=sub).exists()


def test_an_unreviewed_submission_says_so(client_as: Any, clerk_a: Any, campaign: Any) -> None:
    client = client_as(clerk_a)
    client.get(f"/reports/campaigns/{campaign.pk}/")
    sub = Submission.objects.filter(union__memberships__user=clerk_a).first()
    assert "尚无审核记录" in client.get(sub.get_absolute_url()).content.decode()
