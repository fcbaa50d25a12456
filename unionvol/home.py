"""What awaits a user on the home page.

Each app registers a provider ``(user) -> Iterable[AwaitingItem]``; the home page
shows them all. Providers must use the scoped selectors of their app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class AwaitingItem:
    label: str | Promise
    count: int
    url: str
    level: str = "primary"  # bootstrap colour: primary, warning, danger


Provider = Callable[[Any], Iterable[AwaitingItem]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def awaiting_for(user: Any) -> list[AwaitingItem]:
    items: list[AwaitingItem] = []
    for provider in _providers:
        items.extend(provider(user))
    return items
