"""Relief views: one-day donations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from relief import selectors, services
from relief.forms import (
    DonationForm,
    add_service_error,
)
from relief.models import (
    Donation,
)
from relief.views.common import (
    ReliefMixin,
    relief_crumbs,
)
from unions.models import Union
from unionvol.scoping import (
    union_of,
)


class DonationListView(ReliefMixin, TemplateView):
    model = Donation
    template_name = "relief/donation_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        page = self.paginate(selectors.donation_list(user=self.request.user))
        ctx.update(
            page_obj=page,
            donations=page.object_list,
            breadcrumbs=relief_crumbs((_("一日捐"), None)),
        )
        return ctx


class DonationFormView(ReliefMixin, FormView):
    model = Donation
    form_class = DonationForm
    template_name = "relief/form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        user = self.request.user
        own = union_of(user)
        kwargs["user"] = user
        kwargs["unions"] = Union.objects.visible_to(user).filter(pk=own.pk if own else None)
        if self.object is not None:
            kwargs["instance"] = self.object
        elif own is not None:
            kwargs.setdefault("initial", {})["union"] = own.pk
        return kwargs

    def form_valid(self, form: DonationForm) -> HttpResponse:
        donation = Donation() if self.object is None else Donation.objects.get(pk=self.object.pk)
        try:
            services.donation_save(donation=donation, user=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存。"))
        return redirect("relief:donation_list")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("登记一日捐") if self.object is None else _("修改一日捐")
        ctx["breadcrumbs"] = relief_crumbs(
            (_("一日捐"), reverse("relief:donation_list")), (ctx["title"], None)
        )
        return ctx
