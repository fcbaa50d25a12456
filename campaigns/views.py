"""Views of the campaigns app. Thin: scope through ScopedViewMixin and selectors, write
through services, turn a ValidationError into form errors or a message."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView
from django.views.generic.detail import SingleObjectMixin

from campaigns import exports, selectors, services
from campaigns.forms import (
    ActivityForm,
    CampaignFilterForm,
    CampaignForm,
    CategoriesForm,
    CertificateForm,
    MilestoneForm,
    ParticipationHoursForm,
    ProjectForm,
    TeamForm,
    TeamMembersForm,
)
from campaigns.models import (
    Activity,
    ActivityPhoto,
    Campaign,
    CampaignStatus,
    Certificate,
    Milestone,
    ProjectStatus,
    ServiceProject,
    ServiceTeam,
)
from campaigns.pdf import certificate_pdf
from unions.models import Union
from unionvol.audit import audit
from unionvol.models import AuditAction
from unionvol.params import int_param, year_param
from unionvol.scoping import (
    Capability,
    ScopedViewMixin,
    has_capability,
    union_of,
)
from volunteers.models import Volunteer
from volunteers.selectors import visible_quota_allocations

DETAIL_TEAMS = 50  # teams listed on a notice's page; the team list pages the rest


def _crumbs(*extra: tuple[Any, str | None]) -> list[tuple[Any, str | None]]:
    return [(_("活动通知"), "/campaigns/"), *extra]


def _form_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class ObjectFormView(ScopedViewMixin, SingleObjectMixin, FormView):
    """A form about one scoped object (the URL's pk): 404 outside scope, 403 without capability."""

    template_name = "campaigns/form.html"
    title = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = self.title
        ctx["breadcrumbs"] = self.crumbs()
        return ctx

    def crumbs(self) -> list[tuple[Any, str | None]]:
        return _crumbs((str(self.object), self.object.get_absolute_url()), (self.title, None))


class ObjectActionView(ScopedViewMixin, SingleObjectMixin, View):
    """A state change on one scoped object, by POST; a GET (404 outside the scope)
    just leads back to the object."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return redirect(self.get_object().get_absolute_url())

    def act(self, obj: Any) -> None:
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        try:
            self.act(obj)
        except ValidationError as exc:
            for msg in exc.messages:
                messages.error(request, msg)
        else:
            messages.success(request, self.done_message)
        return redirect(obj.get_absolute_url())

    done_message = ""


# --- campaigns -------------------------------------------------------------------------------


class CampaignListView(ScopedViewMixin, ListView):
    model = Campaign
    template_name = "campaigns/list.html"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[Campaign]:
        self.filter_form = CampaignFilterForm(
            self.request.GET or None, years=selectors.campaign_years(user=self.request.user)
        )
        data = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        return selectors.campaign_list(
            user=self.request.user,
            kind=data.get("kind") or "",
            status=data.get("status") or "",
            year=data.get("year"),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["filter_form"] = self.filter_form
        ctx["can_create"] = has_capability(self.request.user, Capability.EDIT)
        ctx["breadcrumbs"] = [(_("活动通知"), None)]
        return ctx


class CampaignDetailView(ScopedViewMixin, DetailView):
    model = Campaign
    template_name = "campaigns/detail.html"

    def get_queryset(self) -> QuerySet[Campaign]:
        return selectors.readable_campaigns(user=self.request.user).select_related(
            "issuer", "created_by"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        campaign: Campaign = self.object
        user = self.request.user
        own = union_of(user)
        is_issuer_staff = user.is_superuser or (own is not None and campaign.issuer.is_within(own))
        year = year_param(self.request.GET.get("year")) or selectors.campaign_flag_year(
            campaign=campaign
        )
        addressees = selectors.campaign_addressees(campaign=campaign, year=year)
        mine = next((a["row"] for a in addressees if own and a["row"].union_id == own.pk), None)
        ctx.update(
            {
                "milestones": list(campaign.milestones.all()),
                "categories": list(campaign.categories.all()),
                "quotas": visible_quota_allocations(campaign=campaign, user=user),
                "addressees": addressees,
                "read_count": sum(1 for a in addressees if a["row"].read_at),
                "flag_year": year,
                "my_addressee": mine,
                "is_issuer_staff": is_issuer_staff,
                "can_edit": is_issuer_staff and has_capability(user, Capability.EDIT),
                "can_read": mine is not None and has_capability(user, Capability.EDIT),
                "can_form_team": campaign.status == CampaignStatus.PUBLISHED
                and has_capability(user, Capability.EDIT),
                "teams": selectors.team_flags(
                    teams=list(
                        selectors.team_queryset(user=user, campaign_id=campaign.pk)[:DETAIL_TEAMS]
                    ),
                    user=user,
                    year=year,
                ),
                "team_count": ServiceTeam.objects.visible_to(user)
                .filter(campaign=campaign)
                .count(),
                "breadcrumbs": _crumbs((campaign.doc_number, None)),
            }
        )
        return ctx


class CampaignCreateView(ScopedViewMixin, FormView):
    model = Campaign
    read_capability = Capability.EDIT
    template_name = "campaigns/form.html"
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
            _form_errors(form, exc)
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
            _form_errors(form, exc)
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
            _form_errors(form, exc)
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
            services.milestone_save(milestone=form.instance)
        except ValidationError as exc:
            _form_errors(form, exc)
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

    def form_valid(self, form: CategoriesForm) -> HttpResponse:
        try:
            services.categories_set(campaign=self.object, names=form.cleaned_data["names"])
        except ValidationError as exc:
            form.add_error("names", exc)
            return self.form_invalid(form)
        messages.success(self.request, _("活动类别已保存。"))
        return redirect(self.object.get_absolute_url())


# --- teams -----------------------------------------------------------------------------------


def _team_form_kwargs(user: Any) -> dict[str, Any]:
    return {
        "campaigns": selectors.readable_campaigns(user=user).filter(
            status=CampaignStatus.PUBLISHED
        ),
        "unions": Union.objects.visible_to(user).filter(is_active=True),
        "teams": ServiceTeam.objects.visible_to(user).select_related("union"),
    }


class TeamListView(ScopedViewMixin, ListView):
    model = ServiceTeam
    template_name = "campaigns/team_list.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[ServiceTeam]:
        return selectors.team_queryset(
            user=self.request.user, campaign_id=int_param(self.request.GET.get("campaign"))
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        campaign_id = int_param(self.request.GET.get("campaign"))
        year = year_param(self.request.GET.get("year")) or timezone.localdate().year
        ctx.update(
            {
                "teams": selectors.team_flags(teams=list(ctx["object_list"]), user=user, year=year),
                "year": year,
                "campaigns": selectors.readable_campaigns(user=user).only("pk", "doc_number"),
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
    template_name = "campaigns/form.html"

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
            _form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("服务队已建立，请选择队员。"))
        return redirect("campaigns:team_members", pk=team.pk)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("组建志愿服务队")
        ctx["breadcrumbs"] = _crumbs((_("志愿服务队"), "/campaigns/teams/"), (ctx["title"], None))
        return ctx


class TeamDetailView(ScopedViewMixin, DetailView):
    model = ServiceTeam
    template_name = "campaigns/team_detail.html"
    context_object_name = "team"

    def get_queryset(self) -> QuerySet[ServiceTeam]:
        return super().get_queryset().select_related("union", "campaign", "parent")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx.update(selectors.team_detail(team=self.object))
        ctx["can_edit"] = has_capability(user, Capability.EDIT)
        ctx["breadcrumbs"] = _crumbs(
            (_("志愿服务队"), "/campaigns/teams/"), (self.object.name, None)
        )
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
            _form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("服务队已保存。"))
        return redirect(self.object.get_absolute_url())


class TeamMembersView(ObjectFormView):
    model = ServiceTeam
    form_class = TeamMembersForm
    read_capability = Capability.EDIT
    template_name = "campaigns/team_members.html"
    title = _("选择队员")

    def get_queryset(self) -> QuerySet[ServiceTeam]:
        return super().get_queryset().select_related("union", "campaign")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        team: ServiceTeam = self.object
        kwargs["candidates"] = (
            Volunteer.objects.visible_to(self.request.user)
            .filter(status="approved", union__path__startswith=team.union.path)
            .select_related("union")
            .order_by("union__path", "name")
        )
        kwargs["members"] = list(team.members.all())
        return kwargs

    def form_valid(self, form: TeamMembersForm) -> HttpResponse:
        team: ServiceTeam = self.object
        try:
            services.team_set_members(team=team, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
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
        return ctx


class TeamRosterExportView(ScopedViewMixin, View):
    model = ServiceTeam
    read_capability = Capability.EXPORT

    def get(self, request: HttpRequest) -> HttpResponse:
        return exports.team_roster(
            user=request.user, campaign_id=int_param(request.GET.get("campaign"))
        )


# --- projects --------------------------------------------------------------------------------


class ProjectListView(ScopedViewMixin, ListView):
    model = ServiceProject
    template_name = "campaigns/project_list.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[ServiceProject]:
        return selectors.project_list(
            user=self.request.user,
            status=self.request.GET.get("status", "")
            if self.request.GET.get("status") in ProjectStatus.values
            else "",
            campaign_id=int_param(self.request.GET.get("campaign")),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx.update(
            {
                "statuses": ProjectStatus.choices,
                "status": self.request.GET.get("status", ""),
                "can_edit": has_capability(user, Capability.EDIT),
                "can_export": has_capability(user, Capability.EXPORT),
                "breadcrumbs": _crumbs((_("志愿服务项目"), None)),
            }
        )
        return ctx


class ProjectCreateView(ScopedViewMixin, FormView):
    model = ServiceProject
    read_capability = Capability.EDIT
    form_class = ProjectForm
    template_name = "campaigns/form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["teams"] = ServiceTeam.objects.visible_to(self.request.user).select_related("union")
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return {
            "team": int_param(self.request.GET.get("team")),
            "period_start": timezone.localdate(),
        }

    def form_valid(self, form: ProjectForm) -> HttpResponse:
        try:
            project = services.project_create(user=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
            return self.form_invalid(form)
        if project.status == ProjectStatus.PROPOSED:
            messages.success(self.request, _("项目已申报，等待上级工会审批。"))
        else:
            messages.success(self.request, _("项目已下达（上级工会直接下达，视为已批准）。"))
        return redirect(project.get_absolute_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("申报志愿服务项目")
        ctx["breadcrumbs"] = _crumbs(
            (_("志愿服务项目"), "/campaigns/projects/"), (ctx["title"], None)
        )
        return ctx


class ProjectDetailView(ScopedViewMixin, DetailView):
    model = ServiceProject
    template_name = "campaigns/project_detail.html"
    context_object_name = "project"

    def get_queryset(self) -> QuerySet[ServiceProject]:
        return (
            super()
            .get_queryset()
            .select_related(
                "team", "team__union", "team__campaign", "proposed_by", "approved_by", "created_by"
            )
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        project: ServiceProject = self.object
        own = union_of(user)
        ctx["activities"] = list(selectors.activity_list(user=user).filter(project=project)[:50])
        ctx["can_edit"] = has_capability(user, Capability.EDIT)
        ctx["can_approve"] = (
            project.status == ProjectStatus.PROPOSED
            and has_capability(user, Capability.REVIEW)
            and (user.is_superuser or (own is not None and own.pk != project.proposed_by_id))
        )
        ctx["breadcrumbs"] = _crumbs(
            (_("志愿服务项目"), "/campaigns/projects/"), (project.name, None)
        )
        return ctx


class ProjectEditView(ObjectFormView):
    model = ServiceProject
    form_class = ProjectForm
    read_capability = Capability.EDIT
    title = _("编辑志愿服务项目")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        kwargs["teams"] = ServiceTeam.objects.none()
        return kwargs

    def form_valid(self, form: ProjectForm) -> HttpResponse:
        try:
            services.project_update(project=self.object, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("项目已保存。"))
        return redirect(self.object.get_absolute_url())


class ProjectApproveView(ObjectActionView):
    model = ServiceProject
    write_capability = Capability.REVIEW
    done_message = _("项目已批准。")

    def act(self, obj: ServiceProject) -> None:
        services.project_approve(project=obj, user=self.request.user)


class ProjectStartView(ObjectActionView):
    model = ServiceProject
    done_message = _("项目已开始实施。")

    def act(self, obj: ServiceProject) -> None:
        services.project_transition(project=obj, action="start")


class ProjectCloseView(ObjectActionView):
    model = ServiceProject
    done_message = _("项目已结项。")

    def act(self, obj: ServiceProject) -> None:
        services.project_transition(project=obj, action="close")


class ProjectExportView(ScopedViewMixin, View):
    model = ServiceProject
    read_capability = Capability.EXPORT

    def get(self, request: HttpRequest) -> HttpResponse:
        return exports.project_list(user=request.user)


# --- activities ------------------------------------------------------------------------------


class ActivityListView(ScopedViewMixin, ListView):
    model = Activity
    template_name = "campaigns/activity_list.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Activity]:
        g = self.request.GET
        return selectors.activity_list(
            user=self.request.user,
            team_id=int_param(g.get("team")),
            campaign_id=int_param(g.get("campaign")),
            year=year_param(g.get("year")),
            featured=True if g.get("featured") == "1" else None,
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        g = self.request.GET
        ctx["campaigns"] = selectors.readable_campaigns(user=self.request.user).only(
            "pk", "doc_number"
        )
        ctx["campaign_id"] = int_param(g.get("campaign"))
        ctx["year"] = year_param(g.get("year")) or ""
        ctx["can_export"] = has_capability(self.request.user, Capability.EXPORT)
        ctx["breadcrumbs"] = _crumbs((_("志愿服务日志"), None))
        return ctx


class ActivityFormMixin:
    """Turns the form's cleaned data into the service's arguments."""

    @staticmethod
    def service_args(form: ActivityForm) -> dict[str, Any]:
        data = dict(form.cleaned_data)
        photos = data.pop("_photos", [])
        for name in ("photo1", "photo2", "photo3"):
            data.pop(name, None)
        people = data.pop("participants") or []
        hours = data.pop("hours")
        return {**data, "photos": photos, "participants": dict.fromkeys(people, hours)}


class ActivityCreateView(ActivityFormMixin, ObjectFormView):
    """Log an activity of the team in the URL."""

    model = ServiceTeam
    form_class = ActivityForm
    read_capability = Capability.EDIT
    title = _("记录志愿服务活动")

    def get_queryset(self) -> QuerySet[ServiceTeam]:
        return super().get_queryset().select_related("campaign", "union")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["team"] = self.object
        kwargs["initial"]["project"] = int_param(self.request.GET.get("project"))
        return kwargs

    def form_valid(self, form: ActivityForm) -> HttpResponse:
        try:
            activity = services.activity_create(
                team=self.object, user=self.request.user, **self.service_args(form)
            )
        except ValidationError as exc:
            _form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("活动已记录。"))
        return redirect(activity.get_absolute_url())


class ActivityDetailView(ScopedViewMixin, DetailView):
    model = Activity
    template_name = "campaigns/activity_detail.html"
    context_object_name = "activity"

    def get_queryset(self) -> QuerySet[Activity]:
        return selectors.activity_list(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["participations"] = selectors.activity_participations(activity=self.object)
        ctx["photos"] = list(self.object.photos.all())
        ctx["can_edit"] = has_capability(self.request.user, Capability.EDIT)
        ctx["breadcrumbs"] = _crumbs(
            (_("志愿服务日志"), "/campaigns/activities/"), (str(self.object), None)
        )
        return ctx


class ActivityEditView(ActivityFormMixin, ObjectFormView):
    model = Activity
    form_class = ActivityForm
    read_capability = Capability.EDIT
    title = _("编辑志愿服务活动")

    def get_queryset(self) -> QuerySet[Activity]:
        return super().get_queryset().select_related("team", "team__campaign")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["team"] = self.object.team
        kwargs["instance"] = self.object
        kwargs["existing_photos"] = self.object.photos.count()
        return kwargs

    def form_valid(self, form: ActivityForm) -> HttpResponse:
        try:
            services.activity_update(activity=self.object, **self.service_args(form))
        except ValidationError as exc:
            _form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("活动已保存。"))
        return redirect(self.object.get_absolute_url())


class ParticipationHoursView(ObjectFormView):
    """Each participant's own hours (someone may have left early)."""

    model = Activity
    form_class = ParticipationHoursForm
    read_capability = Capability.EDIT
    title = _("调整每人服务时长")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["participations"] = list(
            self.object.participations.select_related("volunteer").order_by("volunteer__name")
        )
        return kwargs

    def form_valid(self, form: ParticipationHoursForm) -> HttpResponse:
        services.participation_hours_set(activity=self.object, hours=form.hours_by_id())
        messages.success(self.request, _("服务时长已保存。"))
        return redirect(self.object.get_absolute_url())


class PhotoDeleteView(ScopedViewMixin, SingleObjectMixin, View):
    model = ActivityPhoto

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return redirect(self.get_object().activity.get_absolute_url())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        photo = self.get_object()
        activity = photo.activity
        services.photo_delete(photo=photo)
        messages.success(request, _("图片已删除。"))
        return redirect(activity.get_absolute_url())


class ActivityExportView(ScopedViewMixin, View):
    model = Activity
    read_capability = Capability.EXPORT

    def get(self, request: HttpRequest) -> HttpResponse:
        return exports.activity_log(user=request.user)


# --- hours, ledger, certificates -------------------------------------------------------------


class HoursListView(ScopedViewMixin, ListView):
    model = Volunteer
    template_name = "campaigns/hours_list.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.hours_per_volunteer(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["can_export"] = has_capability(self.request.user, Capability.EXPORT)
        ctx["breadcrumbs"] = _crumbs((_("志愿服务时长"), None))
        return ctx


class HoursExportView(ScopedViewMixin, View):
    model = Volunteer
    read_capability = Capability.EXPORT

    def get(self, request: HttpRequest) -> HttpResponse:
        return exports.hours(user=request.user)


class ServiceView(ScopedViewMixin, DetailView):
    """A volunteer's hours, points and ledger of service records."""

    model = Volunteer
    template_name = "campaigns/service.html"
    context_object_name = "volunteer"

    def get_queryset(self) -> QuerySet[Volunteer]:
        return super().get_queryset().select_related("union")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        records = list(selectors.service_records(user=user, volunteer=self.object))
        ctx.update(
            {
                "records": records,
                "totals": selectors.service_totals(records=records),
                "teams": list(selectors.volunteer_teams(user=user, volunteer=self.object)),
                "certificates": list(
                    selectors.volunteer_certificates(user=user, volunteer=self.object)
                ),
                "can_edit": has_capability(user, Capability.EDIT),
                "can_export": has_capability(user, Capability.EXPORT),
                "breadcrumbs": _crumbs(
                    (_("志愿服务时长"), "/campaigns/service/"), (self.object.name, None)
                ),
            }
        )
        return ctx


class ServiceExportView(ScopedViewMixin, SingleObjectMixin, View):
    model = Volunteer
    read_capability = Capability.EXPORT

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        volunteer = self.get_object()
        return exports.hours(user=request.user, volunteer=volunteer)


class CertificateIssueView(ObjectFormView):
    model = Volunteer
    form_class = CertificateForm
    read_capability = Capability.EDIT
    title = _("出具志愿服务记录证明")

    def crumbs(self) -> list[tuple[Any, str | None]]:
        url = f"/campaigns/service/{self.object.pk}/"
        return _crumbs(
            (_("志愿服务时长"), "/campaigns/service/"), (self.object.name, url), (self.title, None)
        )

    def form_valid(self, form: CertificateForm) -> HttpResponse:
        try:
            cert = services.certificate_issue(
                volunteer=self.object, user=self.request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _form_errors(form, exc)
            return self.form_invalid(form)
        audit(
            user=self.request.user,
            action=AuditAction.EXPORT,
            target=cert,
            rows=len(cert.entries),
            kind="certificate_issued",
        )
        messages.success(self.request, _("证明已出具，编号 %(n)s。") % {"n": cert.number})
        return HttpResponseRedirect(cert.get_absolute_url())


class CertificateDetailView(ScopedViewMixin, DetailView):
    model = Certificate
    template_name = "campaigns/certificate.html"
    context_object_name = "certificate"

    def get_queryset(self) -> QuerySet[Certificate]:
        return super().get_queryset().select_related("volunteer", "volunteer__union", "union")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        c = self.object
        ctx["breadcrumbs"] = _crumbs(
            (_("志愿服务时长"), "/campaigns/service/"),
            (c.volunteer.name, f"/campaigns/service/{c.volunteer_id}/"),
            (c.number, None),
        )
        return ctx


class CertificatePdfView(ScopedViewMixin, SingleObjectMixin, View):
    model = Certificate

    def get_queryset(self) -> QuerySet[Certificate]:
        return super().get_queryset().select_related("volunteer", "volunteer__union", "union")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        cert = self.get_object()
        audit(user=request.user, action=AuditAction.EXPORT, target=cert, kind="certificate_pdf")
        response = HttpResponse(certificate_pdf(cert), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="certificate-{cert.number}.pdf"'
        response["Cache-Control"] = "no-store"
        return response
