"""Volunteers views: roster."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from unionvol.audit import audit
from unionvol.capabilities import Capability
from unionvol.keyset import KeysetViewMixin
from unionvol.models import AuditAction
from unionvol.scoping import ScopedViewMixin, has_capability
from volunteers import privacy, selectors
from volunteers.filters import RosterFilter, roster_ordering
from volunteers.forms import (
    SearchIdForm,
)
from volunteers.models import Volunteer


class RosterView(KeysetViewMixin, ScopedViewMixin, TemplateView):
    """The roster by keyset: 50 rows a page, filters and sorting kept in the links, and a
    total that never counts a whole province (see unionvol/keyset.py)."""

    model = Volunteer
    template_name = "volunteers/roster.html"
    per_page = 50

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        base = selectors.roster_list(user=user)
        filterset = RosterFilter(self.request.GET or None, queryset=base, user=user)
        valid = not filterset.is_bound or filterset.is_valid()
        sort = (
            filterset.form.cleaned_data.get("sort") if filterset.is_bound and valid else ""
        ) or ""
        page = self.keyset_page(filterset.qs if valid else base.none(), roster_ordering(sort))
        ctx["filter"] = filterset
        ctx["page"] = page
        ctx["volunteers"] = selectors.roster_rows(page.object_list)
        ctx["search_form"] = SearchIdForm()
        ctx["can_edit"] = has_capability(user, Capability.EDIT)
        ctx["can_export"] = has_capability(user, Capability.EXPORT)
        ctx["can_review"] = has_capability(user, Capability.REVIEW)
        ctx["can_search_id"] = privacy.may_see_full_ids(user)
        recruiting = selectors.recruiting_campaigns(user=user).select_related(None)
        ctx["recruiting"] = list(recruiting.only("pk", "doc_number")[:5])
        ctx["breadcrumbs"] = [(_("志愿者"), None)]
        return ctx


class SearchIdView(ScopedViewMixin, View):
    """Find a volunteer by full ID number: POST only, so the number is never in a URL.

    An answer confirms a guessed number, so only holders of the full-ID permission get
    one (within their subtree, rate-limited); every attempt, refused ones included, is
    audited, and a refusal reads the same whatever the number."""

    model = Volunteer
    http_method_names = ["post"]
    write_capability = Capability.VIEW

    def post(self, request: HttpRequest) -> HttpResponse:
        if not privacy.may_see_full_ids(request.user):
            audit(
                user=request.user,
                action=AuditAction.SEARCH_ID,
                what="volunteers.Volunteer",
                rows=0,
                refused="permission",
            )
            messages.error(request, privacy.SEARCH_NOT_ALLOWED)
            return redirect("volunteers:roster")
        if not privacy.id_search_allowed(request):
            audit(
                user=request.user,
                action=AuditAction.SEARCH_ID,
                what="volunteers.Volunteer",
                rows=0,
                refused="rate",
            )
            messages.error(request, privacy.TOO_MANY_LOOKUPS)
            return redirect("volunteers:roster")
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
