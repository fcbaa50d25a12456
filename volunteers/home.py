"""The home page's count of registrations awaiting the user's decision."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from unionvol.capabilities import Capability
from unionvol.home import AwaitingItem
from unionvol.scoping import has_capability
from volunteers.figures import returned_count
from volunteers.models import VolunteerStatus
from volunteers.selectors import inbox_count, inbox_repeated


def awaiting(user: Any) -> Iterable[AwaitingItem]:
    count = inbox_count(user=user)
    if count:
        yield AwaitingItem(_("待审批的志愿者登记"), count, reverse("volunteers:inbox"), "warning")
    repeated = inbox_repeated(user=user).count()
    if repeated:
        yield AwaitingItem(
            _("身份证号码重复的网上报名"), repeated, reverse("volunteers:inbox"), "warning"
        )
    if has_capability(user, Capability.EDIT):
        returned = returned_count(user)  # from the rollup: no count over the subtree
        if returned:
            url = reverse("volunteers:roster") + "?status=" + VolunteerStatus.RETURNED
            yield AwaitingItem(_("被退回待修改的志愿者登记"), returned, url, "danger")
