"""Volunteers views: approval inbox."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from unionvol.capabilities import Capability
from unionvol.params import int_param
from unionvol.scoping import ScopedViewMixin
from volunteers import selectors, services
from volunteers.forms import (
    BulkApproveForm,
)
from volunteers.models import Volunteer
from volunteers.views.common import (
    roster_crumbs,
)


class InboxView(ScopedViewMixin, TemplateView):
    model = Volunteer
    read_capability = Capability.REVIEW
    write_capability = Capability.REVIEW
    template_name = "volunteers/inbox.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        steps = selectors.inbox_steps(user=self.request.user)
        ctx["steps"] = steps[:500]
        ctx["count"] = len(ctx["steps"])
        repeated = list(selectors.inbox_repeated(user=self.request.user)[:200])
        visible = set(
            Volunteer.objects.visible_to(self.request.user)
            .filter(pk__in=[r.existing_id for r in repeated if r.existing_id])
            .values_list("pk", flat=True)
        )
        # The registered record is linked only where the reviewer may see it anyway.
        ctx["repeated"] = [(r, r.existing_id in visible) for r in repeated]
        ctx["form"] = BulkApproveForm()
        ctx["breadcrumbs"] = roster_crumbs((_("待我审批"), None))
        return ctx

    def post(self, request: HttpRequest) -> HttpResponse:
        if "resolve" in request.POST:
            return self.resolve(request)
        form = BulkApproveForm(request.POST)
        ids = [i for i in map(int_param, request.POST.getlist("volunteer")) if i is not None]
        if not ids or not form.is_valid():
            messages.error(request, _("请至少选择一条登记。"))
            return redirect("volunteers:inbox")
        volunteers = list(
            Volunteer.objects.visible_to(request.user).filter(pk__in=ids).order_by("pk")
        )
        done, errors = services.approval_bulk_approve(
            volunteers=volunteers, by=request.user, opinion=form.cleaned_data["opinion"]
        )
        if done:
            messages.success(request, _("已批量同意 %(n)s 条登记。") % {"n": done})
        for error in errors:
            messages.error(request, error)
        return redirect("volunteers:inbox")

    def resolve(self, request: HttpRequest) -> HttpResponse:
        application = (
            selectors.inbox_repeated(user=request.user)
            .filter(pk=int_param(request.POST.get("resolve")))
            .first()
        )
        if application is None:
            raise Http404
        try:
            services.repeated_application_resolve(application=application, by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已标记为已处理。"))
        return redirect("volunteers:inbox")
