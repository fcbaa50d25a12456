"""Service teams: list, form, members, roster export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, FormView, TemplateView

from campaigns.models import CampaignStatus
from campaigns.selectors import readable_campaigns
from service import exports, selectors, services, widgets
from service.forms import (
    TeamForm,
    TeamMembersForm,
)
from service.models import (
    ServiceTeam,
)
from unions.models import Union
from unionvol.keyset import KeysetViewMixin
from unionvol.objectviews import ObjectFormView, form_errors
from unionvol.params import int_param, year_param
from unionvol.scoping import (
    Capability,
    ScopedViewMixin,
    has_capability,
    union_of,
)


def _crumbs(*extra: tuple[Any, str | None]) -> list[tuple[Any, str | None]]:
    return list(extra)


def _team_form_kwargs(user: Any) -> dict[str, Any]:
    return {
        "campaigns": readable_campaigns(user=user).filter(status=CampaignStatus.PUBLISHED),
        "unions": Union.objects.visible_to(user).filter(is_active=True),
        "teams": ServiceTeam.objects.visible_to(user).select_related("union"),
        "user": user,
    }


class TeamListView(KeysetViewMixin, ScopedViewMixin, TemplateView):
    """Teams in tree order by keyset; member counts for the page's teams only."""

    model = ServiceTeam
    template_name = "service/team_list.html"
    per_page = 50

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        campaign_id = int_param(self.request.GET.get("campaign"))
        year = year_param(self.request.GET.get("year")) or timezone.localdate().year
        page = self.keyset_page(
            selectors.team_rows(user=user, campaign_id=campaign_id), selectors.TEAM_ORDER
        )
        teams = selectors.with_team_counts(page.object_list)
        ctx.update(
            {
                "page": page,
                "object_list": teams,
                "teams": selectors.team_flags(teams=teams, user=user, year=year),
                "year": year,
                "campaigns": readable_campaigns(user=user).only("pk", "doc_number"),
                "campaign_id": campaign_id,
                "can_edit": has_capability(user, Capability.EDIT),
                "can_export": has_capability(user, Capability.EXPORT),
                "breadcrumbs": _crumbs((_("志愿服务队"), None)),
            }
        )
        return ctx


class TeamCreateView(ScopedViewMixin, FormView):
    model = ServiceTeam
    read_capability = Capability.EDIT
    form_class = TeamForm
    template_name = "unionvol/object_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(_team_form_kwargs(self.request.user))
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return {
            "campaign": int_param(self.request.GET.get("campaign")),
            "union": union_of(self.request.user),
        }

    def form_valid(self, form: TeamForm) -> HttpResponse:
        data = dict(form.cleaned_data)
        try:
            team = services.team_create(
                union=data.pop("union"),
                campaign=data.pop("campaign"),
                user=self.request.user,
                **data,
            )
        except ValidationError as exc:
            form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("服务队已建立，请选择队员。"))
        return redirect("service:team_members", pk=team.pk)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("组建志愿服务队")
        ctx["breadcrumbs"] = _crumbs((_("志愿服务队"), "/service/teams/"), (ctx["title"], None))
        return ctx


class TeamDetailView(ScopedViewMixin, DetailView):
    model = ServiceTeam
    template_name = "service/team_detail.html"
    context_object_name = "team"

    def get_queryset(self) -> QuerySet[ServiceTeam]:
        return super().get_queryset().select_related("union", "campaign", "parent")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx.update(selectors.team_detail(team=self.object))
        ctx["can_edit"] = has_capability(user, Capability.EDIT)
        ctx["breadcrumbs"] = _crumbs((_("志愿服务队"), "/service/teams/"), (self.object.name, None))
        return ctx


class TeamEditView(ObjectFormView):
    model = ServiceTeam
    form_class = TeamForm
    read_capability = Capability.EDIT
    title = _("编辑服务队")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(_team_form_kwargs(self.request.user))
        kwargs["teams"] = kwargs["teams"].filter(campaign=self.object.campaign)
        kwargs["instance"] = self.object
        return kwargs

    def form_valid(self, form: TeamForm) -> HttpResponse:
        try:
            services.team_update(team=self.object, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("服务队已保存。"))
        return redirect(self.object.get_absolute_url())


class TeamMembersView(ObjectFormView):
    model = ServiceTeam
    form_class = TeamMembersForm
    read_capability = Capability.EDIT
    template_name = "service/team_members.html"
    title = _("选择队员")

    def get_queryset(self) -> QuerySet[ServiceTeam]:
        return super().get_queryset().select_related("union", "campaign")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        team: ServiceTeam = self.object
        kwargs["candidates"] = selectors.member_candidates(team=team, user=self.request.user)
        kwargs["search_url"] = reverse("service:team_candidates", args=[team.pk])
        kwargs["members"] = list(team.members.all())
        kwargs["versioned"] = team
        return kwargs

    def form_valid(self, form: TeamMembersForm) -> HttpResponse:
        team: ServiceTeam = self.object
        try:
            services.team_set_members(team=team, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
            return self.form_invalid(form)
        detail = selectors.team_detail(team=team)
        composition = detail["composition"]
        if composition.ok:
            messages.success(self.request, _("队员已保存。"))
        else:
            messages.warning(
                self.request,
                _("队员已保存，但不符合通知的组队要求：%(flags)s")
                % {"flags": "；".join(composition.flags)},
            )
        return redirect(team.get_absolute_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["team"] = self.object
        ctx["rule"] = self.object.campaign
        ctx["picker_limit"] = widgets.PICKER_LIMIT
        return ctx


@login_required
@require_GET
def team_search(request: HttpRequest) -> JsonResponse:
    """``?q=``: the team picker's search — teams of the user's scope by name."""
    found, more = selectors.search_teams(user=request.user, term=request.GET.get("q", ""))
    results = [{"id": t.pk, "label": selectors.team_label(t)} for t in found]
    return JsonResponse({"results": results, "more": more})


class TeamCandidatesView(ScopedViewMixin, DetailView):
    """``?q=``: the member form's search — candidates of the team by name or phone, as
    ``{"results": [{"id", "label"}], "more"}`` (404 outside the scope, 403 without EDIT)."""

    model = ServiceTeam
    read_capability = Capability.EDIT

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        team = self.get_object()
        found, more = selectors.search_candidates(
            team=team, user=request.user, term=request.GET.get("q", "")
        )
        results = [{"id": v.pk, "label": selectors.candidate_label(v)} for v in found]
        return JsonResponse({"results": results, "more": more})


class TeamRosterExportView(ScopedViewMixin, View):
    model = ServiceTeam
    read_capability = Capability.EXPORT

    def get(self, request: HttpRequest) -> HttpResponse:
        return exports.team_roster(
            user=request.user, campaign_id=int_param(request.GET.get("campaign"))
        )
