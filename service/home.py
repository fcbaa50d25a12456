"""What awaits a user on the home page: projects to approve."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from unionvol.home import AwaitingItem, register
from unionvol.scoping import Capability, has_capability, union_of


@register
def projects_awaiting(user: Any) -> Iterable[AwaitingItem]:
    from service.models import ProjectStatus, ServiceProject

    union = union_of(user)
    if union is None or not has_capability(user, Capability.REVIEW):
        return []
    waiting = (
        ServiceProject.objects.visible_to(user)
        .filter(status=ProjectStatus.PROPOSED)
        .exclude(proposed_by=union)
    )
    url = reverse("service:project_list") + "?status=proposed"
    return [AwaitingItem(_("待审批的志愿服务项目"), waiting, url, "warning")]
