"""Union-subtree scoping: the one place that decides what a user may see and do.

Every user belongs to one union (``unions.Membership``) and sees that union and
every union below it, never a sibling's or a parent's data. Models owned by a
union use :class:`ScopedQuerySet` and declare ``scope_lookup`` — the ORM path from
the model to its owning ``Union`` — so that ``Model.objects.visible_to(user)``
is the only query a view, form choice field, filter or export needs.

Objects outside the subtree are answered with 404 (their existence is not
revealed); a user whose role lacks the capability for a write gets 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest

from unionvol.capabilities import ROLE_CAPABILITIES, Capability

if TYPE_CHECKING:
    from unions.models import Membership, Union

_M = TypeVar("_M", bound=models.Model)
_CACHE_ATTR = "_unionvol_membership"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def membership_of(user: Any) -> Membership | None:
    """The user's membership (with its union), cached on the user object."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, _CACHE_ATTR):
        from unions.models import Membership

        member = (
            Membership.objects.select_related("union")
            .filter(user=user, union__is_active=True)
            .first()
        )
        setattr(user, _CACHE_ATTR, member)
    return getattr(user, _CACHE_ATTR)


def union_of(user: Any) -> Union | None:
    member = membership_of(user)
    return member.union if member else None


def has_capability(user: Any, capability: Capability | str) -> bool:
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    member = membership_of(user)
    return member is not None and Capability(capability) in ROLE_CAPABILITIES[member.role]


def require_capability(user: Any, capability: Capability | str) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied


class ScopedQuerySet(models.QuerySet[_M]):
    """A queryset that can limit itself to what a user may see.

    Subclasses (or models, via ``scope_lookup`` on the model) name the path to
    the owning union: ``""`` for ``Union`` itself, ``"union"`` for a direct
    foreign key, ``"team__union"`` through a relation.
    """

    def _scope_lookup(self) -> str:
        lookup = getattr(self.model, "scope_lookup", None)
        if lookup is None:
            raise TypeError(f"{self.model.__name__} must declare scope_lookup")
        return lookup

    def visible_to(self, user: Any) -> Self:
        if getattr(user, "is_superuser", False) and user.is_active:
            return self.all()
        union = union_of(user)
        if union is None:
            return self.none()
        return self.within(union)

    def within(self, union: Union) -> Self:
        """Rows owned by ``union`` or any union below it (one indexed prefix match)."""
        lookup = self._scope_lookup()
        field = f"{lookup}__path__startswith" if lookup else "path__startswith"
        return self.filter(**{field: union.path})


def get_visible_or_404(
    queryset_or_model: type[_M] | models.QuerySet[_M], user: Any, **lookup: Any
) -> _M:
    """The object if the user's scope holds it, else 404 — never 403, to hide existence."""
    qs = (
        queryset_or_model
        if isinstance(queryset_or_model, models.QuerySet)
        else queryset_or_model._default_manager.all()
    )
    try:
        return qs.visible_to(user).get(**lookup)  # type: ignore[attr-defined]
    except qs.model.DoesNotExist as exc:
        raise Http404 from exc


class ScopedViewMixin(LoginRequiredMixin):
    """For class-based views: the queryset is the user's scope, writes need a capability.

    ``read_capability`` guards GET, ``write_capability`` guards other methods.
    Object views resolve the object first (404 outside the scope) and check the
    capability after, so an outsider learns nothing and a viewer gets 403.
    """

    model: ClassVar[type[models.Model]]
    read_capability: ClassVar[Capability] = Capability.VIEW
    write_capability: ClassVar[Capability] = Capability.EDIT
    request: HttpRequest

    def get_queryset(self) -> models.QuerySet[Any]:
        return self.model._default_manager.all().visible_to(self.request.user)  # type: ignore[attr-defined]

    def required_capability(self) -> Capability:
        if self.request.method in SAFE_METHODS:
            return self.read_capability
        return self.write_capability

    def get_object(self, queryset: models.QuerySet[Any] | None = None) -> Any:
        obj = super().get_object(queryset)  # type: ignore[misc]
        require_capability(self.request.user, self.required_capability())
        return obj

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and "pk" not in kwargs:
            require_capability(request.user, self.required_capability())
        return super().dispatch(request, *args, **kwargs)
