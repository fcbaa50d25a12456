from __future__ import annotations

import contextlib
import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, FormView, ListView, TemplateView
from django.views.generic.detail import SingleObjectMixin

from campaigns.models import Campaign
from unions.models import Union
from unionvol import ratelimit
from unionvol.audit import audit
from unionvol.capabilities import Capability
from unionvol.jobs import job_create
from unionvol.models import AuditAction
from unionvol.panels import panels_for
from unionvol.params import int_param
from unionvol.scoping import ScopedViewMixin, has_capability, public_view, union_of
from volunteers import selectors, services
from volunteers.exports import build_sheet, may_see_full_ids, roster_volunteers
from volunteers.filters import RosterFilter
from volunteers.forms import (
    BulkApproveForm,
    DecisionForm,
    ImportUploadForm,
    PublicApplyForm,
    QuotaFormSet,
    SearchIdForm,
    VolunteerForm,
)
from volunteers.imports import HAS_ERRORS, commit_roster, read_roster
from volunteers.jobs import KIND_ROSTER
from volunteers.models import QuotaAllocation, Volunteer, VolunteerStatus

APPLY_LIMIT = 5  # public applications per IP address
APPLY_WINDOW = 3600  # seconds
IMPORT_DIR = "imports"
IMPORT_MAX_AGE = 24 * 3600  # seconds


def roster_crumbs(*extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("志愿者"), reverse("volunteers:roster")), *extra]


# --- roster ---------------------------------------------------------------------
class RosterView(ScopedViewMixin, ListView):
    model = Volunteer
    template_name = "volunteers/roster.html"
    paginate_by = 50
    context_object_name = "volunteers"

    def get_queryset(self) -> QuerySet[Volunteer]:
        base = selectors.volunteer_list(user=self.request.user)
        self.filterset = RosterFilter(
            self.request.GET or None, queryset=base, user=self.request.user
        )
        if self.filterset.is_bound and not self.filterset.is_valid():
            return base.none()
        qs = self.filterset.qs
        if not self.request.GET.get("sort"):
            qs = qs.order_by("-registered_at", "-pk")
        return qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["filter"] = self.filterset
        ctx["search_form"] = SearchIdForm()
        ctx["can_edit"] = has_capability(user, Capability.EDIT)
        ctx["can_export"] = has_capability(user, Capability.EXPORT)
        ctx["can_review"] = has_capability(user, Capability.REVIEW)
        ctx["recruiting"] = list(selectors.recruiting_campaigns(user=user)[:5])
        ctx["breadcrumbs"] = [(_("志愿者"), None)]
        return ctx


class SearchIdView(ScopedViewMixin, View):
    """Find a volunteer by full ID number: POST only, so the number is never in a URL."""

    model = Volunteer
    http_method_names = ["post"]
    write_capability = Capability.VIEW

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SearchIdForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请输入身份证号码。"))
            return redirect("volunteers:roster")
        found = (
            Volunteer.objects.visible_to(request.user)
            .filter(id_number=form.cleaned_data["id_number"])
            .first()
        )
        audit(
            user=request.user,
            action=AuditAction.SEARCH_ID,
            target=found,
            what="" if found else "volunteers.Volunteer",
            rows=1 if found else 0,
        )
        if found is None:
            messages.warning(request, _("在您的管理范围内没有找到该身份证号码。"))
            return redirect("volunteers:roster")
        return redirect(found)


# --- one volunteer ----------------------------------------------------------------
class VolunteerDetailView(ScopedViewMixin, DetailView):
    model = Volunteer
    template_name = "volunteers/detail.html"
    context_object_name = "volunteer"

    def get_queryset(self) -> QuerySet[Volunteer]:
        return selectors.volunteer_list(user=self.request.user).select_related(
            "created_by", "campaign__issuer"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        volunteer: Volunteer = self.object
        trail = selectors.approval_trail(volunteer=volunteer)
        full = may_see_full_ids(user)
        if full:
            audit(user=user, action=AuditAction.VIEW_FULL_ID, target=volunteer)
        ctx["id_display"] = volunteer.id_number if full else volunteer.masked_id
        ctx["trail"] = trail
        step = trail.current_step
        ctx["can_decide"] = step is not None and services.can_decide(
            user=user, step=step, volunteer=volunteer
        )
        ctx["decision_form"] = DecisionForm()
        # The apps above (the service record) add their sections without being imported here.
        ctx["side_panels"] = panels_for("volunteer_side", self.request, volunteer)
        ctx["can_edit"] = has_capability(user, Capability.EDIT)
        ctx["can_export"] = has_capability(user, Capability.EXPORT)
        ctx["breadcrumbs"] = roster_crumbs((volunteer.name, None))
        return ctx


class VolunteerCreateView(ScopedViewMixin, FormView):
    model = Volunteer
    read_capability = Capability.EDIT
    write_capability = Capability.EDIT
    template_name = "volunteers/form.html"
    form_class = VolunteerForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs["initial"] = {"union": union_of(self.request.user)}
        return kwargs

    def form_valid(self, form: VolunteerForm) -> HttpResponse:
        try:
            volunteer = services.volunteer_register(
                union=form.cleaned_data["union"],
                campaign=form.cleaned_data.get("campaign"),
                data=form.service_data(),
                by=self.request.user,
            )
        except ValidationError as exc:
            form.add_service_error(exc)
            self.duplicate_of = getattr(exc, "existing", None)
            return self.form_invalid(form)
        messages.success(
            self.request, _("已登记「%(name)s」，等待审批。") % {"name": volunteer.name}
        )
        return redirect(volunteer)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("登记志愿者")
        ctx["duplicate_of"] = getattr(self, "duplicate_of", None)
        ctx["breadcrumbs"] = roster_crumbs((_("登记志愿者"), None))
        return ctx


class VolunteerUpdateView(ScopedViewMixin, SingleObjectMixin, FormView):
    model = Volunteer
    read_capability = Capability.EDIT
    write_capability = Capability.EDIT
    template_name = "volunteers/form.html"
    form_class = VolunteerForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            self.object = self.get_object(
                Volunteer.objects.visible_to(request.user).select_related("union")
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, instance=self.object)
        return kwargs

    def form_valid(self, form: VolunteerForm) -> HttpResponse:
        try:
            volunteer = services.volunteer_update(
                volunteer=self.object,
                data=form.service_data(),
                by=self.request.user,
                version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            form.add_service_error(exc)
            self.duplicate_of = getattr(exc, "existing", None)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存。"))
        return redirect(volunteer)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("编辑登记表：%(name)s") % {"name": self.object.name}
        ctx["duplicate_of"] = getattr(self, "duplicate_of", None)
        ctx["breadcrumbs"] = roster_crumbs(
            (self.object.name, self.object.get_absolute_url()), (_("编辑"), None)
        )
        return ctx


class _ObjectActionView(ScopedViewMixin, SingleObjectMixin, View):
    """POST-only action on one volunteer: 404 outside the scope (whatever the method),
    403 without the capability."""

    model = Volunteer
    http_method_names = ["post"]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            self.object = self.get_object(
                Volunteer.objects.visible_to(request.user).select_related("union")
            )
        return super().dispatch(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            self.act(request, self.object)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect(self.object)

    def act(self, request: HttpRequest, volunteer: Volunteer) -> None:  # pragma: no cover
        raise NotImplementedError


class VolunteerResubmitView(_ObjectActionView):
    write_capability = Capability.EDIT

    def act(self, request: HttpRequest, volunteer: Volunteer) -> None:
        services.volunteer_resubmit(volunteer=volunteer, by=request.user)
        messages.success(request, _("已重新提交，进入新一轮审批。"))


class VolunteerReviewView(_ObjectActionView):
    write_capability = Capability.REVIEW

    def act(self, request: HttpRequest, volunteer: Volunteer) -> None:
        form = DecisionForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("请选择审批结果。"))
        step = services.approval_decide(
            volunteer=volunteer,
            by=request.user,
            decision=form.cleaned_data["decision"],
            opinion=form.cleaned_data["opinion"],
        )
        messages.success(
            request,
            _("已提交审批意见：%(decision)s。") % {"decision": step.get_decision_display()},
        )


class RegistrationPrintView(VolunteerDetailView):
    """The 登记表 as a printable page (A4)."""

    template_name = "volunteers/print.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["boxes"] = selectors.opinion_boxes(trail=ctx["trail"])
        return ctx


class RegistrationSheetView(ScopedViewMixin, DetailView):
    model = Volunteer
    read_capability = Capability.EXPORT
    http_method_names = ["get"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        volunteer = self.get_object(
            selectors.volunteer_list(user=request.user).select_related("campaign__issuer")
        )
        sheet, wb = build_sheet("registration", user=request.user, volunteer=volunteer)
        return wb.response(sheet.filename())


# --- approval inbox -----------------------------------------------------------------
class InboxView(ScopedViewMixin, TemplateView):
    model = Volunteer
    read_capability = Capability.REVIEW
    write_capability = Capability.REVIEW
    template_name = "volunteers/inbox.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        steps = selectors.inbox_steps(user=self.request.user)
        ctx["steps"] = steps[:500]
        ctx["count"] = len(ctx["steps"])
        ctx["form"] = BulkApproveForm()
        ctx["breadcrumbs"] = roster_crumbs((_("待我审批"), None))
        return ctx

    def post(self, request: HttpRequest) -> HttpResponse:
        form = BulkApproveForm(request.POST)
        ids = [i for i in map(int_param, request.POST.getlist("volunteer")) if i is not None]
        if not ids or not form.is_valid():
            messages.error(request, _("请至少选择一条登记。"))
            return redirect("volunteers:inbox")
        volunteers = list(
            Volunteer.objects.visible_to(request.user).filter(pk__in=ids).order_by("pk")
        )
        done, errors = services.approval_bulk_approve(
            volunteers=volunteers, by=request.user, opinion=form.cleaned_data["opinion"]
        )
        if done:
            messages.success(request, _("已批量同意 %(n)s 条登记。") % {"n": done})
        for error in errors:
            messages.error(request, error)
        return redirect("volunteers:inbox")


# --- quotas -------------------------------------------------------------------------
class QuotaView(ScopedViewMixin, DetailView):
    model = Campaign
    template_name = "volunteers/quotas.html"
    context_object_name = "campaign"

    def get_queryset(self) -> QuerySet[Campaign]:
        return Campaign.objects.visible_to(self.request.user).select_related("issuer")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["table"] = selectors.quota_table(campaign=self.object, user=self.request.user)
        ctx["can_export"] = has_capability(self.request.user, Capability.EXPORT)
        ctx["can_allocate"] = services.can_allocate_quotas(
            user=self.request.user, campaign=self.object
        )
        ctx["breadcrumbs"] = roster_crumbs((_("名额分配表"), None))
        return ctx


class QuotaEditView(ScopedViewMixin, DetailView):
    """The issuer allocates quotas: the whole table is saved at once, or not at all."""

    model = Campaign
    template_name = "volunteers/quota_edit.html"
    context_object_name = "campaign"

    def get_queryset(self) -> QuerySet[Campaign]:
        return Campaign.objects.visible_to(self.request.user).select_related("issuer")

    def get_object(self, queryset: QuerySet[Campaign] | None = None) -> Campaign:
        campaign = super().get_object(queryset)
        if not services.can_allocate_quotas(user=self.request.user, campaign=campaign):
            raise PermissionDenied
        return campaign

    def formset(self, data: Any = None) -> Any:
        campaign = self.object
        unions = (
            Union.objects.visible_to(self.request.user)
            .within(campaign.issuer)
            .exclude(pk=campaign.issuer_id)
            .filter(is_active=True)
        )
        allocations = list(
            QuotaAllocation.objects.filter(campaign=campaign)
            .select_related("union")
            .order_by("order", "pk")
        )
        initial = [
            {
                "allocation": a.pk,
                "version": a.version,
                "union": a.union,
                "quota": a.quota,
                "note": a.note,
            }
            for a in allocations
        ]
        formset = QuotaFormSet(data=data, initial=initial, form_kwargs={"unions": unions})
        formset.allocations = {a.pk: a for a in allocations}
        return formset

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("formset", self.formset())
        ctx["breadcrumbs"] = roster_crumbs(
            (_("名额分配表"), reverse("volunteers:quotas", args=[self.object.pk])),
            (_("分配名额"), None),
        )
        return ctx

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = campaign = self.get_object()
        formset = self.formset(request.POST)
        if not formset.is_valid():
            return self.render_to_response(self.get_context_data(formset=formset), status=400)
        rows = []
        for form in formset.forms:
            data = form.cleaned_data
            if not data or (data.get("union") is None and not data.get("allocation")):
                continue
            allocation = formset.allocations.get(data.get("allocation") or 0)
            rows.append(
                {
                    "allocation": allocation,
                    "version": data.get("version"),
                    "union": data.get("union") or (allocation.union if allocation else None),
                    "quota": data.get("quota") or 0,
                    "note": data.get("note") or "",
                    "delete": bool(data.get("DELETE")),
                }
            )
        try:
            services.quota_save(campaign=campaign, user=request.user, rows=rows)
        except ValidationError as exc:
            for message in exc.messages:
                formset._non_form_errors = formset.error_class(
                    [*formset.non_form_errors(), message]
                )
            return self.render_to_response(self.get_context_data(formset=formset), status=409)
        messages.success(request, _("名额分配表已保存。"))
        return redirect("volunteers:quotas", campaign.pk)


class QuotaSheetView(QuotaView):
    read_capability = Capability.EXPORT
    http_method_names = ["get"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        campaign = self.get_object()
        sheet, wb = build_sheet("quota", user=request.user, campaign=campaign)
        return wb.response(sheet.filename())


ROSTER_INLINE_LIMIT = 5000


class RosterSheetView(ScopedViewMixin, View):
    """花名册 of a union subtree (approved volunteers; ?union=…&campaign=…)."""

    model = Volunteer
    read_capability = Capability.EXPORT
    http_method_names = ["get"]

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        union = union_of(user)
        if (union_id := int_param(request.GET.get("union"))) is not None:
            union = Union.objects.visible_to(user).filter(pk=union_id).first()
        if union is None:
            raise Http404
        campaign = None
        if (campaign_id := int_param(request.GET.get("campaign"))) is not None:
            campaign = Campaign.objects.visible_to(user).filter(pk=campaign_id).first()
        volunteers = roster_volunteers(user=user, union=union, statuses=[VolunteerStatus.APPROVED])
        if campaign is not None:
            volunteers = volunteers.filter(campaign=campaign)
        if volunteers.count() > ROSTER_INLINE_LIMIT:
            # A big roster is built by the export worker (run_export_jobs), not by this web
            # worker; the job page shows progress and offers the file from any app server.
            job = job_create(
                user=user,
                kind=KIND_ROSTER,
                union=union,
                params={"union_id": union.pk, "campaign_id": campaign.pk if campaign else None},
            )
            return redirect(job.get_absolute_url())
        sheet, wb = build_sheet("roster", user=user, union=union, volunteers=volunteers)
        return wb.response(sheet.filename())


# --- import -------------------------------------------------------------------------
def _remove_stale_imports(folder: Path) -> None:
    """Previews abandoned for a day are deleted (their files hold personal data)."""
    cutoff = time.time() - IMPORT_MAX_AGE
    for stale in folder.glob("*.xlsx"):
        with contextlib.suppress(OSError):
            if stale.stat().st_mtime < cutoff:
                stale.unlink()


def _import_path(user: Any, token: str) -> Path:
    if not token.isalnum() or len(token) != 32:
        raise Http404
    return Path(settings.MEDIA_ROOT) / IMPORT_DIR / f"{user.pk}-{token}.xlsx"


class ImportView(ScopedViewMixin, FormView):
    """Upload → preview (nothing written) → confirm (one transaction)."""

    model = Volunteer
    read_capability = Capability.EDIT
    write_capability = Capability.EDIT
    template_name = "volunteers/import.html"
    form_class = ImportUploadForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs["initial"] = {"union": union_of(self.request.user)}
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["breadcrumbs"] = roster_crumbs((_("导入花名册"), None))
        return ctx

    def form_valid(self, form: ImportUploadForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        union = form.cleaned_data["union"]
        campaign = form.cleaned_data.get("campaign")
        try:
            report = read_roster(upload, union=union, campaign=campaign, user=self.request.user)
        except ValidationError as exc:
            form.add_error("file", exc)
            return self.form_invalid(form)
        token = secrets.token_hex(16)
        path = _import_path(self.request.user, token)
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_imports(path.parent)
        upload.seek(0)
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        return render(
            self.request,
            "volunteers/import_preview.html",
            {
                "report": report,
                "token": token,
                "union": union,
                "campaign": campaign,
                "breadcrumbs": roster_crumbs((_("导入花名册"), None)),
            },
        )


class ImportConfirmView(ScopedViewMixin, View):
    model = Volunteer
    http_method_names = ["post"]
    write_capability = Capability.EDIT

    def post(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        path = _import_path(user, request.POST.get("token", ""))
        union = Union.objects.visible_to(user).filter(pk=request.POST.get("union") or 0).first()
        campaign = None
        if request.POST.get("campaign"):
            campaign = (
                selectors.recruiting_campaigns(user=user)
                .filter(pk=request.POST["campaign"])
                .first()
            )
        if union is None or not path.exists():
            messages.error(request, _("导入文件已失效，请重新上传。"))
            return redirect("volunteers:import")
        try:
            with path.open("rb") as fileobj:  # re-validated: the data may have changed
                report = read_roster(fileobj, union=union, campaign=campaign, user=user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("volunteers:import")
        try:
            commit_roster(report, union=union, campaign=campaign, by=user)
        except ValidationError as exc:
            if not report.ok:
                messages.error(request, str(HAS_ERRORS))
                return render(
                    request,
                    "volunteers/import_preview.html",
                    {
                        "report": report,
                        "token": request.POST["token"],
                        "union": union,
                        "campaign": campaign,
                        "breadcrumbs": roster_crumbs((_("导入花名册"), None)),
                    },
                )
            for message in exc.messages:
                messages.error(request, message)
            return redirect("volunteers:import")
        path.unlink(missing_ok=True)
        messages.success(
            request,
            _("导入完成：新增 %(c)s 人，更新 %(u)s 人。")
            % {"c": len(report.creates), "u": len(report.updates)},
        )
        return redirect(reverse("volunteers:roster") + f"?union={union.pk}")


# --- public application ------------------------------------------------------------
def _union_matches(term: str) -> QuerySet[Union]:
    term = term.strip()
    if len(term) < 2:
        return Union.objects.none()
    return Union.objects.filter(is_active=True, name__icontains=term).order_by("path")[:20]


@never_cache
@public_view
def apply(request: HttpRequest) -> HttpResponse:
    """A member of the public applies to join (no login); rate-limited per IP address."""
    term = request.GET.get("q", "")
    matches: list[Union] = list(_union_matches(term))
    if request.method == "POST":
        allowed = ratelimit.hit(
            request, scope="volunteers-apply", limit=APPLY_LIMIT, window=APPLY_WINDOW
        )
        chosen = Union.objects.filter(is_active=True, pk=request.POST.get("union") or 0).first()
        form = PublicApplyForm(
            request.POST, union_matches=[*matches, *([chosen] if chosen else [])]
        )
        if not allowed:
            form.is_valid()
            form.add_error(
                None,
                _("提交过于频繁：同一网络每小时最多提交 %(n)s 次报名，请稍后再试。")
                % {"n": APPLY_LIMIT},
            )
            return render(request, "volunteers/apply.html", {"form": form, "q": term}, status=429)
        if form.is_valid():
            union = form.cleaned_data["union"]
            try:
                services.volunteer_register(
                    union=union,
                    campaign=selectors.recruiting_campaign_for(union=union),
                    data=form.service_data(),
                    by=None,
                    self_applied=True,
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                return redirect("volunteers:apply_done")
    else:
        initial = {"union": matches[0].pk} if len(matches) == 1 else {}
        form = PublicApplyForm(union_matches=matches, initial=initial)
    return render(request, "volunteers/apply.html", {"form": form, "q": term, "matches": matches})


@require_GET
def apply_done(request: HttpRequest) -> HttpResponse:
    return render(request, "volunteers/apply_done.html")


@require_GET
def union_search(request: HttpRequest) -> JsonResponse:
    """Names of active unions matching ?q= (for the public page's search box)."""
    matches = _union_matches(request.GET.get("q", ""))
    return JsonResponse({"results": [{"id": u.pk, "name": u.name} for u in matches]})
