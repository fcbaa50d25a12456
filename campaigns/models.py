from __future__ import annotations

from functools import lru_cache
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from unions.models import Union
from unionvol.scoping import ScopedManager, ScopedQuerySet, active_scope, subtree_q


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


class SheetKind(models.TextChoices):
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
    def scope_q(self, union: Any) -> Q:
        """Issued within the union's subtree, or addressed to the union, an ancestor of
        it, or a union below it (addressed unions read their notices)."""
        return _campaign_scope(union.path)

    def _fetch_all(self) -> None:
        fresh = self._result_cache is None
        super()._fetch_all()
        scope = active_scope()
        if fresh and self.carries_scope(scope):
            for obj in self._result_cache or ():
                if isinstance(obj, Campaign):
                    obj._read_in_scope = scope  # type: ignore[attr-defined]


def read_in_scope(campaign: Any) -> bool:
    """Whether ``campaign`` was read through the scope active now: then every part of it
    (addressees, milestones, categories) is readable, and reading them by the notice's
    key needs no second test of the scope."""
    scope = active_scope()
    return scope is not None and getattr(campaign, "_read_in_scope", None) is scope


class CampaignPartManager(ScopedManager[Any]):
    """The parts' manager. Reached from a notice read through the scope
    (``campaign.milestones``), it reads them by the notice's key alone: the part scope
    (the notice readable: a subquery over the addressees) holds already, and costs more
    to build than the rest of the query. From anywhere else, the part scope applies."""

    def get_queryset(self) -> ScopedQuerySet[Any]:
        instance = getattr(self, "instance", None)  # set on a related manager only
        if isinstance(instance, Campaign) and read_in_scope(instance):
            return models.Manager.get_queryset(self)  # type: ignore[return-value]
        return super().get_queryset()


class CampaignPartQuerySet(ScopedQuerySet[Any]):
    """Parts of a notice (addressees, milestones, categories): read with the notice."""

    def scope_q(self, union: Any) -> Q:
        return _part_scope(union.path)


# The two scopes hold subqueries that cost more to build than the rest of a query (half
# a millisecond for a notice's part): each is built once per union path and reused. A Q
# is not changed by the queries it filters (Django resolves a copy), and a path names
# one place in the tree, so a union moved elsewhere gets its own entry.
@lru_cache(maxsize=4096)
def _campaign_scope(path: str) -> Q:
    step = Union.steplen
    chain = [path[:i] for i in range(step, len(path) + 1, step)]  # ancestors and itself
    addressed = CampaignAddressee._base_manager.filter(campaign=OuterRef("pk")).filter(
        Q(union__path__in=chain) | subtree_q(path, "union")
    )
    return subtree_q(path, "issuer") | Q(Exists(addressed))


@lru_cache(maxsize=4096)
def _part_scope(path: str) -> Q:
    readable = Campaign._base_manager.filter(_campaign_scope(path))
    return Q(campaign__in=readable.values("pk"))


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
    # Covers the addressee and category lists too (see unionvol.locking).
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedManager.from_queryset(CampaignQuerySet)()
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

    objects = CampaignPartManager.from_queryset(CampaignPartQuerySet)()

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

    objects = CampaignPartManager.from_queryset(CampaignPartQuerySet)()

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
    form = models.CharField(_("报表"), max_length=20, choices=SheetKind.choices)
    opens_on = models.DateField(_("开始填报"), null=True, blank=True)
    due_date = models.DateField(_("截止日期"))
    lock_after_days = models.PositiveSmallIntegerField(
        _("逾期锁定天数"),
        null=True,
        blank=True,
        help_text=_("截止后多少天锁定填报；锁定后只有发文单位可以重新开放。留空表示不锁定。"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CampaignPartManager.from_queryset(CampaignPartQuerySet)()

    class Meta:
        verbose_name = _("时间节点")
        verbose_name_plural = _("时间节点")
        ordering = ["campaign", "due_date", "pk"]
        indexes = [models.Index(fields=["due_date"], name="milestone_due_idx")]

    def __str__(self) -> str:
        return f"{self.due_date:%m-%d} {self.title}"
