from __future__ import annotations

from django.views.generic import DetailView, ListView

from unionvol.scoping import ScopedViewMixin
from volunteers.models import Volunteer


class RosterView(ScopedViewMixin, ListView):
    model = Volunteer
    template_name = "volunteers/roster.html"
    paginate_by = 50

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return super().get_queryset().select_related("union")


class VolunteerDetailView(ScopedViewMixin, DetailView):
    model = Volunteer
    template_name = "volunteers/detail.html"
