"""Relief and care (帮扶关爱): hardship files, one-to-one pairing, relief grants,
visits, one-day donations and micro-wishes (seeds 001, 002, 003, 004).

Hardship files are sensitive personal information. Their visibility is decided in
one place, :meth:`SensitiveQuerySet.visible_to`: the staff (clerk, reviewer,
admin) of the file's own union, and the reviewers and admins of the unions above
it — never viewers, never outsiders, never a clerk of a union above. Every model
that reveals a file (pairings, grants, visits) uses the same queryset.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any, ClassVar, Self

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Case, Exists, ExpressionWrapper, F, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from unionvol.idnumbers import mask_id_number
from unionvol.scoping import ScopedManager, ScopedQuerySet, role_q
from unionvol.uploads import random_name

# Roles that may ever see a hardship file, and those that also see the subtree below.
STAFF_ROLES = ("clerk", "reviewer", "admin")
SUBTREE_ROLES = ("reviewer", "admin")

card_tail_validator = RegexValidator(r"^\d{4}$", _("银行卡号只填写后4位数字。"))


def sensitive_q(user: Any, lookup: str) -> Q | None:
    """THE rule for hardship data, as a filter on the owning union at ``lookup``:
    own union for clerk/reviewer/admin, the subtree below for reviewer/admin only.
    ``None`` means everything (the operator)."""
    return role_q(user, lookup, own=STAFF_ROLES, subtree=SUBTREE_ROLES)


class SensitiveQuerySet(ScopedQuerySet[Any]):
    """Visibility of hardship files and of every record that reveals one (see sensitive_q)."""

    def visible_to(self, user: Any) -> Self:
        qs = super().visible_to(user)
        q = sensitive_q(user, self._scope_lookup())
        return qs if q is None else qs.filter(q)


class MicroWishQuerySet(ScopedQuerySet[Any]):
    """Wishes are ordinary union data; the beneficiary's full name is personal data and
    is shown only to those who could see a hardship file of the posting union."""

    def with_name_visibility(self, user: Any) -> Self:
        q = sensitive_q(user, "union")
        shown = Value(True) if q is None else Case(When(q, then=Value(True)), default=Value(False))
        return self.annotate(show_name=ExpressionWrapper(shown, output_field=models.BooleanField()))


class HardshipFileQuerySet(SensitiveQuerySet):
    def active(self) -> Self:
        return self.filter(status=FileStatus.ACTIVE)

    def with_active_pairing(self) -> Self:
        active = Pairing.objects.filter(file=OuterRef("pk"), end__isnull=True)
        return self.annotate(is_paired=Exists(active))

    def unpaired(self) -> Self:
        return self.active().with_active_pairing().filter(is_paired=False)


class HardshipCause(models.TextChoices):
    ILLNESS = "illness", _("因病")
    DISABILITY = "disability", _("因残")
    DISASTER = "disaster", _("因灾")
    ACCIDENT = "accident", _("意外")
    SCHOOLING = "schooling", _("子女就学")
    UNEMPLOYMENT = "unemployment", _("失业")
    WORK_INJURY = "work_injury", _("工伤职业病")
    DUTY_DEATH = "duty_death", _("因公牺牲")
    OTHER = "other", _("其他")


class HardshipDegree(models.TextChoices):
    ORDINARY = "ordinary", _("一般困难")
    DEEP = "deep", _("深度困难")
    ACCIDENT = "accident", _("意外致困")


class FileStatus(models.TextChoices):
    ACTIVE = "active", _("在档")
    RESOLVED = "resolved", _("已解困")


class HardshipFile(models.Model):
    """困难职工档案 (seed 004: family, income source, income, health, cause, degree)."""

    scope_lookup: ClassVar[str] = "union"

    union = models.ForeignKey(
        "unions.Union",
        on_delete=models.PROTECT,
        related_name="hardship_files",
        verbose_name=_("所属工会"),
    )
    name = models.CharField(_("姓名"), max_length=40)
    id_number = models.CharField(_("身份证号"), max_length=18)
    phone = models.CharField(_("联系电话"), max_length=20)
    family_size = models.PositiveSmallIntegerField(
        _("家庭人口"), validators=[MinValueValidator(1)], default=1
    )
    family_members = models.TextField(
        _("家庭成员"), blank=True, help_text=_("每行一人：关系、姓名、情况，如「配偶 王某 务农」。")
    )
    income_source = models.CharField(_("经济来源"), max_length=100)
    monthly_income = models.DecimalField(
        _("家庭月收入（元）"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    per_capita_income = models.DecimalField(
        _("人均月收入（元）"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    health = models.CharField(_("健康状况"), max_length=200)
    cause = models.CharField(_("致困原因"), max_length=16, choices=HardshipCause.choices)
    degree = models.CharField(_("困难程度"), max_length=10, choices=HardshipDegree.choices)
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("联系人"),
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=FileStatus.choices, default=FileStatus.ACTIVE
    )
    reviewed_on = models.DateField(_("核查日期"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("建档人"),
    )
    created_at = models.DateTimeField(_("建档时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedManager.from_queryset(HardshipFileQuerySet)()
    # The full ID number never goes into history.
    history = HistoricalRecords(excluded_fields=["id_number"])

    class Meta:
        verbose_name = _("困难职工档案")
        verbose_name_plural = _("困难职工档案")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["union", "id_number"],
                name="hardship_file_union_id_unique",
                violation_error_message=_("本工会已有该身份证号的困难职工档案。"),
            ),
        ]
        indexes = [models.Index(fields=["union", "status"], name="hardship_union_status_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("relief:file_detail", args=[self.pk])

    @property
    def masked_id(self) -> str:
        return mask_id_number(self.id_number)


class Pairing(models.Model):
    """一助一: one volunteer helps one hardship file; one active pairing per file."""

    scope_lookup: ClassVar[str] = "file__union"

    file = models.ForeignKey(
        HardshipFile, on_delete=models.CASCADE, related_name="pairings", verbose_name=_("困难职工")
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        on_delete=models.PROTECT,
        related_name="relief_pairings",
        verbose_name=_("结对志愿者"),
    )
    start = models.DateField(_("结对开始"))
    end = models.DateField(_("结对结束"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager.from_queryset(SensitiveQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("一助一结对")
        verbose_name_plural = _("一助一结对")
        ordering = ["-start", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["file"],
                condition=Q(end__isnull=True),
                name="pairing_one_active_per_file",
                violation_error_message=_("该困难职工已有进行中的结对，请先结束原结对。"),
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="pairing_end_after_start",
                violation_error_message=_("结对结束日期不能早于开始日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_id} ↔ {self.volunteer_id}"

    @property
    def is_active(self) -> bool:
        return self.end is None


class FundType(models.TextChoices):
    HARDSHIP = "hardship", _("困难职工帮扶金")
    MODEL_WORKER = "model_worker", _("劳模特殊困难帮扶金")
    SERIOUS_ILLNESS = "serious_illness", _("重大病援助金")
    SPRING_WARMTH = "spring_warmth", _("送温暖慰问金")
    OTHER = "other", _("其他")


class GrantStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已审核")


class ReliefGrant(models.Model):
    """A line of the relief ledger. Approved lines are never edited: a mistake is
    corrected by a reversal, a new negative line that references the original."""

    scope_lookup: ClassVar[str] = "file__union"

    file = models.ForeignKey(
        HardshipFile, on_delete=models.PROTECT, related_name="grants", verbose_name=_("困难职工")
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="relief_grants",
        verbose_name=_("所属活动"),
    )
    fund_type = models.CharField(_("资金类别"), max_length=20, choices=FundType.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    granted_on = models.DateField(_("发放日期"))
    card_tail = models.CharField(
        _("银行卡后4位"), max_length=4, blank=True, validators=[card_tail_validator]
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversal",
        verbose_name=_("冲销原记录"),
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=GrantStatus.choices, default=GrantStatus.PENDING
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("录入人"),
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    approved_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedManager.from_queryset(SensitiveQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("帮扶金")
        verbose_name_plural = _("帮扶金")
        ordering = ["-granted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0)
                | Q(reverses__isnull=False, amount__lt=0),
                name="grant_amount_sign",
                violation_error_message=_("金额必须大于0（冲销记录为负数）。"),
            ),
            models.CheckConstraint(
                condition=Q(status="pending", approved_by__isnull=True)
                | (
                    Q(status="approved", approved_by__isnull=False)
                    & ~Q(approved_by=F("entered_by"))
                ),
                name="grant_approved_by_other",
                violation_error_message=_("帮扶金须由录入人以外的审核员审核。"),
            ),
        ]
        indexes = [models.Index(fields=["status", "granted_on"], name="grant_status_date_idx")]

    def __str__(self) -> str:
        return f"{self.get_fund_type_display()} {self.amount}"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class VisitCategory(models.TextChoices):
    HARDSHIP = "hardship", _("困难职工")
    MODEL_WORKER = "model_worker", _("劳模")
    FRONTLINE = "frontline", _("一线职工")
    SECONDED = "seconded", _("派驻干部")
    OTHER = "other", _("其他")


class Visit(models.Model):
    """慰问走访: one person visited (a hardship file, or a named person in a category)."""

    scope_lookup: ClassVar[str] = "union"

    union = models.ForeignKey(
        "unions.Union", on_delete=models.PROTECT, related_name="+", verbose_name=_("工会")
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="relief_visits",
        verbose_name=_("所属活动"),
    )
    visited_on = models.DateField(_("走访日期"))
    file = models.ForeignKey(
        HardshipFile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("困难职工"),
    )
    category = models.CharField(
        _("慰问对象类别"), max_length=16, choices=VisitCategory.choices, default=VisitCategory.OTHER
    )
    visited_name = models.CharField(_("慰问对象姓名"), max_length=40, blank=True)
    visitors = models.CharField(_("走访人"), max_length=200)
    gift = models.CharField(_("慰问品"), max_length=200, blank=True)
    money = models.DecimalField(
        _("慰问金（元）"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedManager.from_queryset(SensitiveQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("慰问走访")
        verbose_name_plural = _("慰问走访")
        ordering = ["-visited_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(file__isnull=False) | ~Q(visited_name=""),
                name="visit_has_someone",
                violation_error_message=_("请选择困难职工，或填写慰问对象姓名。"),
            ),
        ]

    def __str__(self) -> str:
        return self.person_name

    @property
    def person_name(self) -> str:
        return self.file.name if self.file is not None else self.visited_name


class Donation(models.Model):
    """一日捐: what a union raised for a campaign, and from how many donors."""

    scope_lookup: ClassVar[str] = "union"

    union = models.ForeignKey(
        "unions.Union", on_delete=models.PROTECT, related_name="+", verbose_name=_("工会")
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.PROTECT,
        related_name="relief_donations",
        verbose_name=_("所属活动"),
    )
    amount = models.DecimalField(
        _("筹措资金（元）"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    donors = models.PositiveIntegerField(_("捐款人数"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedManager.from_queryset(SensitiveQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("一日捐")
        verbose_name_plural = _("一日捐")
        ordering = ["-campaign__issue_date", "union__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["union", "campaign"],
                name="donation_union_campaign_unique",
                violation_error_message=_("本工会已登记过该活动的一日捐，请修改原记录。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.union_id} {self.campaign_id} {self.amount}"


class WishCategory(models.TextChoices):
    DISABLED = "disabled", _("残疾人")
    ELDERLY = "elderly", _("空巢老人")
    LEFT_BEHIND = "left_behind", _("留守儿童")
    HARDSHIP = "hardship", _("困难职工")
    OTHER = "other", _("其他")


class WishStatus(models.TextChoices):
    OPEN = "open", _("待认领")
    CLAIMED = "claimed", _("已认领")
    CONFIRMED = "confirmed", _("已确认")
    FULFILLED = "fulfilled", _("已实现")
    CANCELLED = "cancelled", _("已取消")


COMPOUND_SURNAMES = (
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙",
    "慕容", "令狐", "长孙", "宇文", "司徒", "夏侯", "端木", "申屠",
)  # fmt: skip


def anonymise(name: str) -> str:
    """张三丰 → 张某; 欧阳娜娜 → 欧阳某."""
    name = (name or "").strip()
    if not name:
        return "某"
    for surname in COMPOUND_SURNAMES:
        if name.startswith(surname) and len(name) > len(surname):
            return f"{surname}某"
    return f"{name[0]}某"


class MicroWish(models.Model):
    """点亮微心愿 (seed 003): open → claimed → confirmed → fulfilled (or cancelled)."""

    scope_lookup: ClassVar[str] = "union"

    union = models.ForeignKey(
        "unions.Union", on_delete=models.PROTECT, related_name="+", verbose_name=_("发布工会")
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.ForeignKey(
        HardshipFile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wishes",
        verbose_name=_("困难职工"),
    )
    beneficiary_name = models.CharField(_("受助人姓名"), max_length=40)
    category = models.CharField(_("受助人类别"), max_length=16, choices=WishCategory.choices)
    wish = models.CharField(_("心愿内容"), max_length=200)
    estimated_value = models.DecimalField(
        _("预计价值（元）"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=WishStatus.choices, default=WishStatus.OPEN
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    posted_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    claimer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("认领账号"),
    )
    claimer_name = models.CharField(_("认领人"), max_length=40, blank=True)
    claimer_phone = models.CharField(_("认领人电话"), max_length=20, blank=True)
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    fulfilled_at = models.DateTimeField(_("实现时间"), null=True, blank=True)
    fulfil_note = models.TextField(_("实现情况"), blank=True)
    photo = models.ImageField(
        _("照片"), upload_to=random_name("relief/wishes"), blank=True, db_index=True
    )

    objects = ScopedManager.from_queryset(MicroWishQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("微心愿")
        verbose_name_plural = _("微心愿")
        ordering = ["-posted_at", "-pk"]
        # The wall's order (open first, the newest first) and the staff list by status.
        indexes = [
            models.Index(fields=["-status", "-posted_at", "-public_id"], name="wish_status_idx")
        ]

    def __str__(self) -> str:
        return f"{anonymise(self.beneficiary_name)}：{self.wish}"

    def get_absolute_url(self) -> str:
        return reverse("relief:wish_detail", args=[self.pk])

    @property
    def public_name(self) -> str:
        return anonymise(self.beneficiary_name)


class ReliefRollup(models.Model):
    """One union's own relief figures for one campaign (approved ledger lines net of
    reversals, donations, visits), as ``relief.figures`` counts them; kept current by
    ``relief.rollups``. Figures only: no person can be told from them."""

    scope_lookup: ClassVar[str] = "union"

    union = models.ForeignKey("unions.Union", on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    aided = models.PositiveIntegerField(default=0)
    amount = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    donations = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    donors = models.PositiveIntegerField(default=0)
    visits = models.PositiveIntegerField(default=0)

    objects = ScopedManager.from_queryset(ScopedQuerySet)()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["union", "campaign"], name="relief_rollup_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.union_id}/{self.campaign_id}"
