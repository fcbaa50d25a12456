"""What awaits a reviewer on the home page: grants to approve, files to pair, claims to confirm."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from relief import selectors
from relief.models import WishStatus
from unionvol.capabilities import Capability
from unionvol.home import AwaitingItem, register
from unionvol.scoping import has_capability


@register
def relief_awaiting(user: Any) -> Iterable[AwaitingItem]:
    if not has_capability(user, Capability.EDIT):
        return []
    items = []
    if has_capability(user, Capability.REVIEW):
        pending = selectors.pending_grants(user=user).exclude(entered_by=user)
        url = reverse("relief:grant_list") + "?status=pending"
        items.append(AwaitingItem(_("待审核的帮扶金"), pending, url))
    unpaired = selectors.unpaired_files(user=user)
    items.append(
        AwaitingItem(_("未结对的困难职工"), unpaired, reverse("relief:unpaired"), "warning")
    )
    claimed = selectors.wish_list(user=user, status=WishStatus.CLAIMED)
    url = reverse("relief:wish_list") + "?status=claimed"
    items.append(AwaitingItem(_("待确认的微心愿认领"), claimed, url))
    return items
