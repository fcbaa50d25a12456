"""A notice's first teams, written in Python (see ``campaigns/templatetags``): twenty
rows of links and counts without a ``reverse()`` and a template per row. Every value is
escaped (``html.escape``, as Django's ``escape`` does)."""

from __future__ import annotations

from html import escape
from typing import Any

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_MARK = 987654321


@register.simple_tag
def campaign_team_rows(teams: list[Any]) -> SafeString:
    """``<tr>`` for each team of :func:`service.selectors.team_flags`: name (a link),
    union, volunteers, cadres and the composition's warnings."""
    url = reverse("service:team_detail", args=[_MARK]).replace(str(_MARK), "{}")
    rows = []
    for t in teams:
        flags = "".join(
            f'<span class="badge text-bg-warning me-1">{escape(str(f))}</span>'
            for f in t.composition.flags
        )
        rows.append(
            f'<tr><td><a href="{escape(url.format(t.pk))}">{escape(t.name)}</a></td>'
            f"<td>{escape(t.union.name)}</td><td>{int(t.n_volunteers)}</td>"
            f"<td>{int(t.n_cadres)}</td><td>{flags}</td></tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every value above is escaped
