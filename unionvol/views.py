from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import QuerySet
from django.db.utils import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import DetailView

from unions.selectors import union_children
from unionvol.audit import audit
from unionvol.files import send_file
from unionvol.home import awaiting_for
from unionvol.models import AuditAction, ExportJob, ExportStatus
from unionvol.scoping import Capability, ScopedViewMixin, union_of
from unionvol.xlsx import XLSX_CONTENT_TYPE


@login_required
def home(request: HttpRequest) -> HttpResponse:
    union = union_of(request.user)
    context = {
        "union": union,
        "children": union_children(union=union) if union else [],
        "awaiting": awaiting_for(request.user),
    }
    return render(request, "home.html", context)


@require_GET
def ping(request: HttpRequest) -> HttpResponse:
    """The trivial view the load test compares every page with (no database, no session)."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For the proxy: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A stale or missing CSRF token (often: the login page was open too long)."""
    return render(request, "errors/403_csrf.html", status=403)


def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors: the database may be the reason we are here.
    from django.template import loader

    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)


class ExportJobView(ScopedViewMixin, DetailView):
    """A background export's progress; the file is offered to its requester only."""

    model = ExportJob  # type: ignore[misc]  # ScopedViewMixin declares model a ClassVar
    template_name = "unionvol/export_job.html"
    context_object_name = "job"
    read_capability = Capability.EXPORT
    http_method_names = ["get"]

    def get_queryset(self) -> QuerySet[ExportJob]:
        return ExportJob.objects.visible_to(self.request.user).requested_by(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["refresh"] = self.object.status in (ExportStatus.PENDING, ExportStatus.RUNNING)
        ctx["breadcrumbs"] = [(_("导出任务"), None)]
        return ctx


class ExportJobDownloadView(ExportJobView):
    # A file (streamed, or sent by the proxy), not the page DetailView.get promises.
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        job = self.get_object()
        if job.status != ExportStatus.DONE or not job.file_path:
            raise Http404
        response = send_file(
            job.file_path, content_type=XLSX_CONTENT_TYPE, filename=job.filename or "export.xlsx"
        )
        audit(user=request.user, action=AuditAction.EXPORT, target=job, what=job.filename)
        return response
