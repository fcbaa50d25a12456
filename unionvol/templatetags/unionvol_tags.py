from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context: dict[str, Any], **kwargs: Any) -> str:
    """The current query string with some parameters replaced (for paging and sorting links)."""
    request: HttpRequest = context["request"]
    query = request.GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.simple_tag(takes_context=True)
def keyset_query(context: dict[str, Any], after: str = "", before: str = "") -> str:
    """The current query string turned to another keyset page: the filters and the sort
    stay, the cursor is replaced (none: the first page)."""
    request: HttpRequest = context["request"]
    query = request.GET.copy()
    for key in ("after", "before", "page"):
        query.pop(key, None)
    if after:
        query["after"] = after
    elif before:
        query["before"] = before
    return query.urlencode()
