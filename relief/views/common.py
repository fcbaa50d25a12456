"""What the relief views share."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import models
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from relief import selectors
from relief.models import (
    FileStatus,
    HardshipFile,
)
from unionvol.audit import audit
from unionvol.keyset import keyset_page
from unionvol.models import AuditAction
from unionvol.scoping import (
    SAFE_METHODS,
    Capability,
    require_capability,
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
        """A page by keyset in the list's own order (which ends with the key): no COUNT
        over a province's files, and page 500 costs what page 1 does."""
        return keyset_page(self.request, qs, tuple(qs.query.order_by), per_page=PAGE_SIZE)


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
