"""Volunteers views: the public application, its short links and the status check.

Anyone may open these pages (no login). Each POST ends in a redirect: the 报名编号 and
the checked status travel to the next page in the session, read there once, so Back or
refresh never submits an application twice.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from unions.models import Union
from unionvol import ratelimit
from unionvol.params import int_param
from unionvol.scoping import public_view
from volunteers import selectors, services
from volunteers.forms import ApplicationStatusForm, PublicApplyForm
from volunteers.models import ApplyLink
from volunteers.views.common import (
    APPLY_LIMIT,
    APPLY_WINDOW,
    STATUS_LIMIT,
    STATUS_REFERENCE_LIMIT,
    STATUS_WINDOW,
)

# Session keys: what the page after a POST reads once.
APPLIED_REFERENCE = "volunteers:applied_reference"
CHECKED_REFERENCE = "volunteers:checked_reference"

STATUS_NOT_FOUND = gettext_lazy("报名编号或身份证号码后四位不正确，请核对后再查询。")
TOO_MANY_LOOKUPS = gettext_lazy("查询过于频繁，请一小时后再试。")


def _union_matches(term: str) -> QuerySet[Union]:
    term = term.strip()
    if len(term) < 2:
        return Union.objects.none()
    return Union.objects.filter(is_active=True, name__icontains=term).order_by("path")[:20]


def _too_many(form: PublicApplyForm) -> None:
    form.is_valid()
    form.add_error(
        None,
        _("提交过于频繁：同一网络每小时最多提交 %(n)s 次报名，请稍后再试。") % {"n": APPLY_LIMIT},
    )


def _submit(request: HttpRequest, form: PublicApplyForm, *, link: ApplyLink | None) -> bool:
    """Register the application; on success keep its 报名编号 for the done page."""
    if not form.is_valid():
        return False
    union = form.cleaned_data["union"]
    campaign = (
        selectors.public_campaign_for(union=union, campaign=link.campaign)
        if link is not None
        else selectors.recruiting_campaign_for(union=union)
    )
    try:
        # A registered ID number is answered like any other (no one learns which
        # numbers are registered); the union's reviewers get it instead.
        reference = services.public_apply(union=union, campaign=campaign, data=form.service_data())
    except ValidationError as exc:
        form.add_service_error(exc)
        return False
    request.session[APPLIED_REFERENCE] = reference
    return True


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
            _too_many(form)
            return render(request, "volunteers/apply.html", {"form": form, "q": term}, status=429)
        if _submit(request, form, link=None):
            return redirect("volunteers:apply_done")
    else:
        initial = {"union": matches[0].pk} if len(matches) == 1 else {}
        form = PublicApplyForm(union_matches=matches, initial=initial)
    return render(request, "volunteers/apply.html", {"form": form, "q": term, "matches": matches})


@never_cache
@public_view
def apply_by_link(request: HttpRequest, code: str) -> HttpResponse:
    """``/j/<code>/``: the application form of the union (and notice) the link names."""
    link = (
        ApplyLink.objects.select_related("union", "campaign__issuer")
        .filter(code=code.strip().lower(), union__is_active=True)
        .first()
    )
    if link is None:
        return render(request, "volunteers/apply_link_unknown.html", status=404)
    union = link.union
    campaign = selectors.public_campaign_for(union=union, campaign=link.campaign)
    context = {
        "link": link,
        "union": union,
        "campaign": campaign,
        # The link's notice has closed since the poster was printed.
        "campaign_closed": link.campaign is not None and campaign != link.campaign,
    }
    if request.method == "POST":
        allowed = ratelimit.hit(
            request, scope="volunteers-apply", limit=APPLY_LIMIT, window=APPLY_WINDOW
        )
        data = request.POST.copy()
        data["union"] = str(union.pk)  # the link decides, whatever was posted
        form = PublicApplyForm(data, fixed_union=union)
        if not allowed:
            _too_many(form)
            return render(request, "volunteers/apply.html", {**context, "form": form}, status=429)
        if _submit(request, form, link=link):
            return redirect("volunteers:apply_done")
    else:
        form = PublicApplyForm(fixed_union=union)
    return render(request, "volunteers/apply.html", {**context, "form": form})


@never_cache
@require_GET
def apply_done(request: HttpRequest) -> HttpResponse:
    """The 报名编号, shown once: a refresh shows the page without it."""
    reference = request.session.pop(APPLIED_REFERENCE, None)
    return render(request, "volunteers/apply_done.html", {"reference": reference})


@never_cache
@public_view
def apply_status(request: HttpRequest) -> HttpResponse:
    """报名进度查询: the 报名编号 with the last four characters of the ID number.

    A wrong number and a wrong tail get the same answer; lookups are limited per address
    and per 报名编号, so neither the numbers nor one number's tail can be tried out."""
    if request.method == "POST":
        form = ApplicationStatusForm(request.POST)
        per_address = ratelimit.hit(
            request, scope="volunteers-status", limit=STATUS_LIMIT, window=STATUS_WINDOW
        )
        if form.is_valid():
            reference = form.cleaned_data["reference"]
            per_reference = ratelimit.hit(
                request,
                scope="volunteers-status-reference",
                limit=STATUS_REFERENCE_LIMIT,
                window=STATUS_WINDOW,
                key=reference,
            )
            if not (per_address and per_reference):
                form.add_error(None, TOO_MANY_LOOKUPS)
                return render(request, "volunteers/apply_status.html", {"form": form}, status=429)
            status = selectors.application_status(
                reference=reference, id_tail=form.cleaned_data["id_tail"]
            )
            if status is not None:
                request.session[CHECKED_REFERENCE] = status.reference
                return redirect("volunteers:apply_status")
            form.add_error(None, STATUS_NOT_FOUND)
        elif not per_address:
            form.add_error(None, TOO_MANY_LOOKUPS)
            return render(request, "volunteers/apply_status.html", {"form": form}, status=429)
        return render(request, "volunteers/apply_status.html", {"form": form})
    checked = request.session.pop(CHECKED_REFERENCE, None)
    status = selectors.verified_application_status(reference=checked) if checked else None
    return render(
        request,
        "volunteers/apply_status.html",
        {"form": ApplicationStatusForm(), "status": status},
    )


@public_view
@require_GET
def union_search(request: HttpRequest) -> JsonResponse:
    """Names of active unions matching ?q= (for the public page's search box)."""
    matches = _union_matches(request.GET.get("q", ""))
    return JsonResponse({"results": [{"id": u.pk, "name": u.name} for u in matches]})
