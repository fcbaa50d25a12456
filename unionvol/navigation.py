"""The main menu, assembled from the ``nav`` attribute of each app's AppConfig.

An app adds itself to the menu by listing ``NavEntry`` items on its AppConfig, so
apps never edit a shared template to appear in the navigation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.urls import reverse
from django.utils.functional import Promise

from unionvol.capabilities import Capability


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    capability: Capability = Capability.VIEW
    order: int = 100


def nav_items(request: Any) -> list[dict[str, Any]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    entries: list[NavEntry] = []
    for config in apps.get_app_configs():
        entries.extend(getattr(config, "nav", ()))
    from unionvol.scoping import has_capability

    items: list[dict[str, Any]] = []
    for entry in sorted(entries, key=lambda e: e.order):
        if not has_capability(user, entry.capability):
            continue
        url = reverse(entry.url_name)
        items.append({"label": entry.label, "url": url, "active": False})
    # Only the entry with the longest URL prefix of the current path is active
    # (/volunteers/inbox/ lights 待我审批, not also 志愿者).
    matching = [i for i in items if request.path.startswith(i["url"])]
    if matching:
        max(matching, key=lambda i: len(i["url"]))["active"] = True
    return items
