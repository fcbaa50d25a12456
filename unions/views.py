from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, FormView, TemplateView, UpdateView

from unions import selectors, services
from unions.forms import MemberCreateForm, MemberUpdateForm, UnionForm, UnionMoveForm
from unions.models import Membership, Union
from unionvol.params import int_param
from unionvol.scoping import (
    Capability,
    ScopedViewMixin,
    has_capability,
    is_operator,
    require_capability,
    union_of,
)


def union_crumbs(union: Union, user: Any, *extra: tuple[str, str | None]) -> list[Any]:
    crumbs: list[tuple[str, str | None]] = [(_("工会组织"), "/unions/")]
    crumbs += [
        (u.display_name, u.get_absolute_url())
        for u in selectors.union_breadcrumb(union=union, user=user)
    ]
    return crumbs + list(extra)


class UnionTreeView(ScopedViewMixin, TemplateView):
    """The tree one level at a time (each opened node reads its children), or, with
    ``?q=``, the unions of the scope whose name, short name or code matches."""

    model = Union
    template_name = "unions/tree.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        term = self.request.GET.get("q", "").strip()
        ctx["q"] = term
        if term:
            ctx["matches"], ctx["more"] = selectors.search_unions(
                user=user, term=term, include_inactive=True, limit=selectors.TREE_LIMIT
            )
        else:
            ctx["tree"] = selectors.union_tree(user=user)
        ctx["tree_limit"] = selectors.TREE_LIMIT
        ctx["breadcrumbs"] = [(_("工会组织"), None)]
        return ctx


class UnionTreeLevelView(ScopedViewMixin, DetailView):
    """``/unions/<pk>/tree/``: the children of one node of the tree page, as a fragment
    the page inserts when the node is opened (404 outside the scope, as every object)."""

    model = Union
    template_name = "unions/_tree_level.html"
    context_object_name = "union"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["nodes"] = selectors.tree_level(union=self.object)
        ctx["tree_limit"] = selectors.TREE_LIMIT
        return ctx


class UnionDetailView(ScopedViewMixin, DetailView):
    model = Union
    template_name = "unions/detail.html"
    context_object_name = "union"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        union: Union = self.object
        user = self.request.user
        # A district may have hundreds of grassroots unions: a page of them at a time.
        ctx["children"] = Paginator(
            selectors.union_children(union=union), selectors.TREE_LIMIT
        ).get_page(self.request.GET.get("page"))
        ctx["members"] = selectors.union_members(union=union)
        ctx["can_manage"] = has_capability(user, Capability.MANAGE)
        # Moving one's own union would move the ground under one's feet (the service refuses).
        ctx["can_move"] = is_operator(user) or union != union_of(user)
        ctx["breadcrumbs"] = union_crumbs(union, user)
        return ctx


class UnionChildCreateView(ScopedViewMixin, FormView):
    """Create a union below the one in the URL."""

    model = Union
    read_capability = Capability.MANAGE
    write_capability = Capability.MANAGE
    form_class = UnionForm
    template_name = "unions/form.html"

    def setup(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.parent: Union | None = None

    def get_parent(self) -> Union:
        if self.parent is None:
            self.parent = self.get_object(self.get_queryset())
        return self.parent

    def get_object(self, queryset: QuerySet[Any] | None = None) -> Any:
        obj = get_object_or_404(queryset or self.get_queryset(), pk=self.kwargs["pk"])
        require_capability(self.request.user, self.required_capability())
        return obj

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            self.get_parent()
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: UnionForm) -> HttpResponse:
        try:
            union = services.union_create_child(parent=self.get_parent(), **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("已创建下级工会「%(name)s」。") % {"name": union.name})
        return redirect(union)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        parent = self.get_parent()
        ctx["title"] = _("新建下级工会：%(parent)s") % {"parent": parent.name}
        ctx["breadcrumbs"] = union_crumbs(parent, self.request.user, (_("新建下级工会"), None))
        return ctx


class UnionUpdateView(ScopedViewMixin, UpdateView):
    model = Union
    read_capability = Capability.MANAGE
    write_capability = Capability.MANAGE
    form_class = UnionForm
    template_name = "unions/form.html"

    def form_valid(self, form: UnionForm) -> HttpResponse:
        try:
            services.union_update(union=self.object, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存。"))
        return redirect(self.object)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("编辑工会：%(name)s") % {"name": self.object.name}
        ctx["breadcrumbs"] = union_crumbs(self.object, self.request.user, (_("编辑"), None))
        return ctx


class UnionMoveView(ScopedViewMixin, UpdateView):
    model = Union
    read_capability = Capability.MANAGE
    write_capability = Capability.MANAGE
    form_class = UnionMoveForm
    template_name = "unions/form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return {**kwargs, "user": self.request.user, "union": self.object}

    def form_valid(self, form: UnionMoveForm) -> HttpResponse:
        try:
            union = services.union_move(
                union=self.object, target=form.cleaned_data["target"], user=self.request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("已移动。"))
        return redirect(union)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("移动工会：%(name)s") % {"name": self.object.name}
        ctx["breadcrumbs"] = union_crumbs(self.object, self.request.user, (_("移动"), None))
        return ctx


class MemberCreateView(UnionChildCreateView):
    form_class = MemberCreateForm  # type: ignore[assignment]

    def form_valid(self, form: MemberCreateForm) -> HttpResponse:  # type: ignore[override]
        data = form.cleaned_data
        try:
            member = services.member_create(
                union=self.get_parent(),
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                role=data["role"],
                password=data["password1"],
                title=data["title"],
                phone=data["phone"],
            )
        except ValidationError as exc:
            form.add_error("password1" if exc.error_list else None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("已添加成员 %(user)s。") % {"user": member.user.username})
        return HttpResponseRedirect(self.get_parent().get_absolute_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        parent = self.get_parent()
        ctx["title"] = _("添加成员：%(union)s") % {"union": parent.name}
        ctx["breadcrumbs"] = union_crumbs(parent, self.request.user, (_("添加成员"), None))
        return ctx


class MemberUpdateView(ScopedViewMixin, UpdateView):
    model = Membership
    read_capability = Capability.MANAGE
    write_capability = Capability.MANAGE
    form_class = MemberUpdateForm
    template_name = "unions/form.html"

    def get_queryset(self) -> QuerySet[Membership]:
        return super().get_queryset().select_related("user", "union")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["editor"] = self.request.user
        kwargs["holds_full_id"] = services.member_holds_full_id(self.object)
        return kwargs

    def form_valid(self, form: MemberUpdateForm) -> HttpResponse:
        data = form.cleaned_data
        if self.object.user_id == self.request.user.pk and not data["is_active"]:
            form.add_error("is_active", _("不能停用您自己的账号。"))
            return self.form_invalid(form)
        try:
            services.member_update(
                membership=self.object,
                role=data["role"],
                is_active=data["is_active"],
                title=data["title"],
                phone=data["phone"],
                full_id=data["full_id"],
                by=self.request.user,
                version=form.expected_version,
            )
        except ValidationError as exc:
            form.add_error("full_id" if exc.code == "self" else None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存。"))
        return redirect(self.object.union)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("编辑成员：%(user)s") % {"user": self.object.user.username}
        ctx["breadcrumbs"] = union_crumbs(
            self.object.union, self.request.user, (self.object.user.username, None)
        )
        return ctx


def _scoped_param(request: HttpRequest, name: str) -> Union | None:
    """A union named by a query parameter: it must be in the user's scope (else 404)."""
    raw = request.GET.get(name)
    if not raw:
        return None
    union = Union.objects.visible_to(request.user).filter(pk=int_param(raw) or 0).first()
    if union is None:
        raise Http404
    return union


@login_required
@require_GET
def union_search(request: HttpRequest) -> JsonResponse:
    """``/unions/search/?q=``: the union picker's type-ahead, within the user's scope.

    ``under`` / ``outside`` (union ids, which must be in scope) narrow it as the form's
    queryset does; ``inactive=1`` includes dissolved unions (reports keep their data).
    """
    matches, more = selectors.search_unions(
        user=request.user,
        term=request.GET.get("q", ""),
        under=_scoped_param(request, "under"),
        outside=_scoped_param(request, "outside"),
        include_inactive=request.GET.get("inactive") == "1",
    )
    results = [
        {
            "id": m.union.pk,
            "name": m.union.name,
            "label": f"{m.union.name}（{m.parent_name}）" if m.parent_name else m.union.name,
        }
        for m in matches
    ]
    return JsonResponse({"results": results, "more": more})
