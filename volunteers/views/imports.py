"""Volunteers views: import."""

from __future__ import annotations

import contextlib
import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from unions.models import Union
from unionvol.capabilities import Capability
from unionvol.params import int_param
from unionvol.scoping import ScopedViewMixin, union_of
from volunteers import privacy, selectors
from volunteers.forms import (
    ImportUploadForm,
)
from volunteers.imports import HAS_ERRORS, commit_roster, read_roster
from volunteers.models import Volunteer
from volunteers.views.common import (
    IMPORT_DIR,
    IMPORT_MAX_AGE,
    roster_crumbs,
)


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
            report = read_roster(
                upload,
                union=union,
                campaign=campaign,
                user=self.request.user,
                lookups=lambda n: privacy.id_import_allowed(self.request, n),
            )
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
        union_id = int_param(request.POST.get("union"))
        union = Union.objects.visible_to(user).filter(pk=union_id).first() if union_id else None
        campaign = None
        if (campaign_id := int_param(request.POST.get("campaign"))) is not None:
            campaign = selectors.recruiting_campaigns(user=user).filter(pk=campaign_id).first()
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
