"""Reads of the union tree. Every function takes the acting user or an already scoped union."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from unions.models import Membership, Union, UnionQuerySet
from unionvol.idnumbers import FULL_ID_PERMISSION
from unionvol.scoping import subtree_q, union_of


@dataclass
class TreeNode:
    union: Union
    children: list[TreeNode] = field(default_factory=list)
    open: bool = False  # drawn open, its children read with the page


# A level of the tree page lists at most this many unions; the union's own page pages
# through the rest. A province has a thousand unions, a nation millions: the tree page
# opens one level at a time (unions:tree_level) and never reads a whole subtree.
TREE_LIMIT = 100


def union_tree(*, user: Any) -> list[TreeNode]:
    """The top of the user's tree, open one level: the user's union with its children
    (the operator: the roots). Deeper levels are read when opened (:func:`tree_level`);
    a node's child count is treebeard's ``numchild`` (no query)."""
    own = union_of(user)
    visible = Union.objects.visible_to(user)
    if own is None:  # the operator: the roots, each opened on demand (one query)
        return [TreeNode(top) for top in visible.filter(depth=1)[:TREE_LIMIT]]
    return [TreeNode(top, tree_level(union=top), open=True) for top in visible.filter(pk=own.pk)]


def tree_level(*, union: Union) -> list[TreeNode]:
    """The first :data:`TREE_LIMIT` direct children of ``union`` (read in the scope)."""
    return [TreeNode(child) for child in _children(union)[:TREE_LIMIT]]


def _children(union: Union) -> QuerySet[Union]:
    return Union.objects.filter(subtree_q(union), depth=union.depth + 1).order_by("path")


def union_ancestors(*, union: Union) -> UnionQuerySet:
    """Ancestors root first, in one indexed query (path IN …)."""
    return Union.objects.chain_above(union)


def union_breadcrumb(*, union: Union, user: Any) -> list[Union]:
    """The ancestors the user may see (the part of the chain inside their scope), then the union."""
    visible = union_ancestors(union=union).visible_to(user)
    return [*visible, union]


def union_children(*, union: Union) -> QuerySet[Union]:
    return _children(union).annotate(member_count=Count("memberships"))


def union_members(*, union: Union) -> QuerySet[Membership]:
    """The union's members; ``full_id`` says who was granted full ID numbers."""
    app_label, codename = FULL_ID_PERMISSION.split(".")
    grants = get_user_model().user_permissions.through.objects.filter(
        user_id=OuterRef("user_id"),
        permission__codename=codename,
        permission__content_type__app_label=app_label,
    )
    return (
        Membership.objects.filter(union=union)
        .select_related("user")
        .annotate(full_id=Exists(grants))
        .order_by("user__username")
    )


def union_choices(*, user: Any) -> QuerySet[Union]:
    """Active unions the user may pick in a form or filter."""
    return Union.objects.visible_to(user).filter(is_active=True)


def nearby_unions(*, user: Any, union: Union | None) -> QuerySet[Union]:
    """For a filter that drills down the tree: ``union``, the unions above it that the
    user may see, and its children — bounded by the tree's depth and fan-out, not by the
    size of the subtree. With no union (the operator): the top two levels."""
    visible = union_choices(user=user)
    if union is None:
        return visible.filter(depth__lte=2).order_by("path")
    return visible.filter(
        Q(path__in=[*union.ancestor_paths(), union.path])
        | (subtree_q(union) & Q(depth=union.depth + 1))
    ).order_by("path")


def union_lookup(*, term: str, queryset: QuerySet[Union] | None = None) -> Union | None:
    """Find a union by code or exact (short) name, as commands and imports name them."""
    qs = queryset if queryset is not None else Union.objects.all()
    return (
        qs.filter(code=term).first()
        or qs.filter(name=term).first()
        or qs.filter(short_name=term).first()
    )


UNION_SEARCH_LIMIT = 20


@dataclass(frozen=True)
class UnionMatch:
    union: Union
    parent_name: str | None  # the parent's name when the user may see it


def search_unions(
    *,
    user: Any,
    term: str,
    under: Union | None = None,
    outside: Union | None = None,
    include_inactive: bool = False,
    limit: int | None = None,
) -> tuple[list[UnionMatch], bool]:
    """Unions of the user's scope whose name, short name or code matches ``term``, the
    higher levels first, with their parent's name (a province has many a 机关工会).
    ``under``: only strictly below that union; ``outside``: not in that union's subtree.
    Returns the first ``limit`` matches and whether there are more."""
    term = term.strip()[:60]
    if not term:
        return [], False
    limit = limit or UNION_SEARCH_LIMIT
    qs = Union.objects.visible_to(user)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if under is not None:
        qs = qs.filter(subtree_q(under)).exclude(pk=under.pk)
    if outside is not None:
        qs = qs.exclude(subtree_q(outside))
    found = list(
        qs.filter(
            Q(name__icontains=term) | Q(short_name__icontains=term) | Q(code__istartswith=term)
        )
        .only("pk", "name", "short_name", "path", "depth")
        .order_by("depth", "path")[: limit + 1]
    )
    more = len(found) > limit
    found = found[:limit]
    parent_paths = {u.path[: -Union.steplen] for u in found if u.depth > 1}
    # The parents the user may see (none for the top of the scope): one query.
    parents = dict(
        Union.objects.visible_to(user).filter(path__in=parent_paths).values_list("path", "name")
    )
    return [UnionMatch(u, parents.get(u.path[: -Union.steplen])) for u in found], more
