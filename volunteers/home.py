"""The home page's count of registrations awaiting the user's decision."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from unionvol.home import AwaitingItem
from volunteers.selectors import inbox_count


def awaiting(user: Any) -> Iterable[AwaitingItem]:
    count = inbox_count(user=user)
    if count:
        yield AwaitingItem(_("待审批的志愿者登记"), count, reverse("volunteers:inbox"), "warning")
