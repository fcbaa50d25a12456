"""The completeness matrix's rows, written in Python.

A hundred unions by four milestones through the template engine (a ``{% url %}`` and a
plural ``blocktranslate`` per cell) cost as much as computing the matrix; the same HTML
from ``format_html`` costs a tenth. Every value is escaped by ``format_html``.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
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
    """``<tr>`` for each (union, cells) of :func:`reports.selectors.completeness_matrix`."""
    url = reverse("reports:submission", args=[_MARK]).replace(str(_MARK), "{}")
    out = []
    for union, cells in rows:
        tds = []
        for cell in cells:
            label = (
                format_html('<a href="{}">{}</a>', url.format(cell["pk"]), cell["label"])
                if cell["pk"] and not printable
                else format_html("{}", cell["label"])
            )
            late = _late(cell)
            tds.append(
                format_html(
                    '<td class="text-center table-{}">{}{}</td>',
                    cell["css"],
                    label,
                    format_html(' <span class="small">({})</span>', late) if late else "",
                )
            )
        cells_html = mark_safe("".join(tds))  # noqa: S308 - each cell is format_html
        out.append(format_html('<tr><th class="fw-normal">{}</th>{}</tr>', union.name, cells_html))
    return mark_safe("\n".join(out))  # noqa: S308 - each row is format_html
