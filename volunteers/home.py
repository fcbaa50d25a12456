"""The home page's count of registrations awaiting the user's decision."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from unionvol.capabilities import Capability
from unionvol.home import AwaitingItem
from unionvol.scoping import has_capability
from volunteers.figures import returned_total
from volunteers.models import VolunteerStatus
from volunteers.selectors import inbox_repeated, inbox_steps


def awaiting(user: Any) -> Iterable[AwaitingItem]:
    inbox = reverse("volunteers:inbox")
    yield AwaitingItem(_("待审批的志愿者登记"), inbox_steps(user=user), inbox, "warning")
    repeated = inbox_repeated(user=user)
    yield AwaitingItem(_("身份证号码重复的网上报名"), repeated, inbox, "warning")
    if has_capability(user, Capability.EDIT):
        returned = returned_total(user)  # from the rollup: no count over the subtree
        url = reverse("volunteers:roster") + "?status=" + VolunteerStatus.RETURNED
        yield AwaitingItem(_("被退回待修改的志愿者登记"), returned, url, "danger")
