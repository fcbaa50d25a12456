"""A list of checkboxes written in Python, for the bounded pickers of the apps.

Crispy-forms renders a ``CheckboxSelectMultiple`` through a template per box (0.13 ms a
box): a notice to a province's thousand unions, or a team's hundred candidates twice,
spent most of its page there. :class:`Checklist` writes the same Bootstrap
``form-check`` rows itself. It is not a ``CheckboxSelectMultiple``, so crispy renders
it with :meth:`Checklist.render`, and the field's label is still a fieldset's legend.
The search box's settings (``data-search-multi`` …, read by ``static/js/unionvol.js``)
ride on the first box.
"""

from __future__ import annotations

from html import escape
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import SafeString, mark_safe


class Checklist(forms.Widget):
    """Subclasses give :meth:`rows` — ``(value, label, ticked)`` in page order — and
    :meth:`search_attrs`."""

    allow_multiple_selected = True
    use_fieldset = True

    def rows(self, values: list[str]) -> list[tuple[Any, str, bool]]:
        raise NotImplementedError

    def search_attrs(self) -> dict[str, str]:
        return {}

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        getter = getattr(data, "getlist", None)
        return getter(name) if getter is not None else data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False  # an unticked list sends nothing, and means "none"

    def format_value(self, value: Any) -> list[str]:
        if value is None:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [str(getattr(v, "pk", v)) for v in values]

    def id_for_label(self, id_: str) -> str:
        return ""  # a group of boxes: the legend labels it

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        box_id = escape(str(final.get("id") or f"id_{name}"))
        invalid = " is-invalid" if "is-invalid" in str(final.get("class", "")) else ""
        search = flatatt(self.search_attrs())
        # Crispy writes the field's errors after this element: Bootstrap shows them only
        # after an ``.is-invalid`` sibling.
        wrapper = ' class="is-invalid" aria-invalid="true"' if invalid else ""
        parts = [f'<div id="{box_id}"{wrapper}>']
        for index, (pk, label, ticked) in enumerate(self.rows(self.format_value(value))):
            option = f"{box_id}_{index}"
            parts.append(
                f'<div class="form-check"><input type="checkbox" class="form-check-input{invalid}"'
                f' name="{escape(name)}" value="{escape(str(pk))}" id="{option}"'
                f"{search if index == 0 else ''}{' checked' if ticked else ''}>"
                f'<label for="{option}" class="form-check-label">{escape(label)}</label></div>'
            )
        parts.append("</div>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above
