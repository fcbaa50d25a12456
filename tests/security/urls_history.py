"""The project's URLs plus a view that writes a volunteer, for the history test."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from tests.factories import make_volunteer
from unionvol.scoping import union_of
from unionvol.urls import urlpatterns as project_urlpatterns


def create_volunteer(request: HttpRequest) -> HttpResponse:
    volunteer = make_volunteer(union_of(request.user), name="历史测试")
    return HttpResponse(str(volunteer.pk))


urlpatterns = [path("test-history/create/", create_volunteer), *project_urlpatterns]
