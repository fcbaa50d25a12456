from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from unionvol.idnumbers import (
    birth_date_of,
    gender_of,
    mask_id_number,
    validate_id_number,
    validate_phone,
)
from unionvol.scoping import ScopedManager, ScopedQuerySet, subtree_q
from unionvol.uploads import random_name


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class PoliticalStatus(models.TextChoices):
    """GB/T 4762 政治面貌代码."""

    CPC_MEMBER = "01", _("中共党员")
    CPC_PROBATIONARY = "02", _("中共预备党员")
    CYL_MEMBER = "03", _("共青团员")
    RCCK = "04", _("民革党员")
    CDL = "05", _("民盟盟员")
    CNDCA = "06", _("民建会员")
    CAPD = "07", _("民进会员")
    CPWDP = "08", _("农工党党员")
    CZGP = "09", _("致公党党员")
    JIUSAN = "10", _("九三学社社员")
    TDSGL = "11", _("台盟盟员")
    NON_PARTISAN = "12", _("无党派人士")
    MASSES = "13", _("群众")


class Education(models.TextChoices):
    DOCTORATE = "doctorate", _("博士研究生")
    MASTER = "master", _("硕士研究生")
    BACHELOR = "bachelor", _("大学本科")
    COLLEGE = "college", _("大学专科")
    SECONDARY = "secondary", _("中专")
    HIGH_SCHOOL = "high_school", _("高中")
    JUNIOR = "junior", _("初中及以下")


class Health(models.TextChoices):
    HEALTHY = "healthy", _("健康")
    GOOD = "good", _("良好")
    FAIR = "fair", _("一般")
    POOR = "poor", _("较差")


class Identity(models.TextChoices):
    EMPLOYEE = "employee", _("在职职工")
    RETIRED = "retired", _("离退休职工")
    MODEL_WORKER = "model_worker", _("劳动模范")
    STUDENT = "student", _("在校学生")
    PUBLIC = "public", _("社会人员")
    CADRE = "cadre", _("工会干部")


class MemberType(models.TextChoices):
    MEMBER = "member", _("工会会员")
    INVITED = "invited", _("特邀会员")


class VolunteerStatus(models.TextChoices):
    PENDING = "pending", _("审核中")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("未通过")
    WITHDRAWN = "withdrawn", _("已退出")


class Specialty(models.Model):
    """特长: a shared list, so that the roster can filter by it."""

    name = models.CharField(_("名称"), max_length=30, unique=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("特长")
        verbose_name_plural = _("特长")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Volunteer(models.Model):
    """A volunteer, unique by resident ID number, with every field of the 登记表."""

    scope_lookup: ClassVar[str] = "union"

    name = models.CharField(_("姓名"), max_length=40)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, editable=False)
    birth_date = models.DateField(_("出生日期"), editable=False)
    political_status = models.CharField(
        _("政治面貌"), max_length=2, choices=PoliticalStatus.choices, default=PoliticalStatus.MASSES
    )
    photo = models.ImageField(
        _("照片"), upload_to=random_name("volunteers/photos"), blank=True, db_index=True
    )
    id_number = models.CharField(_("身份证号"), max_length=18, unique=True)
    # Blank only for rows imported from a 花名册, which has no phone column.
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    work_start = models.DateField(_("参加工作时间"), null=True, blank=True)
    education = models.CharField(_("学历"), max_length=16, choices=Education.choices, blank=True)
    health = models.CharField(
        _("健康状况"), max_length=10, choices=Health.choices, default=Health.HEALTHY
    )
    workplace = models.CharField(_("工作单位"), max_length=100, blank=True)
    specialties = models.ManyToManyField(
        Specialty, blank=True, related_name="volunteers", verbose_name=_("特长")
    )
    resume = models.TextField(_("工作简历"), blank=True)
    application = models.TextField(_("本人申请"), blank=True)
    identity = models.CharField(
        _("身份"), max_length=16, choices=Identity.choices, default=Identity.EMPLOYEE
    )
    member_type = models.CharField(
        _("会员类别"), max_length=10, choices=MemberType.choices, default=MemberType.MEMBER
    )
    national_registered = models.BooleanField(_("已在全国志愿服务信息系统注册"), default=False)
    national_number = models.CharField(_("全国志愿服务信息系统编号"), max_length=40, blank=True)
    union = models.ForeignKey(
        "unions.Union",
        on_delete=models.PROTECT,
        related_name="volunteers",
        verbose_name=_("登记工会"),
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteers",
        verbose_name=_("招募通知"),
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=VolunteerStatus.choices, default=VolunteerStatus.PENDING
    )
    registered_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    approved_at = models.DateTimeField(_("通过时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
    )
    self_applied = models.BooleanField(_("网上自主报名"), default=False)
    # 报名编号 of a public application (UV-2026-XXXXXX): with the ID number's last four
    # characters the applicant checks the status; random, so no one derives another's.
    reference = models.CharField(
        _("报名编号"), max_length=20, unique=True, null=True, blank=True, editable=False
    )
    consent_at = models.DateTimeField(_("同意个人信息处理时间"), null=True, blank=True)
    # Each submission (and each resubmission after a return) opens a new approval round.
    approval_round = models.PositiveSmallIntegerField(_("审批轮次"), default=1, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedManager.from_queryset(ScopedQuerySet)()
    # The full ID number never goes into history.
    history = HistoricalRecords(excluded_fields=["id_number"])

    class Meta:
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")
        ordering = ["-registered_at", "-pk"]
        permissions = [("view_full_id", _("可查看完整身份证号"))]
        indexes = [
            models.Index(fields=["union", "status"], name="volunteer_union_status_idx"),
            models.Index(fields=["status", "-registered_at"], name="volunteer_status_time_idx"),
            # The roster's default order, read by keyset (see unionvol/keyset.py).
            models.Index(fields=["-registered_at", "-id"], name="volunteer_registered_idx"),
            models.Index(fields=["name"], name="volunteer_name_idx"),
            models.Index(fields=["phone"], name="volunteer_phone_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("volunteers:detail", args=[self.pk])

    @property
    def masked_id(self) -> str:
        return mask_id_number(self.id_number)

    def clean(self) -> None:
        """Real-name rules: the ID number is normalised; gender and birth date come from it."""
        errors: dict[str, list[Any]] = {}
        if self.id_number:
            try:
                self.id_number = validate_id_number(self.id_number)
            except ValidationError as exc:
                errors.setdefault("id_number", []).extend(exc.messages)
            else:
                self.gender = gender_of(self.id_number)
                self.birth_date = birth_date_of(self.id_number)
        if self.phone:
            try:
                self.phone = validate_phone(self.phone)
            except ValidationError as exc:
                errors.setdefault("phone", []).extend(exc.messages)
        if self.national_number and not self.national_registered:
            self.national_registered = True
        if errors:
            raise ValidationError(errors)


class ApprovalDecision(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("同意")
    REJECTED = "rejected", _("不同意")
    RETURNED = "returned", _("退回修改")


class ApprovalStep(models.Model):
    """One level of the registration approval chain (unit → district/industry → city)."""

    scope_lookup: ClassVar[str] = "volunteer__union"

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="steps")
    level = models.PositiveSmallIntegerField(_("审批层级"))
    union = models.ForeignKey(
        "unions.Union", on_delete=models.PROTECT, related_name="+", verbose_name=_("审批工会")
    )
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    decision = models.CharField(
        _("意见"), max_length=10, choices=ApprovalDecision.choices, default=ApprovalDecision.PENDING
    )
    opinion = models.CharField(_("审批意见"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)

    objects = ScopedManager.from_queryset(ScopedQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("审批记录")
        verbose_name_plural = _("审批记录")
        ordering = ["volunteer", "round", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "round", "level"], name="approval_step_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["union", "decision"], name="approval_inbox_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} L{self.level} {self.get_decision_display()}"


class QuotaQuerySet(ScopedQuerySet["QuotaAllocation"]):
    def scope_q(self, union: Any) -> Q:
        """A union reads the quota rows of its subtree, those of the unions above it (its
        own target), and every row of a campaign its subtree issued — never a sibling's."""
        return (
            subtree_q(union, "union")
            | Q(union__path__in=union.ancestor_paths())
            | subtree_q(union, "campaign__issuer")
        )


class QuotaAllocation(models.Model):
    """名额分配表: how many volunteers a union is asked to recruit for a campaign."""

    scope_lookup: ClassVar[str] = "union"

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="quotas"
    )
    union = models.ForeignKey("unions.Union", on_delete=models.PROTECT, related_name="quotas")
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    quota = models.PositiveIntegerField(_("人数"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedManager.from_queryset(QuotaQuerySet)()
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


class RepeatedApplication(models.Model):
    """A public application whose ID number is already registered.

    The public form answers it exactly as any other application — refusing it would
    tell anyone whether a number is registered — and keeps it here for the reviewers
    of the union applied to, who contact the applicant (a second application of the
    same person, a typing error, or someone using another's number).
    """

    scope_lookup: ClassVar[str] = "union"

    union = models.ForeignKey(
        "unions.Union", on_delete=models.PROTECT, related_name="+", verbose_name=_("报名工会")
    )
    # The registered record it repeats (the ID number itself is not stored twice).
    existing = models.ForeignKey(
        Volunteer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="repeated_applications",
        verbose_name=_("已登记的志愿者"),
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("招募通知"),
    )
    name = models.CharField(_("姓名"), max_length=40)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    workplace = models.CharField(_("工作单位"), max_length=100, blank=True)
    data = models.JSONField(_("其他填写内容"), default=dict, blank=True)
    # The applicant's 报名编号 and the last four characters of the number typed: the
    # status check answers a repeated application as it answers any other.
    reference = models.CharField(
        _("报名编号"), max_length=20, unique=True, null=True, blank=True, editable=False
    )
    id_tail = models.CharField(_("身份证号码后四位"), max_length=4, blank=True, editable=False)
    applied_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("处理人"),
    )

    objects = ScopedManager.from_queryset(ScopedQuerySet)()

    class Meta:
        verbose_name = _("重复报名")
        verbose_name_plural = _("重复报名")
        ordering = ["applied_at", "pk"]
        indexes = [
            models.Index(fields=["union", "resolved_at"], name="repeated_application_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.applied_at:%Y-%m-%d}"


class ApplyLink(models.Model):
    """The short public address (``/j/<code>/``) of a union's application form, for one
    recruiting campaign or none; printed as a QR code. Created the first time a union's
    page shows it and never changed, so a printed poster keeps working."""

    scope_lookup: ClassVar[str] = "union"

    code = models.CharField(_("短链接代码"), max_length=16, unique=True)
    union = models.ForeignKey(
        "unions.Union", on_delete=models.PROTECT, related_name="+", verbose_name=_("报名工会")
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("招募通知"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager.from_queryset(ScopedQuerySet)()

    class Meta:
        verbose_name = _("网上报名链接")
        verbose_name_plural = _("网上报名链接")
        ordering = ["union", "campaign", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["union", "campaign"],
                condition=Q(campaign__isnull=False),
                name="apply_link_union_campaign",
            ),
            models.UniqueConstraint(
                fields=["union"],
                condition=Q(campaign__isnull=True),
                name="apply_link_union_general",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("apply_short", args=[self.code])


class VolunteerRollup(models.Model):
    """One union's own registrations for one campaign (or for none), counted as
    ``volunteers.figures`` counts them; kept current by ``volunteers.rollups`` in the
    transaction of every write (see ``unionvol.rollups``). A subtree's figures are the
    sum of its unions' rows."""

    scope_lookup: ClassVar[str] = "union"

    union = models.ForeignKey("unions.Union", on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, null=True, related_name="+"
    )
    registered = models.PositiveIntegerField(default=0)
    approved = models.PositiveIntegerField(default=0)
    # By status, for the counters (the home page's 被退回待修改).
    pending = models.PositiveIntegerField(default=0)
    returned = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)

    objects = ScopedManager.from_queryset(ScopedQuerySet)()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["union", "campaign"],
                condition=Q(campaign__isnull=False),
                name="volunteer_rollup_cell",
            ),
            models.UniqueConstraint(
                fields=["union"],
                condition=Q(campaign__isnull=True),
                name="volunteer_rollup_campaignless",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.union_id}/{self.campaign_id}"
