from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from unions.selectors import union_children
from unionvol.home import awaiting_for
from unionvol.scoping import union_of


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
