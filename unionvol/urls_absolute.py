"""Absolute links for what leaves the site (reminder e-mails): ``SITE_URL`` + path.

``SITE_URL`` (e.g. ``https://gh.example.org``) is required in production; the system
check below stops start-up without it, so no e-mail ever carries a relative link.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


@register(deploy=True)
def check_site_url(app_configs: Any, **kwargs: Any) -> list[Error]:
    url = getattr(settings, "SITE_URL", "")
    if not url.startswith(("https://", "http://")):
        return [
            Error(
                "SITE_URL must be the portal's absolute address (e.g. https://gh.example.org).",
                hint="Set SITE_URL in the environment: reminder e-mails link to it.",
                id="unionvol.E001",
            )
        ]
    return []
