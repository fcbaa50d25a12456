"""Bounded pickers of a team's members, and of a team.

A team formed by a city union may choose among the approved volunteers of the whole
city — tens of thousands. The member form used to list every one of them three times
(captain, cadres, volunteers): a page of megabytes, growing with the subtree. These
widgets offer the people already chosen and the first :data:`PICKER_LIMIT` candidates
(the team's own union first); the search box (``static/js/unionvol.js``, served by
``service:team_candidates``) reaches every other candidate by name or phone. What the
form accepts is still the field's queryset, never what the page offered. A project's
team is chosen the same way (a province has thousands of teams; ``service:team_search``).
"""

from __future__ import annotations

from html import escape
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _lazy

from unionvol.checklists import Checklist
from unionvol.params import int_param

PICKER_LIMIT = 100


PEOPLE_TEXTS = {
    "data-search-placeholder": _lazy("输入姓名或电话查找"),
    "data-search-none": _lazy("没有找到符合条件的志愿者。"),
    "data-search-found": _lazy("找到 {n} 人，请在下面选择。"),
    "data-search-more": _lazy("只列出前 {n} 人，请输入更完整的姓名或电话。"),
    "data-search-failed": _lazy("查找失败，请稍后再试。"),
    "rest": _lazy("……其余人员请在上方查找"),
}
TEAM_TEXTS = {
    "data-search-placeholder": _lazy("输入服务队名称查找"),
    "data-search-none": _lazy("没有找到符合条件的服务队。"),
    "data-search-found": _lazy("找到 {n} 个服务队，请在下面选择。"),
    "data-search-more": _lazy("只列出前 {n} 个，请输入更完整的名称。"),
    "data-search-failed": _lazy("查找失败，请稍后再试。"),
    "rest": _lazy("……其余服务队请在上方查找"),
}


def _search_attrs(name: str, url: str, texts: dict[str, Any]) -> dict[str, str]:
    if not url:
        return {}  # no search: the list is what the page offers
    attrs = {k: str(v) for k, v in texts.items() if k.startswith("data-")}
    return {name: url, **attrs}


class FirstCandidates:
    """The first :data:`PICKER_LIMIT` candidates, read once for the three widgets."""

    def __init__(self, offered: Any) -> None:
        self.offered = offered
        self._rows: tuple[list[Any], bool] | None = None

    @property
    def rows(self) -> tuple[list[Any], bool]:
        if self._rows is None:
            first = list(self.offered[: PICKER_LIMIT + 1])
            self._rows = first[:PICKER_LIMIT], len(first) > PICKER_LIMIT
        return self._rows

    @property
    def more(self) -> bool:
        """Whether some candidates have no entry of their own (the search finds them)."""
        return self.rows[1]


class _Offered:
    """What a candidate widget lists: the chosen people, then the first candidates."""

    field: forms.ModelChoiceField
    first: FirstCandidates

    def offered_rows(self, chosen: set[int]) -> tuple[list[Any], bool]:
        queryset = self.field.queryset
        if queryset is None:
            return [], False
        first, more = self.first.rows
        have = {v.pk for v in first}
        picked = list(queryset.filter(pk__in=chosen - have)) if chosen - have else []
        return picked + first, more

    def label(self, obj: Any) -> str:
        return str(self.field.label_from_instance(obj))


class CandidatePicker(_Offered, forms.Select):
    """One choice (a captain, a team): a ``<select>`` of the offered rows."""

    def __init__(
        self,
        *,
        field: forms.ModelChoiceField,
        first: FirstCandidates,
        search_url: str,
        texts: dict[str, Any] = PEOPLE_TEXTS,
    ) -> None:
        super().__init__(attrs=field.widget.attrs)
        self.field, self.first, self.search_url, self.texts = field, first, search_url, texts

    def use_required_attribute(self, initial: Any) -> bool:
        return True  # the first option is empty; Django adds it only to a required field

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final.update(_search_attrs("data-search", self.search_url, self.texts))
        values = self.format_value(value)
        chosen = int_param(values[0]) if values else None
        rows, more = self.offered_rows({chosen} if chosen is not None else set())
        parts = [f'<select name="{escape(name)}"{flatatt(final)}>']
        parts.append(f'<option value="">{escape(str(self.field.empty_label or ""))}</option>')
        for person in rows:
            selected = " selected" if person.pk == chosen else ""
            parts.append(
                f'<option value="{person.pk}"{selected}>{escape(self.label(person))}</option>'
            )
        if more:
            rest = escape(str(self.texts["rest"]))
            parts.append(f'<option value="" disabled>{rest}</option>')
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


class CandidateChecklist(_Offered, Checklist):
    """Several people (cadres, volunteers): a box for each one ticked and each offered
    candidate; a match of the search is added as a ticked box."""

    def __init__(
        self, *, field: forms.ModelMultipleChoiceField, first: FirstCandidates, search_url: str
    ) -> None:
        super().__init__(attrs=field.widget.attrs)
        self.field, self.first, self.search_url = field, first, search_url

    def search_attrs(self) -> dict[str, str]:
        return _search_attrs("data-search-multi", self.search_url, PEOPLE_TEXTS)

    def rows(self, values: list[str]) -> list[tuple[Any, str, bool]]:
        chosen = {pk for pk in (int_param(v) for v in values) if pk is not None}
        people, _more = self.offered_rows(chosen)
        return [(p.pk, self.label(p), p.pk in chosen) for p in people]


def candidate_pickers(form: forms.BaseForm, *, offered: Any, search_url: str) -> FirstCandidates:
    """Give the form's people fields the bounded widgets; ``offered``: the candidates in
    the order they are listed. Returns the first candidates (``.more``: a page hint)."""
    first = FirstCandidates(offered)
    for field in form.fields.values():
        if isinstance(field, forms.ModelMultipleChoiceField):
            field.widget = CandidateChecklist(field=field, first=first, search_url=search_url)
        elif isinstance(field, forms.ModelChoiceField):
            field.widget = CandidatePicker(field=field, first=first, search_url=search_url)
    return first


def team_picker(form: forms.BaseForm, name: str, *, offered: Any, search_url: str) -> None:
    """Give a form's team field the bounded select: ``offered`` in order, the first
    :data:`PICKER_LIMIT`, the one chosen, and the search for any other."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.widget = CandidatePicker(
        field=field, first=FirstCandidates(offered), search_url=search_url, texts=TEAM_TEXTS
    )
