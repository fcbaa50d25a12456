"""Relief views: grants."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from relief import selectors, services
from relief.forms import (
    GrantForm,
    ReverseForm,
    add_service_error,
)
from relief.models import (
    FundType,
    GrantStatus,
    HardshipFile,
    ReliefGrant,
)
from relief.views.common import (
    ReliefMixin,
    relief_crumbs,
)
from unionvol.params import int_param
from unionvol.scoping import (
    Capability,
    has_capability,
)


class GrantListView(ReliefMixin, TemplateView):
    model = ReliefGrant
    template_name = "relief/grant_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        status = self.request.GET.get("status", "")
        campaign = self.request.GET.get("campaign", "")
        campaign_id = int_param(campaign)
        page = self.paginate(selectors.grant_list(user=user, status=status, campaign=campaign_id))
        labels = dict(FundType.choices)
        totals = selectors.grant_totals(user=user, campaign=campaign_id)
        for row in totals:
            row["fund_label"] = labels.get(row["fund_type"], row["fund_type"])
        ctx.update(
            page_obj=page,
            grants=page.object_list,
            totals=totals,
            statuses=GrantStatus.choices,
            can_review=has_capability(user, Capability.REVIEW),
            breadcrumbs=relief_crumbs((_("帮扶金"), None)),
        )
        return ctx


class GrantCreateView(ReliefMixin, FormView):
    """New grant for the file in the URL."""

    model = HardshipFile
    form_class = GrantForm
    template_name = "relief/form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form: GrantForm) -> HttpResponse:
        try:
            services.grant_create(file=self.object, user=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("已录入帮扶金，等待审核。"))
        return redirect(self.object)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("录入帮扶金：%(name)s") % {"name": self.object.name}
        ctx["breadcrumbs"] = relief_crumbs(
            (self.object.name, self.object.get_absolute_url()), (_("录入帮扶金"), None)
        )
        return ctx


class GrantUpdateView(ReliefMixin, FormView):
    model = ReliefGrant
    form_class = GrantForm
    template_name = "relief/form.html"

    def get_queryset(self) -> models.QuerySet[Any]:
        return super().get_queryset().select_related("file")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.object.status != GrantStatus.PENDING:
            messages.error(request, services.GRANT_APPROVED_LOCKED)
            return redirect(self.object.file)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs["instance"] = self.object
        return kwargs

    def form_valid(self, form: GrantForm) -> HttpResponse:
        grant = ReliefGrant.objects.get(pk=self.object.pk)
        try:
            services.grant_update(grant=grant, user=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存。"))
        return redirect(grant.file)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("修改帮扶金：%(name)s") % {"name": self.object.file.name}
        ctx["breadcrumbs"] = relief_crumbs(
            (self.object.file.name, self.object.file.get_absolute_url()), (_("修改"), None)
        )
        return ctx


class GrantApproveView(ReliefMixin, View):
    model = ReliefGrant
    http_method_names = ["post"]
    write_capability = Capability.REVIEW

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.grant_approve(grant=self.object, user=request.user)
            messages.success(request, _("已审核。"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        if request.POST.get("next") == "list":
            return redirect("relief:grant_list")
        return redirect(self.object.file)


class GrantReverseView(ReliefMixin, View):
    model = ReliefGrant
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ReverseForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写有效的冲销日期。"))
            return redirect(self.object.file)
        try:
            services.grant_reverse(
                grant=self.object,
                user=request.user,
                granted_on=form.cleaned_data["granted_on"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("已录入冲销记录，等待审核。"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(self.object.file)
