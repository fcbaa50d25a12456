"""Relief views: the public wish wall (no login)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from relief import selectors, services
from relief.forms import (
    ClaimForm,
    add_service_error,
)
from relief.views.common import (
    CLAIM_LIMIT,
    CLAIM_WINDOW,
    PAGE_SIZE,
)
from unionvol import ratelimit
from unionvol.keyset import keyset_page
from unionvol.scoping import (
    PublicViewMixin,
)


class WishWallView(PublicViewMixin, TemplateView):
    """The public wall, PAGE_SIZE wishes a page by keyset: the wishes of every union are
    on it, so a page number would count (and skip over) the whole country's."""

    template_name = "relief/wish_wall.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        qs = selectors.public_wishes()
        page = keyset_page(self.request, qs, tuple(qs.query.order_by), per_page=PAGE_SIZE)
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
