from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from unionvol.navigation import nav_items
from unionvol.scoping import membership_of


def membership(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    member = membership_of(user) if user is not None else None
    return {
        "membership": member,
        # Not "site_name": Django's auth views (login, logout, password reset) put the
        # request's host under that name into their context, which would win here.
        "product_name": settings.UNIONVOL["SITE_NAME"],
        "nav_items": nav_items(request),
    }
