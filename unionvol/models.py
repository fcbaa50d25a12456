from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from unionvol.scoping import ScopedManager, ScopedQuerySet


class AuditAction(models.TextChoices):
    VIEW_FULL_ID = "view_full_id", _("查看完整身份证号")
    VIEW_SENSITIVE = "view_sensitive", _("查看敏感档案")
    EXPORT = "export", _("导出")
    IMPORT = "import", _("导入")
    SEARCH_ID = "search_id", _("按身份证号查询")
    GRANT_FULL_ID = "grant_full_id", _("授予查看完整身份证号权限")
    REVOKE_FULL_ID = "revoke_full_id", _("撤销查看完整身份证号权限")


class AuditEvent(models.Model):
    """Who saw or moved personal data, when, and which record — never the data itself."""

    scope_lookup: ClassVar[str] = "union"

    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("用户"),
    )
    username = models.CharField(_("用户名"), max_length=150)
    union = models.ForeignKey(
        "unions.Union",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("用户所属工会"),
    )
    action = models.CharField(_("操作"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=40, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    rows = models.PositiveIntegerField(_("行数"), null=True, blank=True)
    full_ids = models.BooleanField(_("含完整身份证号"), default=False)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    objects = ScopedManager.from_queryset(ScopedQuerySet)()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="audit_user_time_idx"),
            models.Index(fields=["action", "-created_at"], name="audit_action_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()}"


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ExportJobQuerySet(ScopedQuerySet["ExportJob"]):
    def requested_by(self, user: Any) -> ExportJobQuerySet:
        """The user's own jobs (the operator's view of the queue is the admin)."""
        return self.filter(requested_by=user)


class ExportJob(models.Model):
    """A workbook built in the background by ``run_export_jobs`` (or inline when small).

    The file is the requester's: only the user who asked for it (or the operator)
    may download it, because what it holds depends on the requester's rights.
    """

    scope_lookup: ClassVar[str] = "union"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    union = models.ForeignKey(
        "unions.Union", on_delete=models.CASCADE, related_name="+", verbose_name=_("工会")
    )
    kind = models.CharField(_("类型"), max_length=30)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    file_path = models.CharField(max_length=300, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager.from_queryset(ExportJobQuerySet)()

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="exportjob_status_idx")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("export_job", args=[self.pk])
