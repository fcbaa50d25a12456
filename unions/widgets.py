"""A union picker that stays bounded however large the user's subtree.

A province sees a thousand unions and the national federation millions: a ``<select>``
of every visible union is a page of megabytes and a query over the whole subtree. The
picker offers the base union (by default the user's own) and its children, plus the
union already chosen; a type-ahead search box (``static/js/unionvol.js``, served by
``unions:search``) reaches every other union of the user's scope. What the form accepts
is still decided by the field's queryset, never by what the page offered.
"""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import Q
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from unions.models import Union
from unionvol.checklists import Checklist
from unionvol.params import int_param
from unionvol.scoping import subtree_q, union_of

# The most children the select lists; the search reaches the rest.
PICKER_LIMIT = 200
_FIELDS = ("pk", "name", "path", "depth")


def _children_q(union: Union) -> Q:
    return subtree_q(union) & Q(depth=union.depth + 1)


def _search_attrs(name: str, params: dict[str, Any], placeholder: str) -> dict[str, str]:
    """The data attributes the search box of ``static/js/unionvol.js`` reads."""
    url = reverse("unions:search")
    return {
        name: f"{url}?{urlencode(params)}" if params else url,
        "data-search-placeholder": placeholder,
        "data-search-none": _("没有找到匹配的工会。"),
        "data-search-found": _("找到 {n} 个工会，请在下面选择。"),
        "data-search-more": _("只列出前 {n} 个，请输入更完整的名称。"),
        "data-search-failed": _("查找失败，请稍后再试。"),
    }


class UnionPicker(forms.Select):
    """The widget of a ``ModelChoiceField`` of unions; install it with :func:`union_picker`."""

    def __init__(
        self,
        *,
        field: forms.ModelChoiceField,
        user: Any,
        base: Union | None = None,
        search: dict[str, Any] | None = None,
        cache: dict[Any, Any] | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs=attrs)
        self.field = field
        self.user = user
        self.base = base
        self.search = {k: v for k, v in (search or {}).items() if v}
        # Shared by the rows of a formset: the base's children are read once.
        self.cache = cache if cache is not None else {}

    def offered(self, chosen: int | None) -> tuple[list[Union], bool, Union | None]:
        """The base union and its children (the first ``PICKER_LIMIT``), whether there are
        more, and the chosen union when it is not among them."""
        queryset = self.field.queryset
        if queryset is None:
            return [], False, None
        base = self.base if self.base is not None else union_of(self.user)
        # A cache is shared only by widgets of one queryset (the rows of a formset).
        key = ("near", base.pk if base else None)
        if key not in self.cache:
            near = Q(depth__lte=2) if base is None else Q(pk=base.pk) | _children_q(base)
            rows = list(queryset.filter(near).only(*_FIELDS).order_by("path")[: PICKER_LIMIT + 1])
            self.cache[key] = (rows[:PICKER_LIMIT], len(rows) > PICKER_LIMIT)
        rows, more = self.cache[key]
        extra = None
        if chosen is not None and all(u.pk != chosen for u in rows):
            if ("extra", chosen) not in self.cache:
                self.cache["extra", chosen] = queryset.filter(pk=chosen).only(*_FIELDS).first()
            extra = self.cache["extra", chosen]
        return rows, more, extra

    def use_required_attribute(self, initial: Any) -> bool:
        # Select's test reads the choices, which this widget does not keep.
        return not self.is_hidden and getattr(self.field, "empty_label", None) is not None

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final.update(_search_attrs("data-search", self.search, _("输入工会名称或代码查找")))
        values = self.format_value(value)
        chosen = int_param(values[0]) if values else None
        rows, more, extra = self.offered(chosen)
        top = min((u.depth for u in rows), default=1)
        parts = [f'<select name="{escape(name)}"{flatatt(final)}>']
        empty_label = getattr(self.field, "empty_label", None)
        if empty_label is not None:
            parts.append(f'<option value="">{escape(str(empty_label))}</option>')
        if extra is not None:  # found by the search (or named in the URL): first, unindented
            parts.append(f'<option value="{extra.pk}" selected>{escape(extra.name)}</option>')
        for union in rows:
            selected = " selected" if union.pk == chosen else ""
            # Children indented under the base union (full-width spaces, as in print).
            indent = "\u3000" * (union.depth - top)
            parts.append(
                f'<option value="{union.pk}"{selected}>{indent}{escape(union.name)}</option>'
            )
        if more:
            rest = escape(_("……其余工会请在上方查找"))
            parts.append(f'<option value="" disabled>{rest}</option>')
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


def union_picker(
    form: forms.BaseForm,
    name: str,
    *,
    user: Any,
    base: Union | None = None,
    under: Union | None = None,
    outside: Union | None = None,
    include_inactive: bool = False,
    cache: dict[Any, Any] | None = None,
) -> None:
    """Give ``form``'s union field the bounded :class:`UnionPicker`.

    Call it after the field's queryset is set. ``under`` / ``outside`` /
    ``include_inactive`` tell the search what the queryset admits, so that it does not
    offer what the form would refuse; ``base`` is the union whose children are listed
    (by default the user's own)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.widget = UnionPicker(
        field=field,
        user=user,
        base=base,
        search={
            "under": under.pk if under else None,
            "outside": outside.pk if outside else None,
            "inactive": "1" if include_inactive else None,
        },
        cache=cache,
        attrs=field.widget.attrs,
    )


class UnionChecklist(Checklist):
    """Checkboxes of unions that stay bounded: the base union's children (the first
    ``PICKER_LIMIT``) and every union already ticked, in tree order; the search box
    (``static/js/unionvol.js``) adds any other union of the field's scope as a ticked box.
    What the form accepts is still the field's queryset. A province's notice to its
    thousand unions shows a thousand ticked boxes: :class:`~unionvol.checklists.Checklist`
    writes them without a template per box."""

    def __init__(
        self,
        *,
        field: forms.ModelMultipleChoiceField,
        base: Union,
        search: dict[str, Any] | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs=attrs)
        self.field = field
        self.base = base
        self.search = {k: v for k, v in (search or {}).items() if v}
        self.more = False

    def search_attrs(self) -> dict[str, str]:
        return _search_attrs(
            "data-search-multi", self.search, _("输入工会名称或代码查找，点击加入")
        )

    def rows(self, values: list[str]) -> list[tuple[Any, str, bool]]:
        queryset = self.field.queryset
        if queryset is None:
            return []
        chosen = {pk for pk in (int_param(v) for v in values) if pk is not None}
        children = queryset.filter(_children_q(self.base)).only(*_FIELDS).order_by("path")
        listed = list(children[: PICKER_LIMIT + 1])
        past_limit = len(listed) > PICKER_LIMIT
        listed = listed[:PICKER_LIMIT]
        have = {u.pk for u in listed}
        if chosen - have:
            listed += queryset.filter(pk__in=chosen - have).only(*_FIELDS)
            listed.sort(key=lambda u: u.path)
        # Children left without a box: the help text says so (_ChecklistHelp), or the list
        # would look complete to someone looking for union 201. Not when the ticked ones
        # (a new notice's default: every child) fill the gap.
        top = self.base.depth + 1
        self.more = past_limit and children.count() > sum(u.depth == top for u in listed)
        # Deeper unions indented under their level (full-width spaces, as in print).
        return [(u.pk, "\u3000" * (u.depth - top) + u.name, u.pk in chosen) for u in listed]


class _ChecklistHelp:
    """The field's help text, plus a line when the checklist left children out. Read
    when the help text is rendered, which crispy-forms does after the boxes
    (``UnionChecklist.rows``) — the notice form renders with crispy."""

    def __init__(self, widget: UnionChecklist, text: Any) -> None:
        self.widget, self.text = widget, text

    def __str__(self) -> str:
        parts = [escape(str(self.text))] if self.text else []
        if self.widget.more:
            rest = escape(_("……其余工会请在上方查找"))
            parts.append(f'<span class="d-block uv-checklist-more">{rest}</span>')
        return " ".join(parts)

    def __html__(self) -> str:
        return str(self)

    def __bool__(self) -> bool:
        return bool(self.text) or self.widget.more


def union_checklist(form: forms.BaseForm, name: str, *, base: Union) -> None:
    """Give ``form``'s multiple-union field the bounded :class:`UnionChecklist` of the
    unions below ``base`` (the search offers only those)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelMultipleChoiceField)
    field.widget = widget = UnionChecklist(
        field=field, base=base, search={"under": base.pk}, attrs=field.widget.attrs
    )
    field.help_text = _ChecklistHelp(widget, field.help_text)  # type: ignore[assignment]
