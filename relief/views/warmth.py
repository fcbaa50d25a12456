"""Relief views: 送温暖活动统计表."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from relief import selectors
from relief.forms import (
    WarmthStatsForm,
)
from relief.models import (
    ReliefGrant,
)
from relief.sheets import WarmthStatsSheet
from relief.views.common import (
    ReliefMixin,
    relief_crumbs,
)
from unions.models import Union
from unionvol.audit import audit
from unionvol.models import AuditAction
from unionvol.scoping import (
    Capability,
    has_capability,
    require_capability,
    union_of,
)
from unionvol.sheets import get_sheet
from unionvol.xlsx import SafeWorkbook


class WarmthStatsView(ReliefMixin, TemplateView):
    model = ReliefGrant
    template_name = "relief/warmth_stats.html"
    download = False

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if self.download and request.user.is_authenticated:
            require_capability(request.user, Capability.EXPORT)
        return super().dispatch(request, *args, **kwargs)

    def build(self) -> tuple[WarmthStatsForm, Any]:
        user = self.request.user
        own = union_of(user)
        campaigns = selectors.warmth_campaigns(user=user).select_related("issuer")
        unions = Union.objects.visible_to(user)
        data = self.request.GET.copy()
        if "campaign" not in data and (first := campaigns.first()) is not None:
            data["campaign"] = str(first.pk)
        if "union" not in data and own is not None:
            data["union"] = str(own.pk)
        form = WarmthStatsForm(data, campaigns=campaigns, unions=unions, user=user)
        stats = None
        if form.is_valid():
            stats = selectors.warmth_stats(
                user=user,
                union=form.cleaned_data["union"],
                campaign=form.cleaned_data["campaign"],
                aggregate=form.cleaned_data["aggregate"],
            )
        return form, stats

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.download:
            return super().get(request, *args, **kwargs)
        _form, stats = self.build()
        if stats is None:
            raise Http404
        sheet = _warmth_sheet()
        data, entries = sheet.from_stats(stats)
        data["filler"] = request.user.get_full_name() or request.user.username
        workbook = SafeWorkbook()
        if stats.aggregated:
            sheet.write_aggregate(workbook, stats.union, entries)
        else:
            sheet.write(workbook, stats.union, data)
        audit(
            user=request.user,
            action=AuditAction.EXPORT,
            what=sheet.identifier,
            rows=len(stats.rows),
            union_id=stats.union.pk,
            campaign_id=stats.campaign.pk,
        )
        return workbook.response(sheet.filename_for(stats.union, data))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        form, stats = self.build()
        ctx.update(form=form, stats=stats, breadcrumbs=relief_crumbs((_("送温暖活动统计表"), None)))
        if stats is not None:
            sheet = _warmth_sheet()
            data, entries = sheet.from_stats(stats)
            labels, table = sheet.table(data, entries if stats.aggregated else None)
            ctx.update(
                sheet_title=sheet.title_for(data),
                labels=labels,
                table=table,
                query=self.request.GET.urlencode(),
                can_export=has_capability(self.request.user, Capability.EXPORT),
            )
        return ctx


def _warmth_sheet() -> WarmthStatsSheet:
    sheet = get_sheet("warmth_stats")
    assert isinstance(sheet, WarmthStatsSheet)
    return sheet
