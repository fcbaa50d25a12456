"""Union-subtree scoping: the one place that decides what a user may see and do.

Every user belongs to one union (``unions.Membership``) and sees that union and
every union below it, never a sibling's or a parent's data. Models owned by a
union use :class:`ScopedManager` and declare ``scope_lookup`` — the ORM path from
the model to its owning ``Union``; ``Union`` too (``scope_lookup = ""``), its
manager being treebeard's and a ``ScopedManager`` at once.

Scoping fails closed. A *scope* is active for the duration of each request
(:class:`ScopeMiddleware` enters the user's scope), of each command and job
(:func:`system_scope`), and of each test (the root ``conftest``). The default
manager of a scoped model filters every query to the active scope; with no scope
active, evaluating a query raises :class:`ScopeError` instead of returning rows.
Forgetting ``visible_to`` in a view therefore cannot leak another union's data,
and forgetting to enter a scope in new code is an error the tests see.

``Model.objects.visible_to(user)`` remains the explicit query views, form choice
fields, filters and exports use; ``within(union)`` narrows to one union's subtree.
Objects outside the scope are answered with 404 (their existence is not
revealed); a user whose role lacks the capability for a write gets 403.

This module is the only place that writes the subtree filter (``path__startswith``)
or lets the operator (an active superuser) past it; ``tests/unionvol/test_scoping_rules.py``
greps the code base to keep it so. It imports no app: the unions app installs the
membership loader (:func:`set_membership_loader`) when it is ready.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from typing import Any, ClassVar, Self, TypeVar

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse

from unionvol.capabilities import ROLE_CAPABILITIES, Capability

_M = TypeVar("_M", bound=models.Model)
_CACHE_ATTR = "_unionvol_membership"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

__all__ = [
    "Capability",
    "PublicViewMixin",
    "ScopeError",
    "ScopeMiddleware",
    "ScopedManager",
    "ScopedQuerySet",
    "ScopedViewMixin",
    "active_scope",
    "get_visible_or_404",
    "has_capability",
    "is_operator",
    "membership_of",
    "public_view",
    "require_capability",
    "role_q",
    "start_in_scope",
    "subtree_q",
    "system_scope",
    "union_of",
    "user_scope",
]


class ScopeError(RuntimeError):
    """A union-owned model was queried with no scope active."""


# --- memberships ---------------------------------------------------------------------------

MembershipLoader = Callable[[Any], Any]
_membership_loader: MembershipLoader | None = None


def set_membership_loader(loader: MembershipLoader) -> None:
    """Installed by ``unions.apps``: ``loader(user)`` returns the user's active membership."""
    global _membership_loader
    _membership_loader = loader


def is_operator(user: Any) -> bool:
    """The system operator (an active superuser) sees every union."""
    return bool(getattr(user, "is_superuser", False) and getattr(user, "is_active", False))


def membership_of(user: Any) -> Any:
    """The user's membership (with its union), cached on the user object."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, _CACHE_ATTR):
        if _membership_loader is None:  # pragma: no cover - unions app not ready
            raise ScopeError("the unions app has not installed the membership loader")
        setattr(user, _CACHE_ATTR, _membership_loader(user))
    return getattr(user, _CACHE_ATTR)


def union_of(user: Any) -> Any:
    member = membership_of(user)
    return member.union if member else None


def has_capability(user: Any, capability: Capability | str) -> bool:
    if is_operator(user):
        return True
    member = membership_of(user)
    return member is not None and Capability(capability) in ROLE_CAPABILITIES[member.role]


def require_capability(user: Any, capability: Capability | str) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied


# --- the active scope ----------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What queries may see: every union (``everything``), one union's subtree, or nothing."""

    union: Any = None
    everything: bool = False
    user: Any = None
    label: str = ""


_NOTHING = Scope(label="nothing")
_current: ContextVar[Scope | None] = ContextVar("unionvol_scope", default=None)


def active_scope() -> Scope | None:
    return _current.get()


@contextmanager
def _entered(scope: Scope | None) -> Iterator[Scope | None]:
    token = _current.set(scope)
    try:
        yield scope
    finally:
        _current.reset(token)


def scope_for(user: Any) -> Scope:
    if is_operator(user):
        return Scope(everything=True, user=user, label="operator")
    union = union_of(user)
    if union is None:
        return Scope(user=user, label="nothing")
    return Scope(union=union, user=user, label=f"union {union.pk}")


@contextmanager
def system_scope() -> Iterator[Scope | None]:
    """Every union: for management commands, the job runner, migrations and cross-union
    checks that must see the whole table (a resident ID registered anywhere)."""
    with _entered(Scope(everything=True, label="system")) as scope:
        yield scope


@contextmanager
def user_scope(user: Any) -> Iterator[Scope | None]:
    """What ``user`` may see (the request's scope, or a job's on behalf of its requester)."""
    with _entered(scope_for(user)) as scope:
        yield scope


@contextmanager
def no_scope() -> Iterator[Scope | None]:
    """No scope: queries of scoped models raise (anonymous requests start here)."""
    with _entered(None) as scope:
        yield scope


def subtree_q(union: Any, lookup: str = "") -> Q:
    """Rows whose union (reached by ``lookup``) is ``union`` or below it: one prefix match.

    ``union`` may also be a tree path (a string), for the figures that group by path.
    """
    path = union if isinstance(union, str) else union.path
    field = f"{lookup}__path__startswith" if lookup else "path__startswith"
    return Q(**{field: path})


def role_q(user: Any, lookup: str, *, own: tuple[str, ...], subtree: tuple[str, ...]) -> Q | None:
    """A rule stricter than the subtree, by role: members whose role is in ``subtree``
    see their union's subtree, those in ``own`` only their union, others nothing.
    ``None`` means everything (the operator)."""
    if is_operator(user):
        return None
    member = membership_of(user)
    if member is None or member.role not in (*own, *subtree):
        return Q(pk__in=[])
    if member.role in subtree:
        return subtree_q(member.union, lookup)
    return Q(**{f"{lookup}__path" if lookup else "path": member.union.path})


# --- querysets and managers ----------------------------------------------------------------


def _same_user(a: Any, b: Any) -> bool:
    """The same account: the request's user may be another object than the one the
    scope was entered with (django-otp wraps ``request.user`` after the scope is set)."""
    if a is None or b is None:
        return False
    return a is b or (a.pk is not None and a.pk == b.pk)


class ScopedQuerySet(models.QuerySet[_M]):
    """A queryset that limits itself to a union's subtree.

    Models name the path to the owning union in ``scope_lookup``: ``""`` for
    ``Union`` itself, ``"union"`` for a direct foreign key, ``"team__union"``
    through a relation. A queryset class may widen what a union *reads*
    (:meth:`scope_q`) beyond what it *owns* (:meth:`within`), as campaigns do for
    the unions they are addressed to.
    """

    _scope_missing = False
    # The scope whose filter this queryset carries (set where the filter is applied):
    # ``visible_to`` adds the filter unless it is already there. Not "the manager is a
    # ScopedManager": a queryset from any other manager (``Union.objects``, a related
    # manager) carries no filter, whatever scope is active.
    _scoped_for: Scope | None = None

    def _scope_lookup(self) -> str:
        lookup = getattr(self.model, "scope_lookup", None)
        if lookup is None:
            raise TypeError(f"{self.model.__name__} must declare scope_lookup")
        return lookup

    def scope_q(self, union: Any) -> Q:
        """What ``union``'s users may read (default: what its subtree owns)."""
        return subtree_q(union, self._scope_lookup())

    def within(self, union: Any) -> Self:
        """Rows owned by ``union`` or any union below it (one indexed prefix match)."""
        return self.filter(subtree_q(union, self._scope_lookup()))

    def visible_to(self, user: Any) -> Self:
        scope = _current.get()
        if scope is not None and _same_user(scope.user, user):
            if self._scoped_for is scope:
                return self._scoped()  # the manager has applied this very filter
            return self._in_scope(scope)
        return self._in_scope(scope_for(user))

    def carries_scope(self, scope: Scope | None) -> bool:
        """Whether this queryset's rows are limited to ``scope`` (or it sees everything)."""
        if scope is None or self._scope_missing:
            return False
        return scope.everything or self._scoped_for is scope

    def _in_scope(self, scope: Scope) -> Self:
        if scope.everything:
            return self._scoped()
        if scope.union is None:
            return self._scoped().none()
        clone = self._scoped().filter(self.scope_q(scope.union))
        clone._scoped_for = scope
        return clone

    def _scoped(self) -> Self:
        clone = self._chain()
        clone._scope_missing = False
        return clone

    # Evaluation without a scope raises. Chaining (filter, annotate…) is allowed, so
    # that a queryset built before a scope is entered can still be given one.
    def _check_scope(self) -> None:
        # ``none()`` reads nothing, so it needs no scope (a form's placeholder choices).
        if self._scope_missing and not self.query.is_empty():
            raise ScopeError(
                f"{self.model.__name__} queried with no scope active: use visible_to(user) "
                "inside a request, or system_scope() in commands and jobs"
            )

    def _clone(self) -> Self:
        clone = super()._clone()
        clone._scope_missing = self._scope_missing
        clone._scoped_for = self._scoped_for
        return clone

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            self._check_scope()
        super()._fetch_all()

    def count(self) -> int:
        self._check_scope()
        return super().count()

    def exists(self) -> bool:
        self._check_scope()
        return super().exists()

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self._check_scope()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        self._check_scope()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._check_scope()
        return super().delete()

    def iterator(self, chunk_size: int | None = None) -> Any:
        self._check_scope()
        return super().iterator(chunk_size=chunk_size)

    def explain(self, *args: Any, **kwargs: Any) -> str:
        self._check_scope()
        return super().explain(*args, **kwargs)


_Q = TypeVar("_Q", bound=ScopedQuerySet[Any])


def start_in_scope(qs: _Q) -> _Q:
    """``qs`` limited to the active scope; with none active, marked to raise when run."""
    scope = _current.get()
    if scope is None:
        qs._scope_missing = True
        return qs
    return qs._in_scope(scope)


class ScopedManager(models.Manager[_M]):
    """The default manager of a union-owned model: every query starts inside the scope."""

    def get_queryset(self) -> ScopedQuerySet[_M]:
        return start_in_scope(super().get_queryset())  # type: ignore[arg-type]

    def visible_to(self, user: Any) -> ScopedQuerySet[_M]:
        return self.get_queryset().visible_to(user)

    def within(self, union: Any) -> ScopedQuerySet[_M]:
        return self.get_queryset().within(union)


def scoped_manager(queryset_class: type[ScopedQuerySet[Any]] = ScopedQuerySet) -> Any:
    """``objects = scoped_manager(MyQuerySet)``: the fail-closed default manager."""
    return ScopedManager.from_queryset(queryset_class)()


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
        return qs.visible_to(user).get(**lookup)  # type: ignore[attr-defined, no-any-return]
    except qs.model.DoesNotExist as exc:
        raise Http404 from exc


# --- requests ------------------------------------------------------------------------------


class ScopeMiddleware:
    """Enters the user's scope for the whole request, rendering included.

    Anonymous requests get no scope: a public page that reads union-owned data
    enters ``system_scope()`` around exactly the query it needs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            with user_scope(user):
                return self.get_response(request)
        with no_scope():
            return self.get_response(request)


def public_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For the few pages anyone may open (the wish wall, the volunteer application).

    They show data of every union by design, so they run in the system scope; what
    they may show is decided by the public selectors they call (``public_wishes``
    …), never by a user's scope. The response is rendered inside the scope.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with system_scope():
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            return response

    return wrapped


class PublicViewMixin:
    """The class-based form of :func:`public_view`."""

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Callable[..., HttpResponse]:
        return public_view(super().as_view(**initkwargs))  # type: ignore[misc]


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
        return self.model._default_manager.all().visible_to(self.request.user)  # type: ignore[attr-defined, no-any-return]

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
