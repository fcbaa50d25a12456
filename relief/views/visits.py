"""Relief views: visits."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from relief import selectors, services
from relief.forms import (
    VisitForm,
    add_service_error,
)
from relief.models import (
    Visit,
)
from relief.views.common import (
    ReliefMixin,
    relief_crumbs,
)
from unionvol.scoping import (
    union_of,
)


class VisitListView(ReliefMixin, TemplateView):
    model = Visit
    template_name = "relief/visit_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        page = self.paginate(selectors.visit_list(user=self.request.user))
        ctx.update(
            page_obj=page, visits=page.object_list, breadcrumbs=relief_crumbs((_("慰问走访"), None))
        )
        return ctx


class VisitFormView(ReliefMixin, FormView):
    model = Visit
    form_class = VisitForm
    template_name = "relief/form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        visit = self.object
        kwargs["files"] = selectors.file_choices(
            user=self.request.user,
            union=visit.union if visit is not None else None,
            current=visit.file_id if visit is not None else None,
        )
        if self.object is not None:
            kwargs["instance"] = self.object
        return kwargs

    def form_valid(self, form: VisitForm) -> HttpResponse:
        user = self.request.user
        try:
            if self.object is None:
                union = union_of(user)
                if union is None:
                    raise PermissionDenied
                services.visit_create(union=union, user=user, **form.cleaned_data)
            else:
                visit = Visit.objects.get(pk=self.object.pk)
                services.visit_update(visit=visit, user=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存。"))
        return redirect("relief:visit_list")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("登记慰问走访") if self.object is None else _("修改慰问走访")
        ctx["breadcrumbs"] = relief_crumbs(
            (_("慰问走访"), reverse("relief:visit_list")), (ctx["title"], None)
        )
        return ctx
