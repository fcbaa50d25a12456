"""The project's URLs plus two views that forget ``visible_to``, for the scoping tests.

Real views ask for ``Model.objects.visible_to(request.user)``; these do not (nor does the
union list), to prove
that the scope the middleware enters is enough to keep other unions' rows out.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path

from unions.models import Union
from unionvol.urls import handler400, handler403, handler404, handler500
from unionvol.urls import urlpatterns as project_urlpatterns
from volunteers.models import Volunteer


def all_volunteers(request: HttpRequest) -> HttpResponse:
    names = [v.name for v in Volunteer.objects.all()]
    return HttpResponse("\n".join(names), content_type="text/plain; charset=utf-8")


def volunteer_count(request: HttpRequest) -> JsonResponse:
    qs = Volunteer.objects.all()
    return JsonResponse({"count": qs.count(), "names": sorted(v.name for v in qs)})


def all_unions(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"codes": [u.code for u in Union.objects.all()]})


urlpatterns = [
    path("test-scoping/unions/", all_unions),
    path("test-scoping/volunteers/", all_volunteers),
    path("test-scoping/volunteer-count/", volunteer_count),
    *project_urlpatterns,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
