from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from unionvol.scoping import ScopedManager, ScopedQuerySet, start_in_scope, system_scope

code_validator = RegexValidator(
    r"^[A-Za-z0-9_-]{1,32}$", _("编码只能包含字母、数字、短横线和下划线（最多32位）。")
)


class UnionKind(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市总")
    DISTRICT = "district", _("区县总")
    INDUSTRY = "industry", _("产业")
    EDUCATION = "education", _("教育")
    UNIVERSITY = "university", _("高校")
    STREET = "street", _("街道乡镇")
    COMMUNITY = "community", _("社区")
    GRASSROOTS = "grassroots", _("企事业基层")


# django-stubs gives each queryset class its own as_manager() type, and those of the two
# bases do not agree; Union's manager is UnionManager, as_manager() is never called.
class UnionQuerySet(MP_NodeQuerySet["Union"], ScopedQuerySet["Union"]):  # type: ignore[override]
    pass


class UnionManager(ScopedManager["Union"], MP_NodeManager["Union"]):  # type: ignore[misc]
    """Fail-closed like every union-owned model's manager: a request reads its user's
    subtree, a command or job the whole tree (``system_scope``), and no scope raises.

    Treebeard's own reads and writes (``add_child``, ``move``, ``get_children``) go
    through this manager too, so a user's tree edits stay inside their subtree.
    """

    def get_queryset(self) -> UnionQuerySet:
        return start_in_scope(UnionQuerySet(self.model, using=self._db).order_by("path"))

    def chain_above(self, union: Union) -> UnionQuerySet:
        """The unions above ``union``, root first, whatever the scope: the one read
        outside a subtree. A union's users see the names of the unions that issue
        notices to them and approve after them; nothing else of theirs. ``union``
        itself must already have been read through the scope."""
        return (
            UnionQuerySet(self.model, using=self._db)
            .filter(path__in=union.ancestor_paths())
            .order_by("path")
        )


class Union(MP_Node):
    """A trade union in the tree: province → city → district/industry → grassroots.

    The materialized path (treebeard) makes a subtree one indexed prefix match.
    """

    scope_lookup: ClassVar[str] = ""
    node_order_by = ["code"]
    steplen = 4

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    code = models.CharField(_("编码"), max_length=32, unique=True, validators=[code_validator])
    kind = models.CharField(_("类别"), max_length=16, choices=UnionKind.choices)
    contact_person = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects: ClassVar[UnionManager] = UnionManager()

    class Meta:
        verbose_name = _("工会")
        verbose_name_plural = _("工会")
        ordering = ["path"]
        indexes = [
            # Prefix matches (path LIKE 'xxxx%') use this index on PostgreSQL.
            models.Index(
                fields=["path"], name="union_path_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("unions:detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def is_within(self, other: Union) -> bool:
        """True if this union is ``other`` or below it."""
        return self.path.startswith(other.path)

    def _perform_unique_checks(self, unique_checks: Any) -> dict[str, list[Any]]:
        # A code is unique in the whole tree, not only in the subtree the manager reads: a
        # district admin's new union coded like another district's must get the form's
        # "already exists" (which names no union), not an IntegrityError.
        with system_scope():
            return super()._perform_unique_checks(unique_checks)  # type: ignore[misc, no-any-return]

    def ancestor_paths(self) -> list[str]:
        """Paths of this union's ancestors, root first (no query)."""
        return [self.path[:i] for i in range(self.steplen, len(self.path), self.steplen)]


class Role(models.TextChoices):
    ADMIN = "admin", _("管理员")
    REVIEWER = "reviewer", _("审核员")
    CLERK = "clerk", _("经办人")
    VIEWER = "viewer", _("查看者")


class MembershipQuerySet(ScopedQuerySet["Membership"]):
    pass


class Membership(models.Model):
    """Ties a user to exactly one union with a role; the role holds for the whole subtree."""

    scope_lookup: ClassVar[str] = "union"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name=_("用户"),
    )
    union = models.ForeignKey(
        Union, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("工会")
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    title = models.CharField(_("职务"), max_length=40, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # The member's edit page (role, account, full-ID permission) saves over the version it
    # was opened at (unionvol.locking): a stale page cannot undo another admin's change.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedManager.from_queryset(MembershipQuerySet)()

    class Meta:
        verbose_name = _("成员")
        verbose_name_plural = _("成员")
        ordering = ["union__path", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.union} ({self.get_role_display()})"
