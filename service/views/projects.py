"""Service projects: proposal, approval, state changes, export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from service import exports, selectors, services
from service.forms import (
    ProjectForm,
)
from service.models import (
    ProjectStatus,
    ServiceProject,
    ServiceTeam,
)
from unionvol.keyset import KeysetViewMixin
from unionvol.objectviews import ObjectActionView, ObjectFormView, form_errors
from unionvol.params import int_param
from unionvol.scoping import (
    Capability,
    ScopedViewMixin,
    has_capability,
    is_operator,
    union_of,
)


def _crumbs(*extra: tuple[Any, str | None]) -> list[tuple[Any, str | None]]:
    return list(extra)


class ProjectListView(KeysetViewMixin, ScopedViewMixin, TemplateView):
    """Projects, newest first, by keyset; totals for the page's projects only."""

    model = ServiceProject
    template_name = "service/project_list.html"
    per_page = 50

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        status = self.request.GET.get("status", "")
        rows = selectors.project_rows(
            user=user,
            status=status if status in ProjectStatus.values else "",
            campaign_id=int_param(self.request.GET.get("campaign")),
        )
        page = self.keyset_page(rows, selectors.PROJECT_ORDER)
        ctx.update(
            {
                "page": page,
                "object_list": selectors.with_project_totals(page.object_list, user=user),
                "statuses": ProjectStatus.choices,
                "status": status,
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
    template_name = "unionvol/object_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["teams"] = selectors.team_choices(user=self.request.user)
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
            form_errors(form, exc)
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
            (_("志愿服务项目"), "/service/projects/"), (ctx["title"], None)
        )
        return ctx


class ProjectDetailView(ScopedViewMixin, DetailView):
    model = ServiceProject
    template_name = "service/project_detail.html"
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
            and (is_operator(user) or (own is not None and own.pk != project.proposed_by_id))
        )
        ctx["breadcrumbs"] = _crumbs(
            (_("志愿服务项目"), "/service/projects/"), (project.name, None)
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
            form_errors(form, exc)
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
