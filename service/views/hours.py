"""Hours per volunteer, the service ledger and certificates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, TemplateView
from django.views.generic.detail import SingleObjectMixin

from service import exports, selectors, services
from service.forms import (
    CertificateForm,
)
from service.models import (
    Certificate,
)
from service.pdf import certificate_pdf
from unionvol.audit import audit
from unionvol.keyset import KeysetViewMixin
from unionvol.models import AuditAction
from unionvol.objectviews import ObjectFormView, form_errors
from unionvol.scoping import (
    Capability,
    ScopedViewMixin,
    has_capability,
)
from volunteers.models import Volunteer


def _crumbs(*extra: tuple[Any, str | None]) -> list[tuple[Any, str | None]]:
    return list(extra)


class HoursListView(KeysetViewMixin, ScopedViewMixin, TemplateView):
    """Hours per approved volunteer, by name, by keyset: the totals are added for the 50
    volunteers of the page, never summed over a province's million records per view."""

    model = Volunteer
    template_name = "service/hours_list.html"
    per_page = 50

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        page = self.keyset_page(selectors.hours_rows(user=self.request.user), selectors.HOURS_ORDER)
        ctx["page"] = page
        ctx["object_list"] = selectors.with_hours(page.object_list, user=self.request.user)
        ctx["can_export"] = has_capability(self.request.user, Capability.EXPORT)
        ctx["breadcrumbs"] = _crumbs((_("志愿服务时长"), None))
        return ctx


class HoursExportView(ScopedViewMixin, View):
    model = Volunteer
    read_capability = Capability.EXPORT

    def get(self, request: HttpRequest) -> HttpResponse:
        return exports.hours(user=request.user)


class ServiceView(ScopedViewMixin, DetailView):
    """A volunteer's hours, points and ledger of service records."""

    model = Volunteer
    template_name = "service/service.html"
    context_object_name = "volunteer"

    def get_queryset(self) -> QuerySet[Volunteer]:
        return super().get_queryset().select_related("union")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        records = list(selectors.service_records(user=user, volunteer=self.object))
        ctx.update(
            {
                "records": records,
                "totals": selectors.service_totals(records=records),
                "teams": list(selectors.volunteer_teams(user=user, volunteer=self.object)),
                "certificates": list(
                    selectors.volunteer_certificates(user=user, volunteer=self.object)
                ),
                "can_edit": has_capability(user, Capability.EDIT),
                "can_export": has_capability(user, Capability.EXPORT),
                "breadcrumbs": _crumbs(
                    (_("志愿服务时长"), "/service/hours/"), (self.object.name, None)
                ),
            }
        )
        return ctx


class ServiceExportView(ScopedViewMixin, SingleObjectMixin, View):
    model = Volunteer
    read_capability = Capability.EXPORT

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        volunteer = self.get_object()
        return exports.hours(user=request.user, volunteer=volunteer)


class CertificateIssueView(ObjectFormView):
    model = Volunteer
    form_class = CertificateForm
    read_capability = Capability.EDIT
    title = _("出具志愿服务记录证明")

    def crumbs(self) -> list[tuple[Any, str | None]]:
        url = f"/service/hours/{self.object.pk}/"
        return _crumbs(
            (_("志愿服务时长"), "/service/hours/"), (self.object.name, url), (self.title, None)
        )

    def form_valid(self, form: CertificateForm) -> HttpResponse:
        try:
            cert = services.certificate_issue(
                volunteer=self.object, user=self.request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form_errors(form, exc)
            return self.form_invalid(form)
        audit(
            user=self.request.user,
            action=AuditAction.EXPORT,
            target=cert,
            rows=len(cert.entries),
            kind="certificate_issued",
        )
        messages.success(self.request, _("证明已出具，编号 %(n)s。") % {"n": cert.number})
        return HttpResponseRedirect(cert.get_absolute_url())


class CertificateDetailView(ScopedViewMixin, DetailView):
    model = Certificate
    template_name = "service/certificate.html"
    context_object_name = "certificate"

    def get_queryset(self) -> QuerySet[Certificate]:
        return super().get_queryset().select_related("volunteer", "volunteer__union", "union")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        c = self.object
        ctx["breadcrumbs"] = _crumbs(
            (_("志愿服务时长"), "/service/hours/"),
            (c.volunteer.name, f"/service/hours/{c.volunteer_id}/"),
            (c.number, None),
        )
        ctx["can_export"] = has_capability(self.request.user, Capability.EXPORT)
        return ctx


class CertificatePdfView(ScopedViewMixin, SingleObjectMixin, View):
    """The certificate as a file to take away: for those who may export (a viewer reads
    the page, but carrying a person's record out of the portal is an export)."""

    model = Certificate
    read_capability = Capability.EXPORT

    def get_queryset(self) -> QuerySet[Certificate]:
        return super().get_queryset().select_related("volunteer", "volunteer__union", "union")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        cert = self.get_object()
        audit(user=request.user, action=AuditAction.EXPORT, target=cert, kind="certificate_pdf")
        response = HttpResponse(certificate_pdf(cert), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="certificate-{cert.number}.pdf"'
        response["Cache-Control"] = "no-store"
        return response
