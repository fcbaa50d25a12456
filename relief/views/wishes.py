"""Relief views: micro-wishes (staff)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from relief import selectors, services
from relief.forms import (
    FulfilForm,
    WishForm,
    add_service_error,
)
from relief.models import (
    MicroWish,
    WishStatus,
)
from relief.views.common import (
    ReliefMixin,
    relief_crumbs,
)
from unionvol.scoping import (
    Capability,
    has_capability,
    union_of,
)


class WishListView(ReliefMixin, TemplateView):
    model = MicroWish
    sensitive = False
    template_name = "relief/wish_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        page = self.paginate(selectors.wish_list(user=self.request.user, status=status))
        ctx.update(
            page_obj=page,
            wishes=page.object_list,
            statuses=WishStatus.choices,
            can_edit=has_capability(self.request.user, Capability.EDIT),
            breadcrumbs=relief_crumbs((_("微心愿"), None)),
        )
        return ctx


class WishCreateView(ReliefMixin, FormView):
    model = MicroWish
    sensitive = False
    read_capability = Capability.EDIT
    form_class = WishForm
    template_name = "relief/form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["files"] = selectors.file_choices(user=self.request.user)
        return kwargs

    def form_valid(self, form: WishForm) -> HttpResponse:
        union = union_of(self.request.user)
        if union is None:
            raise PermissionDenied
        try:
            wish = services.wish_create(union=union, user=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("已发布微心愿。"))
        return redirect(wish)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("发布微心愿")
        ctx["breadcrumbs"] = relief_crumbs(
            (_("微心愿"), reverse("relief:wish_list")), (ctx["title"], None)
        )
        return ctx


class WishDetailView(ReliefMixin, TemplateView):
    model = MicroWish
    sensitive = False
    template_name = "relief/wish_detail.html"

    def get_queryset(self) -> models.QuerySet[Any]:
        return (
            super()
            .get_queryset()
            .with_name_visibility(self.request.user)
            .select_related("union", "claimer_user", "confirmed_by")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        can_edit = has_capability(self.request.user, Capability.EDIT)
        ctx.update(
            wish=self.object,
            can_edit=can_edit,
            fulfil_form=FulfilForm() if can_edit else None,
            breadcrumbs=relief_crumbs(
                (_("微心愿"), reverse("relief:wish_list")), (self.object.public_name, None)
            ),
        )
        return ctx


class WishActionView(ReliefMixin, View):
    """POST-only state changes of a wish: confirm, release, cancel."""

    model = MicroWish
    sensitive = False
    http_method_names = ["post"]
    action: ClassVar[str] = ""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        service = {
            "confirm": services.wish_confirm,
            "release": services.wish_release,
            "cancel": services.wish_cancel,
        }[self.action]
        try:
            service(wish=self.object, user=request.user)
            messages.success(request, _("已更新。"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(self.object)


class WishFulfilView(ReliefMixin, FormView):
    model = MicroWish
    sensitive = False
    read_capability = Capability.EDIT
    form_class = FulfilForm
    template_name = "relief/form.html"

    def form_valid(self, form: FulfilForm) -> HttpResponse:
        try:
            services.wish_fulfil(
                wish=self.object,
                user=self.request.user,
                note=form.cleaned_data["note"],
                photo=form.cleaned_data["photo"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("已登记心愿实现情况。"))
        return redirect(self.object)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("心愿实现：%(wish)s") % {"wish": self.object.wish}
        ctx["breadcrumbs"] = relief_crumbs(
            (_("微心愿"), reverse("relief:wish_list")),
            (self.object.public_name, self.object.get_absolute_url()),
            (_("心愿实现"), None),
        )
        return ctx
