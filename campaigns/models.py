from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from unionvol.scoping import ScopedQuerySet, union_of


class CampaignKind(models.TextChoices):
    POVERTY_RELIEF = "poverty_relief", _("助力脱贫攻坚")
    HELPER_CORPS = "helper_corps", _("服务帮扶志愿者队伍")
    CIVILISED_CITY = "civilised_city", _("创建文明城市")
    WITH_YOU = "with_you", _("和你在一起")
    SPRING_WARMTH = "spring_warmth", _("春节送温暖")
    OTHER = "other", _("其他")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    CLOSED = "closed", _("已结束")


class ReportForm(models.TextChoices):
    """Identifiers of the report forms (the reports registry uses the same keys)."""

    DISPATCH = "dispatch", _("情况调度表")
    WARMTH_STATS = "warmth_stats", _("送温暖活动统计表")
    QUOTA = "quota", _("名额分配表")
    ROSTER = "roster", _("花名册")
    REGISTRATION = "registration", _("登记表")
    PLAN = "plan", _("分队组建及全年活动计划")
    TYPICAL = "typical", _("典型材料")
    SUMMARY = "summary", _("总结")


class CampaignQuerySet(ScopedQuerySet["Campaign"]):
    def visible_to(self, user: Any) -> CampaignQuerySet:
        """Issued within the user's subtree, or addressed to the user's union, an
        ancestor of it, or a union below it (addressed unions read their notices)."""
        if getattr(user, "is_superuser", False) and user.is_active:
            return self.all()
        union = union_of(user)
        if union is None:
            return self.none()
        chain = [*union.ancestor_paths(), union.path]
        addressed = CampaignAddressee.objects.filter(campaign=OuterRef("pk")).filter(
            Q(union__path__in=chain) | Q(union__path__startswith=union.path)
        )
        return self.filter(Q(issuer__path__startswith=union.path) | Exists(addressed))


class Campaign(models.Model):
    """A campaign notice (通知) issued by a union to its subordinate unions."""

    scope_lookup: ClassVar[str] = "issuer"

    issuer = models.ForeignKey(
        "unions.Union",
        on_delete=models.PROTECT,
        related_name="issued_campaigns",
        verbose_name=_("发文单位"),
    )
    doc_number = models.CharField(_("文号"), max_length=60)
    title = models.CharField(_("标题"), max_length=200)
    kind = models.CharField(_("类别"), max_length=20, choices=CampaignKind.choices)
    body = models.TextField(_("正文"), blank=True)
    issue_date = models.DateField(_("发文日期"))
    period_start = models.DateField(_("活动开始"), null=True, blank=True)
    period_end = models.DateField(_("活动结束"), null=True, blank=True)
    addressees = models.ManyToManyField(
        "unions.Union",
        through="CampaignAddressee",
        related_name="addressed_campaigns",
        verbose_name=_("主送单位"),
        blank=True,
    )
    contact_person = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=80, blank=True)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    recruits_volunteers = models.BooleanField(
        _("招募志愿者"),
        default=False,
        help_text=_("志愿者登记按本通知的审批链（至发文单位）审批，并计入名额。"),
    )
    # Team composition rule (seed 000: 7–10 volunteers and 1–2 union cadres).
    team_min_volunteers = models.PositiveSmallIntegerField(
        _("每队志愿者下限"), null=True, blank=True
    )
    team_max_volunteers = models.PositiveSmallIntegerField(
        _("每队志愿者上限"), null=True, blank=True
    )
    team_min_cadres = models.PositiveSmallIntegerField(_("每队工会干部下限"), null=True, blank=True)
    team_max_cadres = models.PositiveSmallIntegerField(_("每队工会干部上限"), null=True, blank=True)
    # Points rule (seed 002 连工惠积分).
    points_per_participation = models.DecimalField(
        _("每次参与积分"),
        max_digits=6,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    points_per_hour = models.DecimalField(
        _("每小时积分"),
        max_digits=6,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    featured_per_year = models.PositiveSmallIntegerField(
        _("每年特色活动下限"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = CampaignQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("活动通知")
        verbose_name_plural = _("活动通知")
        ordering = ["-issue_date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "doc_number"], name="campaign_doc_unique"),
        ]
        indexes = [models.Index(fields=["status", "-issue_date"], name="campaign_status_idx")]

    def __str__(self) -> str:
        return f"{self.doc_number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:detail", args=[self.pk])


class CampaignAddressee(models.Model):
    scope_lookup: ClassVar[str] = "union"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="addressee_rows")
    union = models.ForeignKey("unions.Union", on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("主送单位")
        verbose_name_plural = _("主送单位")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "union"], name="addressee_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} → {self.union_id}"


class ActivityCategory(models.Model):
    """An activity kind a campaign recognises (from the seeds; editable per campaign)."""

    scope_lookup: ClassVar[str] = "campaign__issuer"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("名称"), max_length=60)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("活动类别")
        verbose_name_plural = _("活动类别")
        ordering = ["campaign", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="category_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    """A deadline of a campaign (时间节点): what is due and in which report form."""

    scope_lookup: ClassVar[str] = "campaign__issuer"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("报送内容"), max_length=120)
    form = models.CharField(_("报表"), max_length=20, choices=ReportForm.choices)
    opens_on = models.DateField(_("开始填报"), null=True, blank=True)
    due_date = models.DateField(_("截止日期"))
    lock_after_days = models.PositiveSmallIntegerField(
        _("逾期锁定天数"),
        null=True,
        blank=True,
        help_text=_("截止后多少天锁定填报；锁定后只有发文单位可以重新开放。留空表示不锁定。"),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("时间节点")
        verbose_name_plural = _("时间节点")
        ordering = ["campaign", "due_date", "pk"]
        indexes = [models.Index(fields=["due_date"], name="milestone_due_idx")]

    def __str__(self) -> str:
        return f"{self.due_date:%m-%d} {self.title}"


class QuotaAllocation(models.Model):
    """名额分配表: how many volunteers a union is asked to recruit for a campaign."""

    scope_lookup: ClassVar[str] = "union"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="quotas")
    union = models.ForeignKey("unions.Union", on_delete=models.PROTECT, related_name="quotas")
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    quota = models.PositiveIntegerField(_("人数"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("名额分配")
        verbose_name_plural = _("名额分配")
        ordering = ["campaign", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "union"], name="quota_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.union} {self.quota}"


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

    objects = ScopedQuerySet.as_manager()
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
        return reverse("campaigns:team_detail", args=[self.pk])


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

    objects = ScopedQuerySet.as_manager()

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

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("志愿服务项目")
        verbose_name_plural = _("志愿服务项目")
        ordering = ["-period_start", "-pk"]
        indexes = [models.Index(fields=["status"], name="project_status_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaigns:project_detail", args=[self.pk])

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

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("志愿服务日志")
        verbose_name_plural = _("志愿服务日志")
        ordering = ["-date", "-start_time", "-pk"]
        indexes = [models.Index(fields=["date"], name="activity_date_idx")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.place}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:activity_detail", args=[self.pk])


class ActivityPhoto(models.Model):
    scope_lookup: ClassVar[str] = "activity__team__union"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("活动图片"), upload_to="campaigns/activities/%Y/")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("活动图片")
        verbose_name_plural = _("活动图片")
        ordering = ["activity", "pk"]

    def __str__(self) -> str:
        return self.image.name


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

    objects = ScopedQuerySet.as_manager()

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

    objects = ScopedQuerySet.as_manager()

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
        return reverse("campaigns:certificate_detail", args=[self.pk])
