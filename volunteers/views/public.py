"""Volunteers views: public application."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from unions.models import Union
from unionvol import ratelimit
from unionvol.params import int_param
from unionvol.scoping import public_view
from volunteers import selectors, services
from volunteers.forms import (
    PublicApplyForm,
)
from volunteers.views.common import (
    APPLY_LIMIT,
    APPLY_WINDOW,
)


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
        chosen_id = int_param(request.POST.get("union"))
        chosen = Union.objects.filter(is_active=True, pk=chosen_id).first() if chosen_id else None
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
                # A registered ID number is answered like any other (no one learns
                # which numbers are registered); the union's reviewers get it instead.
                services.public_apply(
                    union=union,
                    campaign=selectors.recruiting_campaign_for(union=union),
                    data=form.service_data(),
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
