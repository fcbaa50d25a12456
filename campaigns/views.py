"""Views of the campaigns app. Thin: scope through ScopedViewMixin and selectors, write
through services, turn a ValidationError into form errors or a message."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView

from campaigns import selectors, services
from campaigns.forms import CampaignFilterForm, CampaignForm, CategoriesForm, MilestoneForm
from campaigns.models import ActivityCategory, Campaign, Milestone
from unionvol.keyset import KeysetViewMixin
from unionvol.objectviews import ObjectActionView, ObjectFormView, form_errors
from unionvol.panels import panels_for
from unionvol.scoping import (
    Capability,
    ScopedViewMixin,
    has_capability,
    is_operator,
    union_of,
)


def _crumbs(*extra: tuple[Any, str | None]) -> list[tuple[Any, str | None]]:
    return [(_("活动通知"), "/campaigns/"), *extra]


# --- campaigns -------------------------------------------------------------------------------


class CampaignListView(ScopedViewMixin, ListView):
    model = Campaign
    template_name = "campaigns/list.html"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[Campaign]:
        self.readable, years = selectors.campaign_overview(user=self.request.user)
        self.filter_form = CampaignFilterForm(self.request.GET or None, years=years)
        data = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        self.filters = {
            "user": self.request.user,
            "kind": data.get("kind") or "",
            "status": data.get("status") or "",
            "year": data.get("year"),
        }
        return selectors.campaign_list(**self.filters)

    def get_paginator(self, queryset: Any, per_page: int, *args: Any, **kwargs: Any) -> Any:
        paginator = super().get_paginator(queryset, per_page, *args, **kwargs)
        # Counted without each row's figures: the same rows, a far simpler query.
        filtered = any(v for k, v in self.filters.items() if k != "user")
        paginator.count = (
            selectors.campaign_filter(**self.filters).count() if filtered else self.readable
        )
        return paginator

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["filter_form"] = self.filter_form
        ctx["can_create"] = has_capability(self.request.user, Capability.EDIT)
        ctx["breadcrumbs"] = [(_("活动通知"), None)]
        return ctx


class CampaignDetailView(ScopedViewMixin, DetailView):
    """The notice; the apps above add their sections (teams, quotas, reports) as panels."""

    model = Campaign
    template_name = "campaigns/detail.html"

    def get_queryset(self) -> QuerySet[Campaign]:
        # Milestones and categories once, for the page and for the panels that list them.
        return (
            selectors.readable_campaigns(user=self.request.user)
            .select_related("issuer", "created_by")
            .prefetch_related(
                # In the Meta order, without its join to the notice (ordered by notice);
                # read by the key of the notice just read through the scope (see
                # campaigns.models.CampaignPartManager), not through the part scope again.
                Prefetch("milestones", queryset=Milestone._base_manager.order_by("due_date", "pk")),
                Prefetch(
                    "categories", queryset=ActivityCategory._base_manager.order_by("order", "pk")
                ),
            )
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        campaign: Campaign = self.object
        user = self.request.user
        own = union_of(user)
        is_issuer_staff = is_operator(user) or (own is not None and campaign.issuer.is_within(own))
        summary = selectors.addressee_summary(campaign=campaign, union=own)
        mine = summary.mine
        ctx.update(
            {
                "milestones": list(campaign.milestones.all()),
                "categories": list(campaign.categories.all()),
                "addressees": summary,
                "read_count": summary.read,
                "my_addressee": mine,
                "is_issuer_staff": is_issuer_staff,
                "can_edit": is_issuer_staff and has_capability(user, Capability.EDIT),
                "can_read": mine is not None and has_capability(user, Capability.EDIT),
                "actions": [
                    p.context for p in panels_for("campaign_actions", self.request, campaign)
                ],
                "main_panels": panels_for("campaign_main", self.request, campaign),
                "side_panels": panels_for("campaign_side", self.request, campaign),
                "breadcrumbs": _crumbs((campaign.doc_number, None)),
            }
        )
        return ctx


class AddresseeListView(KeysetViewMixin, ScopedViewMixin, DetailView):
    """Every addressee of a notice, 50 a page in tree order, by read state; the read
    time and reader for the issuer's staff, as on the notice's page."""

    model = Campaign
    template_name = "campaigns/addressees.html"
    per_page = 50

    def get_queryset(self) -> QuerySet[Campaign]:
        return selectors.readable_campaigns(user=self.request.user).select_related("issuer")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        campaign: Campaign = self.object
        user = self.request.user
        own = union_of(user)
        is_issuer_staff = is_operator(user) or (own is not None and campaign.issuer.is_within(own))
        state = self.request.GET.get("state", "")
        state = state if is_issuer_staff and state in selectors.ADDRESSEE_STATES else ""
        rows = selectors.addressee_list(campaign=campaign, state=state)
        ctx.update(
            {
                "page": self.keyset_page(rows, selectors.ADDRESSEE_ORDER),
                "state": state,
                "is_issuer_staff": is_issuer_staff,
                "breadcrumbs": _crumbs(
                    (campaign.doc_number, campaign.get_absolute_url()), (_("主送单位"), None)
                ),
            }
        )
        return ctx


class CampaignCreateView(ScopedViewMixin, FormView):
    model = Campaign
    read_capability = Capability.EDIT
    template_name = "unionvol/object_form.html"
    form_class = CampaignForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["issuer"] = union_of(self.request.user)  # dispatch ensured there is one
        return kwargs

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and union_of(request.user) is None:
            messages.error(request, _("您的账号未关联工会，不能发布通知。"))
            return redirect("campaigns:list")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: CampaignForm) -> HttpResponse:
        data = dict(form.cleaned_data)
        addressees = data.pop("addressees")
        try:
            campaign = services.campaign_create(
                issuer=form.issuer, user=self.request.user, addressees=addressees, **data
            )
        except ValidationError as exc:
            form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("通知已保存为草稿。"))
        return redirect(campaign.get_absolute_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("新建活动通知")
        ctx["breadcrumbs"] = _crumbs((ctx["title"], None))
        return ctx


class WritableCampaignMixin:
    def get_queryset(self) -> QuerySet[Campaign]:
        return selectors.writable_campaigns(user=self.request.user)  # type: ignore[attr-defined]


class CampaignEditView(WritableCampaignMixin, ObjectFormView):
    model = Campaign
    form_class = CampaignForm
    read_capability = Capability.EDIT
    title = _("编辑活动通知")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        kwargs["issuer"] = self.object.issuer
        return kwargs

    def form_valid(self, form: CampaignForm) -> HttpResponse:
        data = dict(form.cleaned_data)
        addressees = data.pop("addressees")
        try:
            services.campaign_update(campaign=self.object, addressees=addressees, **data)
        except ValidationError as exc:
            form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("通知已保存。"))
        return redirect(self.object.get_absolute_url())


class CampaignPublishView(WritableCampaignMixin, ObjectActionView):
    model = Campaign
    done_message = _("通知已发布。")

    def act(self, obj: Campaign) -> None:
        services.campaign_transition(campaign=obj, action="publish")


class CampaignCloseView(WritableCampaignMixin, ObjectActionView):
    model = Campaign
    done_message = _("通知已结束。")

    def act(self, obj: Campaign) -> None:
        services.campaign_transition(campaign=obj, action="close")


class CampaignReadView(ObjectActionView):
    model = Campaign
    done_message = _("已标记为已读。")

    def get_queryset(self) -> QuerySet[Campaign]:
        return selectors.readable_campaigns(user=self.request.user)

    def act(self, obj: Campaign) -> None:
        services.campaign_mark_read(campaign=obj, user=self.request.user)


class MilestoneCreateView(WritableCampaignMixin, ObjectFormView):
    model = Campaign
    form_class = MilestoneForm
    read_capability = Capability.EDIT
    title = _("添加时间节点")

    def form_valid(self, form: MilestoneForm) -> HttpResponse:
        form.instance.campaign = self.object
        try:
            services.milestone_save(milestone=form.instance)
        except ValidationError as exc:
            form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("时间节点已保存。"))
        return redirect(self.object.get_absolute_url())


class MilestoneEditView(ObjectFormView):
    model = Milestone
    form_class = MilestoneForm
    read_capability = Capability.EDIT
    title = _("编辑时间节点")

    def get_queryset(self) -> QuerySet[Milestone]:
        return Milestone.objects.filter(
            campaign__in=selectors.writable_campaigns(user=self.request.user)
        ).select_related("campaign")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        return kwargs

    def crumbs(self) -> list[tuple[Any, str | None]]:
        c = self.object.campaign
        return _crumbs((c.doc_number, c.get_absolute_url()), (self.title, None))

    def form_valid(self, form: MilestoneForm) -> HttpResponse:
        try:
            services.milestone_save(milestone=form.instance, version=form.expected_version)
        except ValidationError as exc:
            form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("时间节点已保存。"))
        return redirect(self.object.campaign.get_absolute_url())


class CategoriesEditView(WritableCampaignMixin, ObjectFormView):
    model = Campaign
    form_class = CategoriesForm
    read_capability = Capability.EDIT
    title = _("编辑活动类别")

    def get_initial(self) -> dict[str, Any]:
        return {"names": "\n".join(c.name for c in self.object.categories.all())}

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["versioned"] = self.object
        return kwargs

    def form_valid(self, form: CategoriesForm) -> HttpResponse:
        try:
            services.categories_set(
                campaign=self.object,
                version=form.expected_version,
                names=form.cleaned_data["names"],
            )
        except ValidationError as exc:
            form.add_error(None if exc.code == "stale" else "names", exc)
            return self.form_invalid(form)
        messages.success(self.request, _("活动类别已保存。"))
        return redirect(self.object.get_absolute_url())
