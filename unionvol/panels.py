"""Panels: how an app above adds a section to a page of an app below it.

The campaign page belongs to ``campaigns``, but the teams formed under it belong
to ``service`` and its quota table to ``volunteers``. Rather than the lower app
importing the higher ones, each higher app registers a panel for a named slot;
the page renders the panels registered for its slot, in order. A panel's
``context`` function gets the request and the page's object and returns the
template context, or ``None`` to stay hidden.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

ContextFn = Callable[[HttpRequest, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    slot: str
    template: str
    context: ContextFn
    order: int = 50


@dataclass(frozen=True)
class RenderedPanel:
    template: str
    context: dict[str, Any]


_panels: dict[str, list[Panel]] = {}


def register_panel(
    slot: str, *, template: str, order: int = 50
) -> Callable[[ContextFn], ContextFn]:
    """Decorator: ``@register_panel("campaign_main", template="service/_teams.html")``."""

    def decorate(fn: ContextFn) -> ContextFn:
        panels = _panels.setdefault(slot, [])
        if not any(p.context is fn for p in panels):
            panels.append(Panel(slot=slot, template=template, context=fn, order=order))
            panels.sort(key=lambda p: p.order)
        return fn

    return decorate


def panels_for(slot: str, request: HttpRequest, obj: Any) -> list[RenderedPanel]:
    rendered = []
    for panel in _panels.get(slot, []):
        ctx = panel.context(request, obj)
        if ctx is not None:
            rendered.append(RenderedPanel(panel.template, ctx))
    return rendered
