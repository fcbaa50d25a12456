"""Submissions of report forms per milestone, their frozen versions, and reminders."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from unionvol.scoping import scoped_manager
from unionvol.uploads import random_name


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已采纳")


class Submission(models.Model):
    """One union's report for one milestone (时间节点) of a campaign."""

    scope_lookup: ClassVar[str] = "union"

    milestone = models.ForeignKey(
        "campaigns.Milestone",
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("时间节点"),
    )
    union = models.ForeignKey(
        "unions.Union",
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("填报单位"),
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    data = models.JSONField(_("报表数据"), default=dict, blank=True)
    narrative = models.TextField(_("文字材料"), blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    days_late = models.PositiveIntegerField(_("逾期天数"), default=0)
    # When the union first reported, and how late that was: set by the first submit only.
    # A return, a resubmission or an acceptance never changes them (honest lateness).
    first_submitted_at = models.DateTimeField(_("首次报送时间"), null=True, blank=True)
    first_days_late = models.PositiveIntegerField(_("首次报送逾期天数"), default=0)
    reviewer_comment = models.TextField(_("审核意见"), blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reopened = models.BooleanField(_("已重新开放"), default=False)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("报送")
        verbose_name_plural = _("报送")
        ordering = ["milestone__due_date", "union__path"]
        constraints = [
            models.UniqueConstraint(fields=["milestone", "union"], name="submission_unique"),
        ]
        indexes = [models.Index(fields=["milestone", "status"], name="submission_ms_status_idx")]

    def __str__(self) -> str:
        return f"{self.union} · {self.milestone}"

    def get_absolute_url(self) -> str:
        return reverse("reports:submission", args=[self.pk])

    @property
    def is_late(self) -> bool:
        return self.days_late > 0

    @property
    def is_due(self) -> bool:
        """Still to be sent by the union (a draft, or returned to it)."""
        return self.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)

    @property
    def days_to_due(self) -> int:
        """Days left before the deadline (negative: days past it), counted from today."""
        from django.utils import timezone

        return (self.milestone.due_date - timezone.localdate()).days

    @property
    def days_overdue(self) -> int:
        return max(-self.days_to_due, 0)

    def days_late_on(self, day: date) -> int:
        return max((day - self.milestone.due_date).days, 0)


class SubmissionVersion(models.Model):
    """Every submitted version with the figures frozen at submission time."""

    scope_lookup: ClassVar[str] = "submission__union"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    snapshot = models.JSONField(_("数据快照"), default=dict)
    narrative = models.TextField(_("文字材料"), blank=True)
    submitted_at = models.DateTimeField(_("报送时间"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    days_late = models.PositiveIntegerField(_("逾期天数"), default=0)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("报送版本")
        verbose_name_plural = _("报送版本")
        ordering = ["submission", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "number"], name="submission_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} v{self.number}"


class ReviewDecision(models.TextChoices):
    ACCEPTED = "accepted", _("采纳")
    RETURNED = "returned", _("退回")
    REOPENED = "reopened", _("重新开放")


class SubmissionReview(models.Model):
    """Every review event of a submission, never overwritten.

    ``Submission.reviewer_comment`` holds only the latest comment (what the filler must
    act on); this is the whole story: who accepted, returned or reopened which version,
    when, and with what comment.
    """

    scope_lookup: ClassVar[str] = "submission__union"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="reviews")
    # The submitted version the decision was about (none for a draft reopened).
    version = models.ForeignKey(
        SubmissionVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("报送版本"),
    )
    decision = models.CharField(_("审核结果"), max_length=12, choices=ReviewDecision.choices)
    comment = models.TextField(_("审核意见"), blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    # The reviewer's union at the time: a user may later move to another union.
    reviewer_union = models.ForeignKey(
        "unions.Union",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核单位"),
    )

    objects = scoped_manager()

    class Meta:
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")
        ordering = ["submission", "reviewed_at", "pk"]
        indexes = [models.Index(fields=["submission", "reviewed_at"], name="submission_review_idx")]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.decision} {self.reviewed_at:%Y-%m-%d %H:%M}"


class SubmissionPhoto(models.Model):
    scope_lookup: ClassVar[str] = "submission__union"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("图片"), upload_to=random_name("reports/photos"), db_index=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("报送图片")
        verbose_name_plural = _("报送图片")
        ordering = ["submission", "pk"]

    def __str__(self) -> str:
        return self.image.name


class ReminderSent(models.Model):
    """One reminder per submission and threshold (7, 3, 1 days before, or overdue)."""

    scope_lookup: ClassVar[str] = "submission__union"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="reminders")
    threshold = models.CharField(_("提醒节点"), max_length=12)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("催报记录")
        verbose_name_plural = _("催报记录")
        constraints = [
            models.UniqueConstraint(fields=["submission", "threshold"], name="reminder_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.threshold}"


class MilestoneTally(models.Model):
    """The completeness matrix's counts, kept along the tree: one row per milestone and
    union, counting the submissions of the notice's addressees in that union's *subtree*
    (the union itself and every union below it) by state. A reviewer's matrix reads the
    row of its own union, one per milestone, whatever the size of the subtree.

    Kept current by ``reports.tally`` (the ``unionvol.rollups`` machinery: a saved or
    deleted submission or addressee recomputes the rows of its union's ancestors, in
    the same transaction); ``manage.py check_rollups`` compares it with the records."""

    scope_lookup: ClassVar[str] = "union"

    milestone = models.ForeignKey("campaigns.Milestone", on_delete=models.CASCADE, related_name="+")
    union = models.ForeignKey("unions.Union", on_delete=models.CASCADE, related_name="+")
    accepted = models.PositiveIntegerField(default=0)
    returned = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)  # submitted after the due date
    on_time = models.PositiveIntegerField(default=0)  # submitted by the due date
    sent = models.PositiveIntegerField(default=0)  # any state but a draft
    first_late = models.PositiveIntegerField(default=0)  # first submission late
    first_on_time = models.PositiveIntegerField(default=0)  # first submission on time

    objects = scoped_manager()

    class Meta:
        verbose_name = _("报送完成情况汇总")
        verbose_name_plural = _("报送完成情况汇总")
        constraints = [
            models.UniqueConstraint(fields=["union", "milestone"], name="tally_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.milestone_id} / {self.union_id}"
