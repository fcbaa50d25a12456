"""Volunteers views: one volunteer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView
from django.views.generic.detail import SingleObjectMixin

from service.selectors import service_summary
from unionvol.audit import audit
from unionvol.capabilities import Capability
from unionvol.models import AuditAction
from unionvol.params import int_param
from unionvol.scoping import ScopedViewMixin, has_capability, union_of
from volunteers import selectors, services
from volunteers.exports import build_sheet, may_see_full_ids
from volunteers.forms import (
    DecisionForm,
    VolunteerForm,
)
from volunteers.models import Volunteer
from volunteers.views.common import (
    roster_crumbs,
)


class VolunteerDetailView(ScopedViewMixin, DetailView):
    model = Volunteer
    template_name = "volunteers/detail.html"
    context_object_name = "volunteer"

    def get_queryset(self) -> QuerySet[Volunteer]:
        return selectors.volunteer_list(user=self.request.user).select_related(
            "created_by", "campaign__issuer"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        volunteer: Volunteer = self.object
        trail = selectors.approval_trail(volunteer=volunteer)
        full = may_see_full_ids(user)
        if full:
            audit(user=user, action=AuditAction.VIEW_FULL_ID, target=volunteer)
        ctx["id_display"] = volunteer.id_number if full else volunteer.masked_id
        ctx["trail"] = trail
        step = trail.current_step
        ctx["can_decide"] = step is not None and services.can_decide(
            user=user, step=step, volunteer=volunteer
        )
        ctx["decision_form"] = DecisionForm()
        ctx["service"] = service_summary(user=user, volunteer=volunteer)
        ctx["can_edit"] = has_capability(user, Capability.EDIT)
        ctx["can_export"] = has_capability(user, Capability.EXPORT)
        ctx["breadcrumbs"] = roster_crumbs((volunteer.name, None))
        return ctx


class VolunteerCreateView(ScopedViewMixin, FormView):
    model = Volunteer
    read_capability = Capability.EDIT
    write_capability = Capability.EDIT
    template_name = "volunteers/form.html"
    form_class = VolunteerForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs["initial"] = {"union": union_of(self.request.user)}
        # From a campaign page: 登记志愿者 preselects that notice (if the user may use it).
        if (campaign_id := int_param(self.request.GET.get("campaign"))) is not None:
            kwargs["initial"]["campaign"] = campaign_id
        return kwargs

    def form_valid(self, form: VolunteerForm) -> HttpResponse:
        try:
            volunteer = services.volunteer_register(
                union=form.cleaned_data["union"],
                campaign=form.cleaned_data.get("campaign"),
                data=form.service_data(),
                by=self.request.user,
            )
        except ValidationError as exc:
            form.add_service_error(exc)
            self.duplicate_of = getattr(exc, "existing", None)
            return self.form_invalid(form)
        messages.success(
            self.request, _("已登记「%(name)s」，等待审批。") % {"name": volunteer.name}
        )
        return redirect(volunteer)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("登记志愿者")
        ctx["duplicate_of"] = getattr(self, "duplicate_of", None)
        ctx["breadcrumbs"] = roster_crumbs((_("登记志愿者"), None))
        return ctx


class VolunteerUpdateView(ScopedViewMixin, SingleObjectMixin, FormView):
    model = Volunteer
    read_capability = Capability.EDIT
    write_capability = Capability.EDIT
    template_name = "volunteers/form.html"
    form_class = VolunteerForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            self.object = self.get_object(
                Volunteer.objects.visible_to(request.user).select_related("union")
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, instance=self.object)
        return kwargs

    def form_valid(self, form: VolunteerForm) -> HttpResponse:
        try:
            volunteer = services.volunteer_update(
                volunteer=self.object,
                data=form.service_data(),
                by=self.request.user,
                version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            form.add_service_error(exc)
            self.duplicate_of = getattr(exc, "existing", None)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存。"))
        return redirect(volunteer)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("编辑登记表：%(name)s") % {"name": self.object.name}
        ctx["duplicate_of"] = getattr(self, "duplicate_of", None)
        ctx["breadcrumbs"] = roster_crumbs(
            (self.object.name, self.object.get_absolute_url()), (_("编辑"), None)
        )
        return ctx


class _ObjectActionView(ScopedViewMixin, SingleObjectMixin, View):
    """POST-only action on one volunteer: 404 outside the scope (whatever the method),
    403 without the capability."""

    model = Volunteer
    http_method_names = ["post"]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            self.object = self.get_object(
                Volunteer.objects.visible_to(request.user).select_related("union")
            )
        return super().dispatch(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            self.act(request, self.object)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect(self.object)

    def act(self, request: HttpRequest, volunteer: Volunteer) -> None:  # pragma: no cover
        raise NotImplementedError


class VolunteerResubmitView(_ObjectActionView):
    write_capability = Capability.EDIT

    def act(self, request: HttpRequest, volunteer: Volunteer) -> None:
        services.volunteer_resubmit(volunteer=volunteer, by=request.user)
        messages.success(request, _("已重新提交，进入新一轮审批。"))


class VolunteerReviewView(_ObjectActionView):
    write_capability = Capability.REVIEW

    def act(self, request: HttpRequest, volunteer: Volunteer) -> None:
        form = DecisionForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("请选择审批结果。"))
        step = services.approval_decide(
            volunteer=volunteer,
            by=request.user,
            decision=form.cleaned_data["decision"],
            opinion=form.cleaned_data["opinion"],
        )
        messages.success(
            request,
            _("已提交审批意见：%(decision)s。") % {"decision": step.get_decision_display()},
        )


class RegistrationPrintView(VolunteerDetailView):
    """The 登记表 as a printable page (A4)."""

    template_name = "volunteers/print.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["boxes"] = selectors.opinion_boxes(trail=ctx["trail"])
        return ctx


class RegistrationSheetView(ScopedViewMixin, DetailView):
    model = Volunteer
    read_capability = Capability.EXPORT
    http_method_names = ["get"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        volunteer = self.get_object(
            selectors.volunteer_list(user=request.user).select_related("campaign__issuer")
        )
        sheet, wb = build_sheet("registration", user=request.user, volunteer=volunteer)
        return wb.response(sheet.filename())
