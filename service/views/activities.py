"""The activity log: activities, hours per participant, photos, export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, TemplateView
from django.views.generic.detail import SingleObjectMixin

from campaigns.selectors import readable_campaigns
from service import exports, selectors, services
from service.forms import (
    ActivityForm,
    ParticipationHoursForm,
)
from service.models import (
    Activity,
    ActivityPhoto,
    ServiceTeam,
)
from unionvol.keyset import KeysetViewMixin
from unionvol.objectviews import ObjectFormView, form_errors
from unionvol.params import int_param, year_param
from unionvol.scoping import (
    Capability,
    ScopedViewMixin,
    has_capability,
)


def _crumbs(*extra: tuple[Any, str | None]) -> list[tuple[Any, str | None]]:
    return list(extra)


class ActivityListView(KeysetViewMixin, ScopedViewMixin, TemplateView):
    """The service log, newest first, by keyset (a province holds 100,000 activities)."""

    model = Activity
    template_name = "service/activity_list.html"
    per_page = 50

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        g = self.request.GET
        rows = selectors.activity_rows(
            user=self.request.user,
            team_id=int_param(g.get("team")),
            campaign_id=int_param(g.get("campaign")),
            year=year_param(g.get("year")),
            featured=True if g.get("featured") == "1" else None,
        )
        page = self.keyset_page(rows, selectors.ACTIVITY_ORDER)
        ctx["page"] = page
        ctx["object_list"] = selectors.with_activity_counts(page.object_list)
        ctx["campaigns"] = readable_campaigns(user=self.request.user).only("pk", "doc_number")
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
            form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("活动已记录。"))
        return redirect(activity.get_absolute_url())


class ActivityDetailView(ScopedViewMixin, DetailView):
    model = Activity
    template_name = "service/activity_detail.html"
    context_object_name = "activity"

    def get_queryset(self) -> QuerySet[Activity]:
        return selectors.activity_list(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["participations"] = selectors.activity_participations(activity=self.object)
        ctx["photos"] = list(self.object.photos.all())
        ctx["can_edit"] = has_capability(self.request.user, Capability.EDIT)
        ctx["breadcrumbs"] = _crumbs(
            (_("志愿服务日志"), "/service/activities/"), (str(self.object), None)
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
            form_errors(form, exc)
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
        kwargs["versioned"] = self.object
        return kwargs

    def form_valid(self, form: ParticipationHoursForm) -> HttpResponse:
        try:
            services.participation_hours_set(
                activity=self.object, version=form.expected_version, hours=form.hours_by_id()
            )
        except ValidationError as exc:
            form_errors(form, exc)
            return self.form_invalid(form)
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
