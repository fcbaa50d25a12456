"""The project's URLs plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from unionvol.urls import handler400, handler403, handler404, handler500
from unionvol.urls import urlpatterns as project_urlpatterns

SECRET = "secret-detail-7f3a"


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(f"database password is {SECRET}")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied(SECRET)


def bad(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation(SECRET)


urlpatterns = [
    path("test-errors/boom/", boom),
    path("test-errors/forbidden/", forbidden),
    path("test-errors/bad/", bad),
    *project_urlpatterns,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
