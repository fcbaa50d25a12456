"""The service record: teams, projects, activities, participations and certificates.

A union forms service teams under a campaign; teams run projects and log
activities; each participation carries a volunteer's hours and points.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.models import ActivityCategory, Campaign
from unionvol.scoping import ScopedManager, ScopedQuerySet
from unionvol.uploads import random_name

# --- service work: teams, projects, activities, hours ---------------------------------


class TeamRole(models.TextChoices):
    CAPTAIN = "captain", _("队长")
    CADRE = "cadre", _("工会干部")
    VOLUNTEER = "volunteer", _("志愿者")


class ServiceTeam(models.Model):
    """志愿服务队 / 分队: formed by a union under a campaign; sub-teams point to a parent."""

    scope_lookup: ClassVar[str] = "union"

    union = models.ForeignKey(
        "unions.Union", on_delete=models.PROTECT, related_name="teams", verbose_name=_("组建工会")
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="teams", verbose_name=_("活动通知")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subteams",
        verbose_name=_("上级服务队"),
    )
    name = models.CharField(_("服务队名称"), max_length=100)
    description = models.TextField(_("简介"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # Covers the member list too: saving either moves it on (see unionvol.locking).
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedManager.from_queryset(ScopedQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("志愿服务队")
        verbose_name_plural = _("志愿服务队")
        ordering = ["union__path", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["union", "campaign", "name"], name="team_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("service:team_detail", args=[self.pk])


class TeamMember(models.Model):
    scope_lookup: ClassVar[str] = "team__union"

    team = models.ForeignKey(ServiceTeam, on_delete=models.CASCADE, related_name="members")
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        on_delete=models.PROTECT,
        related_name="team_memberships",
        verbose_name=_("志愿者"),
    )
    role = models.CharField(
        _("队内职务"), max_length=12, choices=TeamRole.choices, default=TeamRole.VOLUNTEER
    )
    joined_on = models.DateField(_("加入日期"), auto_now_add=True)

    objects = ScopedManager.from_queryset(ScopedQuerySet)()

    class Meta:
        verbose_name = _("队员")
        verbose_name_plural = _("队员")
        ordering = ["team", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["team", "volunteer"], name="team_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.team_id}:{self.volunteer_id}"


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", _("已申报")
    APPROVED = "approved", _("已批准")
    RUNNING = "running", _("实施中")
    CLOSED = "closed", _("已结项")


class ServiceProject(models.Model):
    """志愿服务项目 (项目化管理): proposed below and approved above, or issued from above."""

    scope_lookup: ClassVar[str] = "team__union"

    team = models.ForeignKey(
        ServiceTeam, on_delete=models.PROTECT, related_name="projects", verbose_name=_("志愿服务队")
    )
    name = models.CharField(_("志愿服务项目名称"), max_length=120)
    period_start = models.DateField(_("项目开始日期"))
    period_end = models.DateField(_("项目结束日期"), null=True, blank=True)
    paired_unit = models.CharField(_("结对志愿服务单位、社区"), max_length=120, blank=True)
    beneficiaries = models.PositiveIntegerField(_("服务对象人数"), default=0)
    support_items = models.CharField(_("物质或资金支持情况"), max_length=300, blank=True)
    support_amount = models.DecimalField(
        _("支持金额（元）"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    leader_name = models.CharField(_("负责人姓名"), max_length=40)
    leader_position = models.CharField(_("职务"), max_length=60, blank=True)
    leader_phone = models.CharField(_("电话"), max_length=20)
    progress = models.TextField(_("志愿服务进展情况"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        "unions.Union", on_delete=models.PROTECT, related_name="+", verbose_name=_("申报单位")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("批准人"),
    )
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedManager.from_queryset(ScopedQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("志愿服务项目")
        verbose_name_plural = _("志愿服务项目")
        ordering = ["-period_start", "-pk"]
        indexes = [models.Index(fields=["status"], name="project_status_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("service:project_detail", args=[self.pk])

    @property
    def lacks_paired_unit(self) -> bool:
        return not self.paired_unit.strip()


class Activity(models.Model):
    """志愿服务日志: one activity of a team (optionally within a project)."""

    scope_lookup: ClassVar[str] = "team__union"

    team = models.ForeignKey(
        ServiceTeam,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("志愿服务队"),
    )
    project = models.ForeignKey(
        ServiceProject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("志愿服务项目"),
    )
    date = models.DateField(_("服务日期"))
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))
    place = models.CharField(_("服务地点"), max_length=120)
    category = models.ForeignKey(
        ActivityCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("活动类别"),
    )
    description = models.TextField(_("服务内容"))
    featured = models.BooleanField(_("特色活动"), default=False)
    beneficiaries = models.PositiveIntegerField(_("服务对象人数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("记录人"),
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    # Covers the participants and their hours too (see unionvol.locking).
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedManager.from_queryset(ScopedQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("志愿服务日志")
        verbose_name_plural = _("志愿服务日志")
        ordering = ["-date", "-start_time", "-pk"]
        indexes = [models.Index(fields=["date"], name="activity_date_idx")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.place}"

    def get_absolute_url(self) -> str:
        return reverse("service:activity_detail", args=[self.pk])


class ActivityPhoto(models.Model):
    scope_lookup: ClassVar[str] = "activity__team__union"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("活动图片"), upload_to=random_name("service/activities"), db_index=True
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager.from_queryset(ScopedQuerySet)()

    class Meta:
        verbose_name = _("活动图片")
        verbose_name_plural = _("活动图片")
        ordering = ["activity", "pk"]

    def __str__(self) -> str:
        return self.image.name or ""


class Participation(models.Model):
    """One volunteer's part in one activity: the service record (志愿服务记录)."""

    scope_lookup: ClassVar[str] = "activity__team__union"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participations")
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("志愿者"),
    )
    hours = models.DecimalField(
        _("服务时长（小时）"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0)],
    )

    objects = ScopedManager.from_queryset(ScopedQuerySet)()

    class Meta:
        verbose_name = _("服务记录")
        verbose_name_plural = _("服务记录")
        ordering = ["activity", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "volunteer"], name="participation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id}@{self.activity_id}: {self.hours}"


class Certificate(models.Model):
    """志愿服务记录证明: numbered per issuing union and year; the entries are a snapshot."""

    scope_lookup: ClassVar[str] = "union"

    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("志愿者"),
    )
    union = models.ForeignKey(
        "unions.Union", on_delete=models.PROTECT, related_name="+", verbose_name=_("出具单位")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("证明编号"), max_length=60, unique=True)
    period_start = models.DateField(_("服务起始日期"))
    period_end = models.DateField(_("服务截止日期"))
    total_hours = models.DecimalField(_("累计服务时长（小时）"), max_digits=8, decimal_places=1)
    entries = models.JSONField(_("服务记录"), default=list)
    # The holder as certified on the day of issue: a later edit of the volunteer (even
    # one that sends the registration back to approval) does not rewrite a certificate.
    volunteer_name = models.CharField(_("姓名"), max_length=40, default="")
    volunteer_id_masked = models.CharField(_("身份证号码（隐去部分）"), max_length=18, default="")
    volunteer_union_name = models.CharField(_("登记工会"), max_length=100, default="")
    issued_on = models.DateField(_("出具日期"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("经办人"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager.from_queryset(ScopedQuerySet)()

    class Meta:
        verbose_name = _("志愿服务记录证明")
        verbose_name_plural = _("志愿服务记录证明")
        ordering = ["-year", "-serial"]
        constraints = [
            models.UniqueConstraint(fields=["union", "year", "serial"], name="certificate_serial"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("service:certificate_detail", args=[self.pk])


# --- rollups (see unionvol.rollups) ---------------------------------------------------


class ServiceRollup(models.Model):
    """One union's own service figures for one campaign (its teams, not its subtree's),
    counted inside the campaign's period as ``service.figures`` counts them; kept
    current by ``service.rollups``. A subtree's figures are the sum of its unions' rows."""

    scope_lookup: ClassVar[str] = "union"

    union = models.ForeignKey("unions.Union", on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    teams = models.PositiveIntegerField(default=0)
    members = models.PositiveIntegerField(default=0)
    projects = models.PositiveIntegerField(default=0)
    beneficiaries = models.PositiveBigIntegerField(default=0)
    funds = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    activities = models.PositiveIntegerField(default=0)
    person_times = models.PositiveIntegerField(default=0)
    project_person_times = models.PositiveIntegerField(default=0)
    hours = models.DecimalField(max_digits=14, decimal_places=1, default=0)
    points = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    objects = ScopedManager.from_queryset(ScopedQuerySet)()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["union", "campaign"], name="service_rollup_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.union_id}/{self.campaign_id}"


class ServicePeriodRollup(models.Model):
    """The dated figures of one cell (activities, 人次, 时长, 积分) per period: a period
    starts on the first of a month, on the day after a milestone's due date, or on the
    campaign's first day, and runs to the next such day. The figures up to a milestone's
    due date (or a month's end) are the sum of the periods starting on or before it."""

    scope_lookup: ClassVar[str] = "union"

    union = models.ForeignKey("unions.Union", on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    start = models.DateField()
    activities = models.PositiveIntegerField(default=0)
    person_times = models.PositiveIntegerField(default=0)
    project_person_times = models.PositiveIntegerField(default=0)
    hours = models.DecimalField(max_digits=14, decimal_places=1, default=0)
    points = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    objects = ScopedManager.from_queryset(ScopedQuerySet)()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["union", "campaign", "start"], name="service_period_rollup_cell"
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "start"], name="service_period_rollup_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.union_id}/{self.campaign_id}/{self.start}"


class ProjectRollup(models.Model):
    """A project's own totals (its activities, 人次, 时长: every activity of the project,
    whatever its date), per union and campaign of the activities' teams, as
    ``service.figures.project_cells`` counts them; kept with the service rollup. A
    project's totals are the sum of its rows (one, unless its activities' teams differ),
    so a list of projects costs a row a project, whatever their size."""

    scope_lookup: ClassVar[str] = "union"

    union = models.ForeignKey("unions.Union", on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(ServiceProject, on_delete=models.CASCADE, related_name="+")
    activities = models.PositiveIntegerField(default=0)
    person_times = models.PositiveIntegerField(default=0)
    hours = models.DecimalField(max_digits=14, decimal_places=1, default=0)

    objects = ScopedManager.from_queryset(ScopedQuerySet)()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "union", "campaign"], name="service_project_rollup_cell"
            ),
        ]
        indexes = [
            models.Index(fields=["union", "campaign"], name="service_project_rollup_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}@{self.union_id}/{self.campaign_id}"
