"""Volunteers views: quotas."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView

from campaigns.models import Campaign
from unions.models import Union
from unionvol.capabilities import Capability
from unionvol.jobs import job_create
from unionvol.params import int_param
from unionvol.scoping import ScopedViewMixin, has_capability, union_of
from volunteers import selectors, services
from volunteers.exports import build_sheet, roster_volunteers
from volunteers.forms import (
    QuotaFormSet,
)
from volunteers.jobs import KIND_ROSTER
from volunteers.models import QuotaAllocation, Volunteer, VolunteerStatus
from volunteers.views.common import (
    roster_crumbs,
)


class QuotaView(ScopedViewMixin, DetailView):
    model = Campaign
    template_name = "volunteers/quotas.html"
    context_object_name = "campaign"

    def get_queryset(self) -> QuerySet[Campaign]:
        return Campaign.objects.visible_to(self.request.user).select_related("issuer")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["table"] = selectors.quota_table(campaign=self.object, user=self.request.user)
        ctx["can_export"] = has_capability(self.request.user, Capability.EXPORT)
        ctx["can_allocate"] = services.can_allocate_quotas(
            user=self.request.user, campaign=self.object
        )
        ctx["breadcrumbs"] = roster_crumbs((_("名额分配表"), None))
        return ctx


class QuotaEditView(ScopedViewMixin, DetailView):
    """The issuer allocates quotas: the whole table is saved at once, or not at all."""

    model = Campaign
    template_name = "volunteers/quota_edit.html"
    context_object_name = "campaign"

    def get_queryset(self) -> QuerySet[Campaign]:
        return Campaign.objects.visible_to(self.request.user).select_related("issuer")

    def get_object(self, queryset: QuerySet[Campaign] | None = None) -> Campaign:
        campaign = super().get_object(queryset)
        if not services.can_allocate_quotas(user=self.request.user, campaign=campaign):
            raise PermissionDenied
        return campaign

    def formset(self, data: Any = None) -> Any:
        campaign = self.object
        unions = (
            Union.objects.visible_to(self.request.user)
            .within(campaign.issuer)
            .exclude(pk=campaign.issuer_id)
            .filter(is_active=True)
        )
        allocations = list(
            QuotaAllocation.objects.filter(campaign=campaign)
            .select_related("union")
            .order_by("order", "pk")
        )
        initial = [
            {
                "allocation": a.pk,
                "version": a.version,
                "union": a.union,
                "quota": a.quota,
                "note": a.note,
            }
            for a in allocations
        ]
        formset = QuotaFormSet(
            data=data,
            initial=initial,
            form_kwargs={
                "unions": unions,
                "user": self.request.user,
                "issuer": campaign.issuer,
                "picker_cache": {},
            },
        )
        formset.allocations = {a.pk: a for a in allocations}
        return formset

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("formset", self.formset())
        ctx["breadcrumbs"] = roster_crumbs(
            (_("名额分配表"), reverse("volunteers:quotas", args=[self.object.pk])),
            (_("分配名额"), None),
        )
        return ctx

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = campaign = self.get_object()
        formset = self.formset(request.POST)
        if not formset.is_valid():
            return self.render_to_response(self.get_context_data(formset=formset), status=400)
        rows = []
        for form in formset.forms:
            data = form.cleaned_data
            if not data or (data.get("union") is None and not data.get("allocation")):
                continue
            allocation = formset.allocations.get(data.get("allocation") or 0)
            rows.append(
                {
                    "allocation": allocation,
                    "version": data.get("version"),
                    "union": data.get("union") or (allocation.union if allocation else None),
                    "quota": data.get("quota") or 0,
                    "note": data.get("note") or "",
                    "delete": bool(data.get("DELETE")),
                }
            )
        try:
            services.quota_save(campaign=campaign, user=request.user, rows=rows)
        except ValidationError as exc:
            for message in exc.messages:
                formset._non_form_errors = formset.error_class(
                    [*formset.non_form_errors(), message]
                )
            return self.render_to_response(self.get_context_data(formset=formset), status=409)
        messages.success(request, _("名额分配表已保存。"))
        return redirect("volunteers:quotas", campaign.pk)


class QuotaSheetView(QuotaView):
    read_capability = Capability.EXPORT
    http_method_names = ["get"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        campaign = self.get_object()
        sheet, wb = build_sheet("quota", user=request.user, campaign=campaign)
        return wb.response(sheet.filename())


ROSTER_INLINE_LIMIT = 5000


class RosterSheetView(ScopedViewMixin, View):
    """花名册 of a union subtree (approved volunteers; ?union=…&campaign=…)."""

    model = Volunteer
    read_capability = Capability.EXPORT
    http_method_names = ["get"]

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        union = union_of(user)
        if (union_id := int_param(request.GET.get("union"))) is not None:
            union = Union.objects.visible_to(user).filter(pk=union_id).first()
        if union is None:
            raise Http404
        campaign = None
        if (campaign_id := int_param(request.GET.get("campaign"))) is not None:
            campaign = Campaign.objects.visible_to(user).filter(pk=campaign_id).first()
        # The approved volunteers, unless a status is asked for (then a 状态 column).
        status = request.GET.get("status") or ""
        statuses: Any = [VolunteerStatus.APPROVED]
        if status == "all":
            statuses = None
        elif status in VolunteerStatus.values:
            statuses = [status]
        volunteers = roster_volunteers(user=user, union=union, statuses=statuses)
        if campaign is not None:
            volunteers = volunteers.filter(campaign=campaign)
        with_status = bool(status)
        if volunteers.count() > ROSTER_INLINE_LIMIT:
            # A big roster is built by the export worker (run_export_jobs), not by this web
            # worker; the job page shows progress and offers the file from any app server.
            job = job_create(
                user=user,
                kind=KIND_ROSTER,
                union=union,
                params={
                    "union_id": union.pk,
                    "campaign_id": campaign.pk if campaign else None,
                    "status": status,
                },
            )
            return redirect(job.get_absolute_url())
        sheet, wb = build_sheet(
            "roster", user=user, union=union, volunteers=volunteers, with_status=with_status
        )
        return wb.response(sheet.filename())
