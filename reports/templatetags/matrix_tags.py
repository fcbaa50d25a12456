"""The completeness matrix's rows, written in Python.

Fifty unions by four milestones through the template engine (a ``{% url %}`` and a
plural ``blocktranslate`` per cell) cost as much as computing the matrix; the same HTML
written here costs a tenth. Every value is escaped (``html.escape``, as Django's
``escape`` does, on a resolved string: Django's returns a lazy proxy for a lazy label,
which each f-string would translate and escape again).
"""

from __future__ import annotations

from html import escape
from typing import Any

from django import template
from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

register = template.Library()

_MARK = 987654321


def _late(cell: dict[str, Any]) -> str:
    if cell["state"] == "late":
        days = cell["days_late"]
        return ngettext("%(days)s天", "%(days)s天", days) % {"days": days}
    if cell["first_days_late"]:
        days = cell["first_days_late"]
        return ngettext("首报逾期%(days)s天", "首报逾期%(days)s天", days) % {"days": days}
    return ""


@register.simple_tag
def matrix_rows(
    rows: list[tuple[Any, list[dict[str, Any]]]], printable: bool = False
) -> SafeString:
    """``<tr>`` for each (union, cells) of :func:`reports.selectors.completeness_matrix`.

    Each state's label is escaped once; a union's name and every number go through
    ``escape`` / ``int``: 200 cells, no template and no ``format_html`` per cell."""
    url = escape(reverse("reports:submission", args=[_MARK])).replace(str(_MARK), "{}")
    labels: dict[str, str] = {}
    out = []
    for union, cells in rows:
        tds = []
        for cell in cells:
            label = labels.get(cell["state"])
            if label is None:
                label = labels[cell["state"]] = escape(str(cell["label"]))
            if cell["pk"] and not printable:
                label = f'<a href="{url.format(int(cell["pk"]))}">{label}</a>'
            late = _late(cell)
            if late:
                label += f' <span class="small">({escape(late)})</span>'
            tds.append(f'<td class="text-center table-{escape(cell["css"])}">{label}</td>')
        out.append(f'<tr><th class="fw-normal">{escape(union.name)}</th>{"".join(tds)}</tr>')
    return mark_safe("\n".join(out))  # noqa: S308 - every value above is escaped


@register.simple_tag
def figure_rows(rows: list[tuple[Any, list[Any]]], printable: bool = False) -> SafeString:
    """``<tr>`` for each child union and its figures (the dashboard's drill-down): the
    union's name links to its own figures except on the printable view. Numbers are
    localised as the template engine would (``formats.localize``)."""
    out = []
    for union, values in rows:
        name = escape(union.name)
        if not printable:
            name = f'<a href="?union={int(union.pk)}">{name}</a>'
        cells = "".join(f'<td class="text-end">{escape(str(localize(v)))}</td>' for v in values)
        out.append(f"<tr><td>{name}</td>{cells}</tr>")
    return mark_safe("\n".join(out))  # noqa: S308 - every value above is escaped
