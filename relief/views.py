from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from relief import selectors, services
from relief.forms import (
    ClaimForm,
    DonationForm,
    FulfilForm,
    GrantForm,
    HardshipFileForm,
    PairingEndForm,
    PairingForm,
    ReverseForm,
    VisitForm,
    WarmthStatsForm,
    WishForm,
    add_service_error,
)
from relief.models import (
    Donation,
    FileStatus,
    FundType,
    GrantStatus,
    HardshipCause,
    HardshipFile,
    MicroWish,
    Pairing,
    ReliefGrant,
    Visit,
    WishStatus,
)
from relief.sheets import IDENTIFIER, filename_of, labels_of, table_of, title_of, write_warmth_stats
from unions.models import Union
from unionvol import ratelimit
from unionvol.audit import audit
from unionvol.models import AuditAction
from unionvol.params import int_param
from unionvol.scoping import (
    SAFE_METHODS,
    Capability,
    PublicViewMixin,
    has_capability,
    require_capability,
    union_of,
)

PAGE_SIZE = 30
CLAIM_LIMIT = 5  # claims per IP address …
CLAIM_WINDOW = 3600  # … per hour


def relief_crumbs(*extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("帮扶关爱"), reverse("relief:index")), *extra]


class ReliefMixin(LoginRequiredMixin):
    """Scoping for relief views.

    ``sensitive`` views (hardship files and every record revealing one) are for staff
    only: a viewer is refused with 403 before any object is looked up — the same
    answer for every id, so nothing is revealed. Objects are then looked up in
    ``Model.objects.visible_to(user)`` (404 outside it), and the write capability is
    checked last.
    """

    model: ClassVar[type[models.Model]]
    sensitive: ClassVar[bool] = True
    read_capability: ClassVar[Capability] = Capability.VIEW
    write_capability: ClassVar[Capability] = Capability.EDIT
    request: HttpRequest
    kwargs: dict[str, Any]

    def get_queryset(self) -> models.QuerySet[Any]:
        return self.model._default_manager.all().visible_to(self.request.user)  # type: ignore[attr-defined]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.sensitive:
            require_capability(request.user, Capability.EDIT)
        self.object = None
        if "pk" in kwargs:
            self.object = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        require_capability(
            request.user,
            self.read_capability if request.method in SAFE_METHODS else self.write_capability,
        )
        if request.method in SAFE_METHODS and isinstance(self.object, HardshipFile):
            audit(user=request.user, action=AuditAction.VIEW_SENSITIVE, target=self.object)
        return super().dispatch(request, *args, **kwargs)

    def paginate(self, qs: Any) -> Any:
        return Paginator(qs, PAGE_SIZE).get_page(self.request.GET.get("page"))


class ReliefIndexView(ReliefMixin, TemplateView):
    model = HardshipFile
    template_name = "relief/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["files_active"] = selectors.file_list(user=user, status=FileStatus.ACTIVE).count()
        ctx["files_unpaired"] = selectors.unpaired_files(user=user).count()
        ctx["grants_pending"] = selectors.pending_grants(user=user).count()
        ctx["breadcrumbs"] = [(_("帮扶关爱"), None)]
        return ctx


# --- hardship files -----------------------------------------------------------
class FileListView(ReliefMixin, TemplateView):
    model = HardshipFile
    template_name = "relief/file_list.html"
    unpaired_only = False

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        g = self.request.GET
        if self.unpaired_only:
            qs = selectors.unpaired_files(user=user).with_active_pairing()
            title = _("未结对困难职工")
        else:
            qs = selectors.file_list(
                user=user,
                status=g.get("status", ""),
                cause=g.get("cause", ""),
                q=g.get("q", "").strip()[:40],
            )
            title = _("困难职工档案")
        page = self.paginate(qs)
        audit(
            user=user,
            action=AuditAction.VIEW_SENSITIVE,
            what=str(title),
            rows=len(page.object_list),
        )
        ctx.update(
            page_obj=page,
            files=page.object_list,
            title=title,
            unpaired_only=self.unpaired_only,
            statuses=FileStatus.choices,
            causes=HardshipCause.choices,
            breadcrumbs=relief_crumbs((title, None)),
        )
        return ctx


class FileFormMixin(ReliefMixin):
    model = HardshipFile
    form_class = HardshipFileForm
    template_name = "relief/form.html"

    def file_union(self) -> Union:
        if self.object is not None:
            return self.object.union
        union = union_of(self.request.user)
        if union is None:
            raise PermissionDenied
        return union

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["union"] = self.file_union()
        if self.object is not None:
            kwargs["instance"] = self.object
        return kwargs


class FileCreateView(FileFormMixin, FormView):
    def form_valid(self, form: HardshipFileForm) -> HttpResponse:
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            file = services.file_create(user=self.request.user, union=self.file_union(), **data)
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("已建档：%(name)s。") % {"name": file.name})
        return redirect(file)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("困难职工建档")
        ctx["breadcrumbs"] = relief_crumbs(
            (_("困难职工档案"), reverse("relief:file_list")), (ctx["title"], None)
        )
        return ctx


class FileUpdateView(FileFormMixin, FormView):
    def form_valid(self, form: HardshipFileForm) -> HttpResponse:
        data = dict(form.cleaned_data)
        version = data.pop("version") or 0
        file = HardshipFile.objects.get(pk=self.object.pk)  # fresh, not the form's copy
        try:
            services.file_update(file=file, user=self.request.user, version=version, **data)
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存。"))
        return redirect(file)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("编辑档案：%(name)s") % {"name": self.object.name}
        ctx["breadcrumbs"] = relief_crumbs(
            (_("困难职工档案"), reverse("relief:file_list")),
            (self.object.name, self.object.get_absolute_url()),
            (_("编辑"), None),
        )
        return ctx


class FileDetailView(ReliefMixin, TemplateView):
    model = HardshipFile
    template_name = "relief/file_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        file = selectors.file_detail(user=user, pk=self.object.pk)
        pairings = list(file.pairings.all())
        ctx.update(
            file=file,
            family=[line for line in file.family_members.splitlines() if line.strip()],
            pairings=pairings,
            active_pairing=next((p for p in pairings if p.end is None), None),
            grants=file.grants.all(),
            visits=file.visits.all(),
            can_review=has_capability(user, Capability.REVIEW),
            end_form=PairingEndForm(),
            breadcrumbs=relief_crumbs(
                (_("困难职工档案"), reverse("relief:file_list")), (file.name, None)
            ),
        )
        return ctx


class PairCreateView(ReliefMixin, FormView):
    model = HardshipFile
    form_class = PairingForm
    template_name = "relief/pair_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["shortlist"] = selectors.volunteer_shortlist(user=self.request.user)
        kwargs.setdefault("initial", {})["start"] = timezone.localdate()
        return kwargs

    def form_valid(self, form: PairingForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            services.pairing_create(
                file=self.object,
                volunteer=data["volunteer"],
                start=data["start"],
                note=data["note"],
                user=self.request.user,
                eligible=selectors.volunteer_shortlist(user=self.request.user),
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("已结对。"))
        return redirect(self.object)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["file"] = self.object
        ctx["title"] = _("一助一结对：%(name)s") % {"name": self.object.name}
        ctx["breadcrumbs"] = relief_crumbs(
            (self.object.name, self.object.get_absolute_url()), (_("结对"), None)
        )
        return ctx


class PairingEndView(ReliefMixin, View):
    model = Pairing
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        pairing: Pairing = self.object
        form = PairingEndForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写有效的结对结束日期。"))
        else:
            try:
                services.pairing_end(
                    pairing=pairing, end=form.cleaned_data["end"], user=request.user
                )
                messages.success(request, _("结对已结束。"))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        return redirect("relief:file_detail", pk=pairing.file_id)


# --- grants -------------------------------------------------------------------
class GrantListView(ReliefMixin, TemplateView):
    model = ReliefGrant
    template_name = "relief/grant_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        status = self.request.GET.get("status", "")
        campaign = self.request.GET.get("campaign", "")
        campaign_id = int_param(campaign)
        page = self.paginate(selectors.grant_list(user=user, status=status, campaign=campaign_id))
        labels = dict(FundType.choices)
        totals = selectors.grant_totals(user=user, campaign=campaign_id)
        for row in totals:
            row["fund_label"] = labels.get(row["fund_type"], row["fund_type"])
        ctx.update(
            page_obj=page,
            grants=page.object_list,
            totals=totals,
            statuses=GrantStatus.choices,
            can_review=has_capability(user, Capability.REVIEW),
            breadcrumbs=relief_crumbs((_("帮扶金"), None)),
        )
        return ctx


class GrantCreateView(ReliefMixin, FormView):
    """New grant for the file in the URL."""

    model = HardshipFile
    form_class = GrantForm
    template_name = "relief/form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form: GrantForm) -> HttpResponse:
        try:
            services.grant_create(file=self.object, user=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("已录入帮扶金，等待审核。"))
        return redirect(self.object)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("录入帮扶金：%(name)s") % {"name": self.object.name}
        ctx["breadcrumbs"] = relief_crumbs(
            (self.object.name, self.object.get_absolute_url()), (_("录入帮扶金"), None)
        )
        return ctx


class GrantUpdateView(ReliefMixin, FormView):
    model = ReliefGrant
    form_class = GrantForm
    template_name = "relief/form.html"

    def get_queryset(self) -> models.QuerySet[Any]:
        return super().get_queryset().select_related("file")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.object.status != GrantStatus.PENDING:
            messages.error(request, services.GRANT_APPROVED_LOCKED)
            return redirect(self.object.file)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs["instance"] = self.object
        return kwargs

    def form_valid(self, form: GrantForm) -> HttpResponse:
        grant = ReliefGrant.objects.get(pk=self.object.pk)
        try:
            services.grant_update(grant=grant, user=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存。"))
        return redirect(grant.file)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("修改帮扶金：%(name)s") % {"name": self.object.file.name}
        ctx["breadcrumbs"] = relief_crumbs(
            (self.object.file.name, self.object.file.get_absolute_url()), (_("修改"), None)
        )
        return ctx


class GrantApproveView(ReliefMixin, View):
    model = ReliefGrant
    http_method_names = ["post"]
    write_capability = Capability.REVIEW

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.grant_approve(grant=self.object, user=request.user)
            messages.success(request, _("已审核。"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        if request.POST.get("next") == "list":
            return redirect("relief:grant_list")
        return redirect(self.object.file)


class GrantReverseView(ReliefMixin, View):
    model = ReliefGrant
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ReverseForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写有效的冲销日期。"))
            return redirect(self.object.file)
        try:
            services.grant_reverse(
                grant=self.object,
                user=request.user,
                granted_on=form.cleaned_data["granted_on"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("已录入冲销记录，等待审核。"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(self.object.file)


# --- visits -------------------------------------------------------------------
class VisitListView(ReliefMixin, TemplateView):
    model = Visit
    template_name = "relief/visit_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        page = self.paginate(selectors.visit_list(user=self.request.user))
        ctx.update(
            page_obj=page, visits=page.object_list, breadcrumbs=relief_crumbs((_("慰问走访"), None))
        )
        return ctx


class VisitFormView(ReliefMixin, FormView):
    model = Visit
    form_class = VisitForm
    template_name = "relief/form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs["files"] = selectors.file_choices(user=self.request.user)
        if self.object is not None:
            kwargs["instance"] = self.object
        return kwargs

    def form_valid(self, form: VisitForm) -> HttpResponse:
        user = self.request.user
        try:
            if self.object is None:
                union = union_of(user)
                if union is None:
                    raise PermissionDenied
                services.visit_create(union=union, user=user, **form.cleaned_data)
            else:
                visit = Visit.objects.get(pk=self.object.pk)
                services.visit_update(visit=visit, user=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存。"))
        return redirect("relief:visit_list")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("登记慰问走访") if self.object is None else _("修改慰问走访")
        ctx["breadcrumbs"] = relief_crumbs(
            (_("慰问走访"), reverse("relief:visit_list")), (ctx["title"], None)
        )
        return ctx


# --- one-day donations --------------------------------------------------------
class DonationListView(ReliefMixin, TemplateView):
    model = Donation
    template_name = "relief/donation_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        page = self.paginate(selectors.donation_list(user=self.request.user))
        ctx.update(
            page_obj=page,
            donations=page.object_list,
            breadcrumbs=relief_crumbs((_("一日捐"), None)),
        )
        return ctx


class DonationFormView(ReliefMixin, FormView):
    model = Donation
    form_class = DonationForm
    template_name = "relief/form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        user = self.request.user
        own = union_of(user)
        kwargs["user"] = user
        kwargs["unions"] = Union.objects.visible_to(user).filter(pk=own.pk if own else None)
        if self.object is not None:
            kwargs["instance"] = self.object
        elif own is not None:
            kwargs.setdefault("initial", {})["union"] = own.pk
        return kwargs

    def form_valid(self, form: DonationForm) -> HttpResponse:
        donation = Donation() if self.object is None else Donation.objects.get(pk=self.object.pk)
        try:
            services.donation_save(donation=donation, user=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存。"))
        return redirect("relief:donation_list")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("登记一日捐") if self.object is None else _("修改一日捐")
        ctx["breadcrumbs"] = relief_crumbs(
            (_("一日捐"), reverse("relief:donation_list")), (ctx["title"], None)
        )
        return ctx


# --- 送温暖活动统计表 ------------------------------------------------------------
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
        form = WarmthStatsForm(data, campaigns=campaigns, unions=unions)
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
        filler = request.user.get_full_name() or request.user.username
        workbook = write_warmth_stats(stats, filler=filler)
        audit(
            user=request.user,
            action=AuditAction.EXPORT,
            what=IDENTIFIER,
            rows=len(stats.rows),
            union_id=stats.union.pk,
            campaign_id=stats.campaign.pk,
        )
        return workbook.response(filename_of(stats))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        form, stats = self.build()
        ctx.update(form=form, stats=stats, breadcrumbs=relief_crumbs((_("送温暖活动统计表"), None)))
        if stats is not None:
            ctx.update(
                sheet_title=title_of(stats),
                labels=labels_of(stats),
                table=table_of(stats),
                query=self.request.GET.urlencode(),
                can_export=has_capability(self.request.user, Capability.EXPORT),
            )
        return ctx


# --- micro-wishes (staff) ------------------------------------------------------
class WishListView(ReliefMixin, TemplateView):
    model = MicroWish
    sensitive = False
    template_name = "relief/wish_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        page = self.paginate(selectors.wish_list(user=self.request.user, status=status))
        ctx.update(
            page_obj=page,
            wishes=page.object_list,
            statuses=WishStatus.choices,
            can_edit=has_capability(self.request.user, Capability.EDIT),
            breadcrumbs=relief_crumbs((_("微心愿"), None)),
        )
        return ctx


class WishCreateView(ReliefMixin, FormView):
    model = MicroWish
    sensitive = False
    read_capability = Capability.EDIT
    form_class = WishForm
    template_name = "relief/form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["files"] = selectors.file_choices(user=self.request.user)
        return kwargs

    def form_valid(self, form: WishForm) -> HttpResponse:
        union = union_of(self.request.user)
        if union is None:
            raise PermissionDenied
        try:
            wish = services.wish_create(union=union, user=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("已发布微心愿。"))
        return redirect(wish)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("发布微心愿")
        ctx["breadcrumbs"] = relief_crumbs(
            (_("微心愿"), reverse("relief:wish_list")), (ctx["title"], None)
        )
        return ctx


class WishDetailView(ReliefMixin, TemplateView):
    model = MicroWish
    sensitive = False
    template_name = "relief/wish_detail.html"

    def get_queryset(self) -> models.QuerySet[Any]:
        return (
            super()
            .get_queryset()
            .with_name_visibility(self.request.user)
            .select_related("union", "claimer_user", "confirmed_by")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        can_edit = has_capability(self.request.user, Capability.EDIT)
        ctx.update(
            wish=self.object,
            can_edit=can_edit,
            fulfil_form=FulfilForm() if can_edit else None,
            breadcrumbs=relief_crumbs(
                (_("微心愿"), reverse("relief:wish_list")), (self.object.public_name, None)
            ),
        )
        return ctx


class WishActionView(ReliefMixin, View):
    """POST-only state changes of a wish: confirm, release, cancel."""

    model = MicroWish
    sensitive = False
    http_method_names = ["post"]
    action: ClassVar[str] = ""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        service = {
            "confirm": services.wish_confirm,
            "release": services.wish_release,
            "cancel": services.wish_cancel,
        }[self.action]
        try:
            service(wish=self.object, user=request.user)
            messages.success(request, _("已更新。"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(self.object)


class WishFulfilView(ReliefMixin, FormView):
    model = MicroWish
    sensitive = False
    read_capability = Capability.EDIT
    form_class = FulfilForm
    template_name = "relief/form.html"

    def form_valid(self, form: FulfilForm) -> HttpResponse:
        try:
            services.wish_fulfil(
                wish=self.object,
                user=self.request.user,
                note=form.cleaned_data["note"],
                photo=form.cleaned_data["photo"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("已登记心愿实现情况。"))
        return redirect(self.object)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("心愿实现：%(wish)s") % {"wish": self.object.wish}
        ctx["breadcrumbs"] = relief_crumbs(
            (_("微心愿"), reverse("relief:wish_list")),
            (self.object.public_name, self.object.get_absolute_url()),
            (_("心愿实现"), None),
        )
        return ctx


# --- the public wish wall (no login) ---------------------------------------------
class WishWallView(PublicViewMixin, TemplateView):
    template_name = "relief/wish_wall.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        page = Paginator(selectors.public_wishes(), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        ctx.update(page_obj=page, wishes=page.object_list)
        return ctx


def claim_allowed(request: HttpRequest) -> bool:
    """At most CLAIM_LIMIT claim attempts per client address per hour."""
    return ratelimit.hit(request, scope="wish-claim", limit=CLAIM_LIMIT, window=CLAIM_WINDOW)


class WishClaimView(PublicViewMixin, FormView):
    """A member of the public (name + phone) or a logged-in member claims a wish."""

    form_class = ClaimForm
    template_name = "relief/wish_claim.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self.wish = get_object_or_404(selectors.public_wishes(), public_id=kwargs["token"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        user = self.request.user
        kwargs["phone_required"] = not user.is_authenticated
        if user.is_authenticated:
            kwargs["initial"] = {"name": user.get_full_name() or user.username}
        return kwargs

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not claim_allowed(request):
            form = self.get_form()
            form.is_valid()
            form.add_error(None, _("认领过于频繁，请稍后再试。"))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: ClaimForm) -> HttpResponse:
        try:
            services.wish_claim(
                wish_pk=self.wish.pk,
                name=form.cleaned_data["name"],
                phone=form.cleaned_data["phone"],
                user=self.request.user,
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, _("认领成功！发布工会将与您联系，确认后请按约定帮助实现心愿。")
        )
        return redirect("relief:wall")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["wish"] = self.wish
        return ctx
