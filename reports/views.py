from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from campaigns.models import Campaign, CampaignAddressee
from reports import exports, imports, jobs, selectors, services
from reports.charts import bar_chart
from reports.forms import ExportForm, ImportForm, PhotoForm, ReviewForm
from reports.models import Submission, SubmissionPhoto
from unions.models import Union
from unionvol.audit import audit
from unionvol.jobs import export_filename, job_create, run_job
from unionvol.models import AuditAction, ExportJob
from unionvol.params import int_param
from unionvol.scoping import Capability, ScopedViewMixin, has_capability, union_of
from unionvol.sheets import get_sheet
from volunteers.privacy import may_see_full_ids


class PostOnlyMixin:
    """GET resolves the object first (404 outside the scope), then answers 405."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.get_object()  # type: ignore[attr-defined]
        return HttpResponseNotAllowed(["POST"])


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


class IndexView(ScopedViewMixin, TemplateView):
    model = Submission
    template_name = "reports/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["campaigns"] = selectors.my_campaigns(user).prefetch_related("milestones")[:50]
        union = union_of(user)
        ctx["my_submissions"] = (
            Submission.objects.visible_to(user)
            .filter(union=union)
            .select_related("milestone__campaign")
            .order_by("milestone__due_date")[:100]
            if union
            else []
        )
        ctx["to_review"] = (
            Submission.objects.visible_to(user)
            .filter(status="submitted")
            .exclude(union=union)
            .select_related("milestone__campaign", "union")
            .order_by("submitted_at")[:100]
            if has_capability(user, Capability.REVIEW)
            else []
        )
        ctx["breadcrumbs"] = [(_("报送"), None)]
        return ctx


class CampaignReportsView(ScopedViewMixin, DetailView):
    """A union's milestones of one campaign: opens its submissions on first visit."""

    model = Campaign
    template_name = "reports/campaign.html"
    context_object_name = "campaign"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        campaign = self.object
        user = self.request.user
        union = union_of(user)
        milestones = list(campaign.milestones.order_by("due_date", "pk"))

        def own_submissions() -> dict[int, Submission]:
            return {
                s.milestone_id: s
                for s in Submission.objects.visible_to(user)
                .filter(milestone__campaign=campaign, union=union)
                .select_related("milestone")
            }

        subs = own_submissions()
        missing = [m for m in milestones if m.pk not in subs and services.is_open(m)]
        # First visit of an addressed union: open its submissions, prefilled.
        if missing and union is not None and campaign.addressee_rows.filter(union=union).exists():
            for milestone in missing:
                services.ensure_submissions(milestone=milestone, unions=[union])
            subs = own_submissions()
        ctx["rows"] = [(m, subs.get(m.pk)) for m in milestones]
        ctx["union"] = union
        ctx["breadcrumbs"] = [(_("报送"), "/reports/"), (campaign.doc_number, None)]
        return ctx


class SubmissionView(ScopedViewMixin, DetailView):
    model = Submission
    template_name = "reports/submission.html"
    context_object_name = "submission"

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .select_related("milestone__campaign__issuer", "union", "submitted_by", "reviewed_by")
        )

    def edit_form(self, data: Any = None) -> Any:
        sub = self.object
        form = get_sheet(sub.milestone.form)
        cls = form.form_class(sub.data)
        return cls(data=data, initial=form.initial(sub.data, sub.narrative))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        sub: Submission = self.object
        user = self.request.user
        form = get_sheet(sub.milestone.form)
        shown = sub.versions.order_by("-number").first() if sub.status != "draft" else None
        ctx["report_form"] = form
        if shown is not None and sub.status != "returned":
            ctx["data"] = shown.snapshot
        else:
            ctx["data"] = sub.data | {"narrative": sub.narrative}
        ctx["sheet_html"] = form.render(ctx["data"], submission=sub, request=self.request)
        ctx["figures"] = selectors.figure_items(ctx["data"].get("figures") or {})
        ctx["versions"] = sub.versions.select_related("submitted_by").order_by("-number")
        ctx["reviews"] = sub.reviews.select_related(
            "reviewed_by", "reviewer_union", "version"
        ).order_by("-reviewed_at", "-pk")
        ctx["photos"] = sub.photos.all()
        ctx["can_edit"] = services.can_edit(user, sub)
        ctx["locked"] = services.is_locked(sub)
        ctx["can_review"] = services.can_review(user, sub) and sub.status == "submitted"
        ctx["can_reopen"] = services.is_issuer(user, sub.milestone.campaign) and has_capability(
            user, Capability.REVIEW
        )
        ctx["can_export"] = has_capability(user, Capability.EXPORT)
        ctx.setdefault("edit_form", self.edit_form() if ctx["can_edit"] else None)
        ctx["review_form"] = ReviewForm(initial={"version": sub.version})
        ctx["photo_form"] = PhotoForm()
        ctx["import_form"] = ImportForm()
        ctx["photo_limit"] = form.max_photos or 3
        ctx.setdefault("submit_errors", [])
        ctx["breadcrumbs"] = [
            (_("报送"), "/reports/"),
            (sub.milestone.campaign.doc_number, f"/reports/campaigns/{sub.milestone.campaign_id}/"),
            (str(sub.milestone), None),
        ]
        return ctx

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = sub = self.get_object()
        action = request.POST.get("action", "save")
        try:
            version = int(request.POST.get("version", "0"))
        except ValueError:
            version = 0
        form = self.edit_form(request.POST)
        try:
            if action == "refresh":
                services.submission_refresh(submission=sub, user=request.user, version=version)
                messages.success(request, _("已从记录重新取数，已填写的文字保留。"))
                return redirect(sub)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(edit_form=form))
            sub = services.submission_save(
                submission=sub, user=request.user, version=version, cleaned=form.cleaned_data
            )
            if action == "submit":
                snap = services.submission_submit(
                    submission=sub, user=request.user, version=sub.version
                )
                if snap.days_late:
                    messages.warning(
                        request, _("已报送（逾期 %(days)s 天）。") % {"days": snap.days_late}
                    )
                else:
                    messages.success(request, _("已报送。"))
            else:
                messages.success(request, _("已保存。"))
        except ValidationError as exc:
            self.object.refresh_from_db()
            return self.render_to_response(
                self.get_context_data(edit_form=form, submit_errors=_errors(exc)),
                status=400 if action != "submit" else 200,
            )
        return redirect(sub)


class SubmissionReviewView(PostOnlyMixin, ScopedViewMixin, DetailView):
    model = Submission
    write_capability = Capability.REVIEW

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        sub = self.get_object()
        form = ReviewForm(request.POST)
        accept = request.POST.get("decision") == "accept"
        if not form.is_valid():
            messages.error(request, _("提交的内容无效，请重试。"))
            return redirect(sub)
        try:
            services.submission_review(
                submission=sub,
                user=request.user,
                accept=accept,
                comment=form.cleaned_data["comment"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            for m in _errors(exc):
                messages.error(request, m)
            return redirect(sub)
        messages.success(request, _("已采纳。") if accept else _("已退回。"))
        return redirect(sub)


class SubmissionReopenView(PostOnlyMixin, ScopedViewMixin, DetailView):
    model = Submission
    write_capability = Capability.REVIEW

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        sub = self.get_object()
        services.submission_reopen(submission=sub, user=request.user)
        messages.success(request, _("已重新开放填报。"))
        return redirect(sub)


class SubmissionPhotoView(PostOnlyMixin, ScopedViewMixin, DetailView):
    model = Submission

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        sub = self.get_object()
        form = PhotoForm(request.POST, request.FILES)
        if not form.is_valid():
            for errs in form.errors.values():
                for m in errs:
                    messages.error(request, m)
            return redirect(sub)
        try:
            services.photo_add(submission=sub, user=request.user, upload=form.cleaned_data["image"])
        except ValidationError as exc:
            for m in _errors(exc):
                messages.error(request, m)
            return redirect(sub)
        messages.success(request, _("图片已上传。"))
        return redirect(sub)


class PhotoDeleteView(PostOnlyMixin, ScopedViewMixin, DetailView):
    model = SubmissionPhoto

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        photo = self.get_object()
        sub = photo.submission
        try:
            services.photo_delete(photo=photo, user=request.user)
        except ValidationError as exc:
            for m in _errors(exc):
                messages.error(request, m)
        return redirect(sub)


class SubmissionXlsxView(ScopedViewMixin, DetailView):
    """One union's form in the seed's layout, as its page shows it: the standing report,
    else the draft being written (``exports.working_copy``)."""

    model = Submission
    read_capability = Capability.EXPORT
    write_capability = Capability.EXPORT
    http_method_names = ["get"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        sub = self.get_object()
        form = get_sheet(sub.milestone.form)
        data = exports.working_copy(sub)
        wb = exports.SafeWorkbook()
        full = may_see_full_ids(request.user) and form.has_id_numbers
        form.write(wb, sub.union, data, full_ids=full)
        label = f"{form.sheet_title()}-{sub.union.name}"
        audit(
            user=request.user,
            action=AuditAction.EXPORT,
            target=sub,
            rows=wb.rows_written,
            full_ids=full,
        )
        return wb.response(export_filename(label))


class SubmissionImportView(ScopedViewMixin, DetailView):
    """Upload a filled 情况调度表 / 统计表: preview, row errors, all or nothing."""

    model = Submission
    template_name = "reports/import.html"
    context_object_name = "submission"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", ImportForm())
        ctx["breadcrumbs"] = [
            (_("报送"), "/reports/"),
            (str(self.object.milestone), self.object.get_absolute_url()),
            (_("导入 Excel"), None),
        ]
        return ctx

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = sub = self.get_object()
        if not services.can_edit(request.user, sub):
            messages.error(request, str(services.NOT_EDITABLE))
            return redirect(sub)
        if request.POST.get("confirm") and "import_preview" in request.session:
            stored = request.session.pop("import_preview")
            if stored.get("pk") != sub.pk:
                raise Http404
            try:
                imports.apply_import(
                    submission=sub, user=request.user, parsed=stored["data"], version=stored["v"]
                )
            except ValidationError as exc:
                for m in _errors(exc):
                    messages.error(request, m)
                return redirect(sub)
            audit(user=request.user, action=AuditAction.IMPORT, target=sub)
            messages.success(request, _("已导入。"))
            return redirect(sub)
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        result = imports.parse_upload(submission=sub, upload=form.cleaned_data["file"])
        if result.errors:
            return self.render_to_response(
                self.get_context_data(form=form, row_errors=result.errors), status=400
            )
        request.session["import_preview"] = {"pk": sub.pk, "data": result.data, "v": sub.version}
        return self.render_to_response(self.get_context_data(form=form, preview=result))


MATRIX_PAGE_SIZE = 50


class DashboardView(ScopedViewMixin, DetailView):
    """The issuer's dashboard: completeness matrix, totals with drill-down, charts."""

    model = Campaign
    template_name = "reports/dashboard.html"
    context_object_name = "campaign"
    http_method_names = ["get"]

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("issuer")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        campaign = self.object
        user = self.request.user
        own = union_of(user)
        root = own if own is not None else campaign.issuer
        if self.request.GET.get("union"):
            root = (
                Union.objects.visible_to(user)
                .filter(pk=int_param(self.request.GET["union"]))
                .first()
            )
            if root is None:
                raise Http404
        matrix = selectors.completeness_matrix(campaign=campaign, user=user)
        totals = selectors.campaign_totals(campaign=campaign, root=root)
        ctx["matrix"] = matrix
        # Rates and counts are over every addressed union; the rows are shown a page at
        # a time (a province addresses hundreds), all of them on the printable view.
        if self.request.GET.get("print"):
            ctx["matrix_rows"] = matrix.rows
        else:
            page = Paginator(matrix.rows, MATRIX_PAGE_SIZE).get_page(self.request.GET.get("page"))
            ctx["matrix_rows"], ctx["page_obj"] = page.object_list, page
        ctx["totals"] = totals
        ctx["total_items"] = selectors.figure_items(totals.total)
        ctx["figure_labels"] = [selectors.FIGURE_LABELS[k] for k in selectors.FIGURE_KEYS]
        ctx["child_rows"] = [
            (u, [vals.get(k, 0) for k in selectors.FIGURE_KEYS]) for u, vals in totals.children
        ]
        ctx["charts"] = [
            bar_chart(
                _("各时间节点报送率"),
                [(f"{c.milestone.due_date:%m-%d}", c.reporting_rate) for c in matrix.columns],
                unit="%",
                cap=100,
            ),
            bar_chart(
                _("下级工会参与人次"),
                [(u.display_name, vals.get("person_times", 0)) for u, vals in totals.children],
            ),
            bar_chart(_("每月服务时长（小时）"), totals.months),
        ]
        ctx["states"] = [
            (label, selectors.STATE_CLASSES[key]) for key, label in selectors.STATE_LABELS.items()
        ]
        ctx["printable"] = self.request.GET.get("print") == "1"
        ctx["parent"] = Union.objects.get_parent(root) if root.depth > 1 and root != own else None
        ctx["breadcrumbs"] = [
            (_("报送"), "/reports/"),
            (campaign.doc_number, f"/reports/campaigns/{campaign.pk}/"),
            (_("统计看板"), None),
        ]
        return ctx


class CampaignExportView(ScopedViewMixin, DetailView):
    model = Campaign
    template_name = "reports/export.html"
    context_object_name = "campaign"
    read_capability = Capability.EXPORT
    write_capability = Capability.EXPORT

    def export_form(self, data: Any = None) -> ExportForm:
        user = self.request.user
        unions = Union.objects.visible_to(user)
        initial = {"union": union_of(user)}
        milestones = self.object.milestones.order_by("due_date", "pk")
        return ExportForm(
            data=data, unions=unions, milestones=milestones, initial=initial, user=user
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", self.export_form())
        ctx["jobs"] = ExportJob.objects.visible_to(self.request.user).filter(
            requested_by=self.request.user
        )[:10]
        ctx["breadcrumbs"] = [
            (_("报送"), "/reports/"),
            (self.object.doc_number, f"/reports/campaigns/{self.object.pk}/"),
            (_("导出 Excel"), None),
        ]
        return ctx

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = campaign = self.get_object()
        form = self.export_form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        kind = form.cleaned_data["kind"]
        union = form.cleaned_data["union"]
        form_id = form.cleaned_data["form"]
        milestone = form.cleaned_data.get("milestone")
        full = may_see_full_ids(request.user) and get_sheet(form_id).has_id_numbers
        if kind == "form":
            wb = exports.form_workbook(
                form_id, union=union, campaign=campaign, milestone=milestone, full_ids=full
            )
            label = f"{get_sheet(form_id).sheet_title()}-{union.name}"
            audit(
                user=request.user,
                action=AuditAction.EXPORT,
                target=campaign,
                rows=wb.rows_written,
                form=form_id,
                union=union.pk,
                full_ids=full,
            )
            return wb.response(export_filename(label))
        params: dict[str, Any] = {"campaign_id": campaign.pk, "union_id": union.pk}
        if kind == "aggregate":
            params["form"] = form_id
            milestone = milestone or exports.milestone_for(campaign, form_id)
            params["milestone_id"] = milestone.pk if milestone else None
        job = job_create(
            user=request.user,
            kind=jobs.KIND_CAMPAIGN if kind == "campaign" else jobs.KIND_AGGREGATE,
            params=params,
            union=union_of(request.user) or campaign.issuer,
        )
        addressed = CampaignAddressee.objects.within(union).filter(campaign=campaign).count()
        if addressed <= exports.INLINE_LIMIT:
            run_job(job)
        return HttpResponseRedirect(job.get_absolute_url())
