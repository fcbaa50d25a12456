"""Writes of the reports app: opening, editing, submitting, reviewing and reopening."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, F, PositiveIntegerField, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports import tally
from reports.models import (
    ReviewDecision,
    Submission,
    SubmissionPhoto,
    SubmissionReview,
    SubmissionStatus,
    SubmissionVersion,
)
from unionvol.capabilities import Capability
from unionvol.scoping import has_capability, is_operator, union_of
from unionvol.sheets import Period, get_sheet
from unionvol.uploads import clean_image

EDITABLE = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)

STALE = _("该报送已被他人修改或已报送，请刷新页面后重试。")
NOT_EDITABLE = _("该报送当前状态不可修改。")
LOCKED = _("该时间节点已逾期锁定，只有发文单位可以重新开放。")
NOT_SUBMITTED = _("只有已报送的材料可以审核。")
COMMENT_REQUIRED = _("退回时请填写审核意见。")
NOT_REVIEWER = _("只有上级工会或发文单位的审核员可以审核。")
NOT_ISSUER = _("只有发文单位可以重新开放填报。")
TOO_MANY_PHOTOS = _("最多只能上传 %(max)s 张图片。")


def submission_form(submission: Submission) -> Any:
    return get_sheet(submission.milestone.form)


def prefill_data(*, union: Any, milestone: Any) -> dict[str, Any]:
    from reports.exports import prefill

    return prefill(milestone.form, union, Period.of_milestone(milestone))


def is_open(milestone: Any, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return milestone.opens_on is None or milestone.opens_on <= today


def ensure_submissions(*, milestone: Any, unions: list[Any] | None = None) -> int:
    """Create (prefilled) the missing submissions of the addressed unions; returns how many.

    ``unions`` limits it to some addressees (e.g. the visiting clerk's own union).
    """
    from campaigns.models import CampaignAddressee

    if not is_open(milestone):
        return 0
    addressed = CampaignAddressee.objects.filter(campaign_id=milestone.campaign_id).select_related(
        "union"
    )
    if unions is not None:
        addressed = addressed.filter(union__in=[u.pk for u in unions])
    existing = set(
        Submission.objects.filter(milestone=milestone).values_list("union_id", flat=True)
    )
    created = [
        Submission(
            milestone=milestone,
            union=row.union,
            data=prefill_data(union=row.union, milestone=milestone),
        )
        for row in addressed
        if row.union_id not in existing
    ]
    Submission.objects.bulk_create(created, ignore_conflicts=True)
    return len(created)


def open_milestone(sender: Any = None, *, milestone: Any, **kwargs: Any) -> int:
    """Receiver of ``campaigns.signals.milestone_opened``: the addressees' submissions,
    created at once (idempotent; a milestone whose entry opens later waits for cron)."""
    return ensure_submissions(milestone=milestone)


def open_due_milestones(*, today: date | None = None) -> int:
    """For cron: every milestone of a published campaign whose entry has opened gets the
    submissions of its addressees (prefilled). Returns how many were created."""
    from django.db.models import Q

    from campaigns.models import CampaignStatus, Milestone

    today = today or timezone.localdate()
    created = 0
    milestones = Milestone.objects.filter(
        Q(opens_on__isnull=True) | Q(opens_on__lte=today),
        campaign__status=CampaignStatus.PUBLISHED,
    ).select_related("campaign")
    for milestone in milestones:
        created += ensure_submissions(milestone=milestone)
    return created


def is_locked(submission: Submission, today: date | None = None) -> bool:
    milestone = submission.milestone
    if milestone.lock_after_days is None or submission.reopened:
        return False
    today = today or timezone.localdate()
    return today > milestone.due_date + timedelta(days=milestone.lock_after_days)


def is_own(user: Any, submission: Submission) -> bool:
    """Only the reporting union's own members fill in its report (parents review it)."""
    if is_operator(user):
        return True
    union = union_of(user)
    return union is not None and union.pk == submission.union_id


def can_edit(user: Any, submission: Submission) -> bool:
    return (
        has_capability(user, Capability.EDIT)
        and is_own(user, submission)
        and submission.status in EDITABLE
        and not is_locked(submission)
    )


def is_issuer(user: Any, campaign: Any) -> bool:
    if is_operator(user):
        return True
    union = union_of(user)
    return union is not None and union.pk == campaign.issuer_id


def can_review(user: Any, submission: Submission) -> bool:
    """A reviewer of the issuing union (or above it), or of a union above the submitter."""
    if not has_capability(user, Capability.REVIEW):
        return False
    if is_operator(user):
        return True
    union = union_of(user)
    if union is None:
        return False
    issuer = submission.milestone.campaign.issuer
    above_submitter = (
        submission.union.path.startswith(union.path) and submission.union.path != union.path
    )
    return issuer.path.startswith(union.path) or above_submitter


def _check_editable(user: Any, submission: Submission) -> None:
    if not has_capability(user, Capability.EDIT) or not is_own(user, submission):
        raise PermissionDenied
    if is_locked(submission):
        raise ValidationError(LOCKED, code="locked")
    if submission.status not in EDITABLE:
        raise ValidationError(NOT_EDITABLE, code="not_editable")


@transaction.atomic
def submission_save(
    *,
    submission: Submission,
    user: Any,
    version: int,
    cleaned: dict[str, Any],
) -> Submission:
    """Save the editable part (narrative / progress texts) of a draft or returned submission."""
    _check_editable(user, submission)
    form = submission_form(submission)
    data = form.apply(copy.deepcopy(submission.data), cleaned)
    narrative = cleaned.get("narrative", submission.narrative) or ""
    updated = Submission.objects.filter(
        pk=submission.pk, version=version, status__in=EDITABLE
    ).update(data=data, narrative=narrative, version=F("version") + 1, updated_at=timezone.now())
    if not updated:
        raise ValidationError(STALE, code="stale")
    submission.refresh_from_db()
    return submission


@transaction.atomic
def submission_refresh(*, submission: Submission, user: Any, version: int) -> Submission:
    """Take the figures from the records again, keeping what was typed."""
    _check_editable(user, submission)
    fresh = prefill_data(union=submission.union, milestone=submission.milestone)
    typed = {
        b.get("project_id"): b.get("progress", "")
        for b in submission.data.get("blocks") or []
        if b.get("progress")
    }
    for block in fresh.get("blocks") or []:
        if block.get("project_id") in typed:
            block["progress"] = typed[block["project_id"]]
    updated = Submission.objects.filter(
        pk=submission.pk, version=version, status__in=EDITABLE
    ).update(data=fresh, version=F("version") + 1, updated_at=timezone.now())
    if not updated:
        raise ValidationError(STALE, code="stale")
    submission.refresh_from_db()
    return submission


def snapshot_of(submission: Submission, photos: int) -> dict[str, Any]:
    return copy.deepcopy(submission.data) | {"narrative": submission.narrative, "photos": photos}


@transaction.atomic
def submission_submit(*, submission: Submission, user: Any, version: int) -> SubmissionVersion:
    """Freeze the figures and submit; a repeated (double-clicked) submit is refused as stale."""
    _check_editable(user, submission)
    form = submission_form(submission)
    photos = submission.photos.count()
    errors = form.validate(submission.data, narrative=submission.narrative, photos=photos)
    if errors:
        raise ValidationError(errors, code="invalid")
    now = timezone.now()
    days_late = max((timezone.localdate(now) - submission.milestone.due_date).days, 0)
    updated = Submission.objects.filter(
        pk=submission.pk, version=version, status__in=EDITABLE
    ).update(
        status=SubmissionStatus.SUBMITTED,
        submitted_at=now,
        submitted_by=user,
        days_late=days_late,
        first_submitted_at=Coalesce(F("first_submitted_at"), Value(now)),
        first_days_late=Case(
            When(first_submitted_at__isnull=True, then=Value(days_late)),
            default=F("first_days_late"),
            output_field=PositiveIntegerField(),
        ),
        version=F("version") + 1,
        updated_at=now,
    )
    if not updated:
        raise ValidationError(STALE, code="stale")
    tally.touch([(submission.union_id, submission.milestone.campaign_id)])  # no signal
    number = submission.versions.count() + 1
    snap = SubmissionVersion(
        submission=submission,
        number=number,
        snapshot=snapshot_of(submission, photos),
        narrative=submission.narrative,
        submitted_at=now,
        submitted_by=user,
        days_late=days_late,
    )
    snap.full_clean()
    snap.save()
    submission.refresh_from_db()
    return snap


@transaction.atomic
def submission_review(
    *, submission: Submission, user: Any, accept: bool, comment: str, version: int
) -> Submission:
    if not can_review(user, submission):
        raise PermissionDenied(NOT_REVIEWER)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(NOT_SUBMITTED, code="not_submitted")
    comment = (comment or "").strip()
    if not accept and not comment:
        raise ValidationError(COMMENT_REQUIRED, code="comment_required")
    now = timezone.now()
    updated = Submission.objects.filter(
        pk=submission.pk, version=version, status=SubmissionStatus.SUBMITTED
    ).update(
        status=SubmissionStatus.ACCEPTED if accept else SubmissionStatus.RETURNED,
        reviewer_comment=comment,
        reviewed_at=now,
        reviewed_by=user,
        version=F("version") + 1,
    )
    if not updated:
        raise ValidationError(STALE, code="stale")
    tally.touch([(submission.union_id, submission.milestone.campaign_id)])  # no signal
    _record_review(
        submission=submission,
        user=user,
        decision=ReviewDecision.ACCEPTED if accept else ReviewDecision.RETURNED,
        comment=comment,
        at=now,
    )
    submission.refresh_from_db()
    return submission


def _record_review(
    *, submission: Submission, user: Any, decision: str, comment: str, at: Any
) -> SubmissionReview:
    """One more line of the submission's review history (the submission keeps only the
    latest comment, for the filler to act on)."""
    review = SubmissionReview(
        submission=submission,
        version=submission.versions.order_by("-number").first(),
        decision=decision,
        comment=comment,
        reviewed_at=at,
        reviewed_by=user if getattr(user, "pk", None) else None,
        reviewer_union=union_of(user),
    )
    review.full_clean()
    review.save()
    return review


@transaction.atomic
def submission_reopen(*, submission: Submission, user: Any) -> Submission:
    """The issuer reopens a locked (or accepted) submission for editing."""
    if not (is_issuer(user, submission.milestone.campaign) and has_capability(user, "review")):
        raise PermissionDenied(NOT_ISSUER)
    _record_review(
        submission=submission,
        user=user,
        decision=ReviewDecision.REOPENED,
        comment="",
        at=timezone.now(),
    )
    Submission.objects.filter(pk=submission.pk).update(
        reopened=True,
        status=SubmissionStatus.RETURNED
        if submission.status != SubmissionStatus.DRAFT
        else SubmissionStatus.DRAFT,
        version=F("version") + 1,
    )
    tally.touch([(submission.union_id, submission.milestone.campaign_id)])  # no signal
    submission.refresh_from_db()
    return submission


@transaction.atomic
def photo_add(*, submission: Submission, user: Any, upload: Any) -> SubmissionPhoto:
    _check_editable(user, submission)
    form = submission_form(submission)
    limit = form.max_photos or 3
    if submission.photos.count() >= limit:
        raise ValidationError(TOO_MANY_PHOTOS, code="too_many", params={"max": limit})
    image = clean_image(upload)
    photo = SubmissionPhoto(submission=submission)
    photo.image.save(image.name, image, save=False)
    photo.save()
    return photo


@transaction.atomic
def photo_delete(*, photo: SubmissionPhoto, user: Any) -> None:
    _check_editable(user, photo.submission)
    photo.image.delete(save=False)
    photo.delete()
