"""Relief views: hardship files."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from relief import selectors, services
from relief.forms import (
    HardshipFileForm,
    PairingEndForm,
    PairingForm,
    add_service_error,
)
from relief.models import (
    FileStatus,
    HardshipCause,
    HardshipFile,
    Pairing,
)
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
    union_of,
)
from volunteers import privacy


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

    def lookup_allowed(self, form: HardshipFileForm) -> bool:
        """A new ID number may be answered "本工会已有该身份证号的困难职工档案", which
        confirms a guess: each counts against the user's hourly limit of such lookups."""
        if privacy.id_lookup_allowed(self.request):
            return True
        form.add_error("id_number", privacy.TOO_MANY_LOOKUPS)
        return False

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["union"] = self.file_union()
        if self.object is not None:
            kwargs["instance"] = self.object
        return kwargs


class FileCreateView(FileFormMixin, FormView):
    def form_valid(self, form: HardshipFileForm) -> HttpResponse:
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        if not self.lookup_allowed(form):
            return self.form_invalid(form)
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
        if data["id_number"] != file.id_number and not self.lookup_allowed(form):
            return self.form_invalid(form)
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
