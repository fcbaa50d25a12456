"""The roster's filters (django-filter); every choice comes from the user's scope."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from unions.models import Union
from unions.selectors import nearby_unions, union_choices
from unionvol.forms import quick_selects
from unionvol.params import int_param
from unionvol.scoping import union_of
from volunteers.models import Identity, PoliticalStatus, Specialty, Volunteer, VolunteerStatus
from volunteers.selectors import specialty_choices

SORTS = {
    "-registered_at": ("-registered_at", "-pk"),
    "registered_at": ("registered_at", "pk"),
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "union": ("union__path", "name", "pk"),
    "status": ("status", "-registered_at", "-pk"),
}


def roster_ordering(sort: str) -> tuple[str, ...]:
    """The roster's ordering for a sort choice; each ends in ``pk`` (keyset paging)."""
    return SORTS.get(sort, SORTS["-registered_at"])


SORT_LABELS = {
    "-registered_at": _("登记时间（新→旧）"),
    "registered_at": _("登记时间（旧→新）"),
    "name": _("姓名"),
    "-name": _("姓名（倒序）"),
    "union": _("工会"),
    "status": _("状态"),
}


RosterExtension = Callable[[Any, Union | None], dict[str, django_filters.Filter]]
_extensions: list[RosterExtension] = []


def extend_roster(fn: RosterExtension) -> RosterExtension:
    """For the apps above this one: ``fn(user, union)`` returns extra roster filters.

    ``union`` is the union chosen in the filter, else the user's own. The service app
    adds its teams this way, so that the roster filters by team without ``volunteers``
    importing ``service``.
    """
    if fn not in _extensions:
        _extensions.append(fn)
    return fn


class RosterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("姓名或电话"), method="filter_q")
    union = django_filters.ModelChoiceFilter(
        label=_("工会（含下级）"), queryset=Union.objects.none(), method="filter_union"
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=VolunteerStatus.choices)
    political_status = django_filters.ChoiceFilter(
        label=_("政治面貌"), choices=PoliticalStatus.choices
    )
    identity = django_filters.ChoiceFilter(label=_("身份"), choices=Identity.choices)
    specialty = django_filters.ModelChoiceFilter(
        label=_("特长"), queryset=Specialty.objects.all(), field_name="specialties"
    )
    registered = django_filters.DateFromToRangeFilter(
        label=_("登记日期"),
        field_name="registered_at__date",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    sort = django_filters.ChoiceFilter(
        label=_("排序"),
        choices=list(SORT_LABELS.items()),
        method="filter_sort",
        empty_label=None,
    )

    class Meta:
        model = Volunteer
        fields: list[str] = []

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A province sees a thousand unions (a nation, millions): the union filter
        # offers the chosen union (else the user's own), the unions above it up to the
        # user's, and its children — a drill-down that stays as long as a union has
        # children, whatever the size of the subtree. The teams are those of the chosen
        # union and its children. The filters still accept only visible rows.
        own = union_of(user)
        # int_param, not str.isdigit(): '²' is a digit to Python but no id (HTTP 500).
        chosen = int_param((self.data or {}).get("union"))
        base = own
        if chosen is not None:
            base = union_choices(user=user).filter(pk=chosen).first() or own
        self.filters["union"].queryset = nearby_unions(user=user, union=base)
        self._add_extensions(user, base)
        self.form.fields["registered"].widget.attrs["type"] = "date"
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} form-control-sm")
        quick_selects(self.form)
        # Offered from the shared list in memory; a chosen one is checked against the table.
        empty = [("", self.form.fields["specialty"].empty_label)]
        self.form.fields["specialty"].widget.choices = empty + specialty_choices()

    def _add_extensions(self, user: Any, base: Union | None) -> None:
        # Before the dates, so the form keeps the who/what filters together.
        extra = {name: f for fn in _extensions for name, f in fn(user, base).items()}
        for f in extra.values():
            f.model = self.queryset.model
            f.parent = self
        filters = list(self.filters.items())
        at = next(i for i, (name, _f) in enumerate(filters) if name == "registered")
        self.filters.clear()
        self.filters.update([*filters[:at], *extra.items(), *filters[at:]])

    def filter_q(self, queryset: QuerySet[Volunteer], name: str, value: str) -> QuerySet[Volunteer]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(phone__contains=value))

    def filter_union(
        self, queryset: QuerySet[Volunteer], name: str, value: Union | None
    ) -> QuerySet[Volunteer]:
        return queryset.within(value) if value else queryset  # type: ignore[attr-defined]

    def filter_sort(
        self, queryset: QuerySet[Volunteer], name: str, value: str
    ) -> QuerySet[Volunteer]:
        return queryset.order_by(*roster_ordering(value))

    @property
    def qs(self) -> QuerySet[Volunteer]:
        qs = super().qs
        if (
            self.form.cleaned_data.get("specialty")
            if self.is_bound and self.form.is_valid()
            else None
        ):
            qs = qs.distinct()
        return qs
