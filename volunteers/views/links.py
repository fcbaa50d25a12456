"""Volunteers views: a union's short application link and its QR code, for the clerk to
print as a poster or post in WeChat."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from campaigns.models import Campaign
from unions.models import Union
from unions.selectors import union_choices
from unionvol.params import int_param
from unionvol.scoping import ScopedViewMixin, union_of
from unionvol.urls_absolute import absolute_url
from volunteers import qr, selectors, services
from volunteers.forms import ApplyLinkUnionForm
from volunteers.models import ApplyLink
from volunteers.views.common import roster_crumbs


def link_context(link: ApplyLink) -> dict[str, Any]:
    """What the clerk's page and the poster show of a link."""
    campaign = selectors.public_campaign_for(union=link.union, campaign=link.campaign)
    return {
        "link": link,
        "short_url": absolute_url(link.get_absolute_url()),
        "status_url": absolute_url(reverse("volunteers:apply_status")),
        "campaign": campaign,
        "campaign_closed": link.campaign is not None and campaign != link.campaign,
    }


class ApplyLinkView(ScopedViewMixin, TemplateView):
    """网上报名二维码: the short link of a union of the user's subtree, for one of the open
    recruiting notices above it or for none (then an application joins the newest).

    ``?union=`` and ``?campaign=`` choose; the link is made the first time it is shown
    and is the same on every later visit, whoever opens the page."""

    model = ApplyLink
    template_name = "volunteers/apply_link.html"
    http_method_names = ["get", "head"]

    def _union(self, unions: QuerySet[Union]) -> Union | None:
        raw = self.request.GET.get("union")
        if raw in (None, ""):
            own = union_of(self.request.user)
            return own if own is not None and unions.filter(pk=own.pk).exists() else None
        union = unions.filter(pk=int_param(raw) or 0).first()
        if union is None:
            raise Http404
        return union

    def _campaign(self, campaigns: QuerySet[Campaign]) -> Campaign | None:
        pk = int_param(self.request.GET.get("campaign"))
        if not pk:
            return None
        campaign = campaigns.filter(pk=pk).first()
        if campaign is None:
            raise Http404
        return campaign

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        unions = union_choices(user=user)
        union = self._union(unions)
        pick = ApplyLinkUnionForm(user=user, initial={"union": union.pk if union else None})
        ctx.update(
            {
                "union_field": pick["union"],
                "has_unions": union is not None or unions.exists(),
                "union": union,
                "breadcrumbs": roster_crumbs((_("网上报名二维码"), None)),
            }
        )
        if union is None:
            return ctx
        campaigns = selectors.link_campaigns(union=union, user=user)
        chosen = self._campaign(campaigns)
        try:
            link = services.apply_link_for(union=union, campaign=chosen)
        except ValidationError as exc:  # pragma: no cover - link_campaigns fit the union
            raise Http404 from exc
        ctx.update({"campaigns": list(campaigns), "chosen": chosen, **link_context(link)})
        return ctx


class _LinkObjectView(ScopedViewMixin, DetailView):
    model = ApplyLink
    http_method_names = ["get", "head"]

    def get_queryset(self) -> QuerySet[ApplyLink]:
        return ApplyLink.objects.visible_to(self.request.user).select_related(
            "union", "campaign__issuer"
        )


class ApplyLinkQrView(_LinkObjectView):
    """The link's QR code: ``qr.svg`` (print) or ``qr.png`` (WeChat); ``?download=1``
    saves it as a file."""

    kind: ClassVar[str] = "svg"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        link: ApplyLink = self.get_object()
        url = absolute_url(link.get_absolute_url())
        if self.kind == "png":
            response = HttpResponse(qr.qr_png(url), content_type="image/png")
        else:
            response = HttpResponse(qr.qr_svg(url), content_type="image/svg+xml")
        if request.GET.get("download"):
            name = _("网上报名二维码-%(union)s.%(ext)s") % {
                "union": link.union.display_name,
                "ext": self.kind,
            }
            response["Content-Disposition"] = content_disposition_header(True, name)
        response["Cache-Control"] = "private, max-age=3600"
        return response


class ApplyLinkPrintView(_LinkObjectView):
    """The poster: the union, the notice, the QR code and the short address, on A4."""

    template_name = "volunteers/apply_link_print.html"
    context_object_name = "link"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.update(link_context(self.object))
        return ctx
