from __future__ import annotations

from django.views.generic import DetailView, ListView

from campaigns.models import Campaign
from unionvol.scoping import ScopedViewMixin


class CampaignListView(ScopedViewMixin, ListView):
    model = Campaign
    template_name = "campaigns/list.html"
    paginate_by = 25

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return super().get_queryset().select_related("issuer")


class CampaignDetailView(ScopedViewMixin, DetailView):
    model = Campaign
    template_name = "campaigns/detail.html"
