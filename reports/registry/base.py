"""The report-sheet registry: the base class every official sheet extends; lookup by key."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.figures import Figures, figures_for
from unionvol.forms import TextLengthValidator, TextLimitMixin
from unionvol.xlsx import SafeSheet, SafeWorkbook

AggregateRow = tuple[Any, dict[str, Any]]  # (union, data of that union)


PROGRESS_LIMIT = 500
TYPICAL_LIMIT = 2000
SUMMARY_LIMIT = 5000
NARRATIVE_TOO_LONG = gettext_lazy("%(label)s不能超过 %(limit)s 字（现有 %(count)s 字）。")
PHOTOS_RANGE = gettext_lazy("请附 %(min)s—%(max)s 张活动图片（现有 %(count)s 张）。")


class ReportSheet:
    """Base class of a report form.

    Implementers set:

    * ``identifier`` — the key used by milestones, URLs and ``export_sheet``;
    * ``title`` — the sheet's Chinese title as in the seed;
    * ``narrative_label`` / ``narrative_limit`` — the free-text part (None: no text);
    * ``min_photos`` / ``max_photos`` — photos required on submit (0: none).

    and implement:

    * ``prefill(union, milestone) -> dict`` — the figures from live records (JSON-safe);
    * ``form_class(data)`` — a Django form for the editable part; ``apply(data, cleaned)``
      merges its cleaned data back into ``data`` (by default ``narrative`` only);
    * ``validate(data) -> list[str]`` — messages that block submission;
    * ``write_xlsx(workbook, union, data)`` — one union's sheet in the seed's layout;
    * ``write_aggregate(workbook, parent_union, rows)`` — one row or block per
      subordinate union plus 合计.

    ``render(data)`` / ``template_name`` show ``data`` as HTML on the submission page.
    ``data`` is plain JSON (it is frozen as the snapshot of each submitted version);
    a union's ``narrative`` and photo count are merged into it on submission.
    """

    identifier: ClassVar[str]
    title: ClassVar[str]
    narrative_label: ClassVar[str | None] = None
    narrative_limit: ClassVar[int | None] = None
    min_photos: ClassVar[int] = 0
    max_photos: ClassVar[int] = 0
    template_name: ClassVar[str] = "reports/forms/figures.html"

    # --- data -----------------------------------------------------------------
    def prefill(self, union: Any, milestone: Any) -> dict[str, Any]:
        figures = figures_for(union, campaign=milestone.campaign, until=milestone.due_date)
        return {"figures": figures.as_json()}

    def prefill_campaign(self, union: Any, campaign: Any) -> dict[str, Any]:
        """Data for a union without a milestone (used by ``export_sheet``)."""

        class _Period:
            pass

        period = _Period()
        period.campaign = campaign  # type: ignore[attr-defined]
        period.due_date = campaign.period_end  # type: ignore[attr-defined]
        return self.prefill(union, period)

    def form_class(self, data: dict[str, Any]) -> type[forms.Form]:
        label = self.narrative_label
        limit = self.narrative_limit

        class NarrativeForm(TextLimitMixin, forms.Form):
            pass

        if label:
            NarrativeForm.base_fields["narrative"] = forms.CharField(
                label=label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 8}),
                help_text=_("不超过 %(limit)s 字") % {"limit": limit} if limit else "",
                validators=[_length_validator(label, limit)] if limit else [],
            )
        return NarrativeForm

    def initial(self, data: dict[str, Any], narrative: str) -> dict[str, Any]:
        return {"narrative": narrative}

    def apply(self, data: dict[str, Any], cleaned: dict[str, Any]) -> dict[str, Any]:
        return data

    def validate(self, data: dict[str, Any], *, narrative: str = "", photos: int = 0) -> list[str]:
        errors: list[str] = []
        if self.narrative_label and self.narrative_limit and len(narrative) > self.narrative_limit:
            errors.append(
                str(NARRATIVE_TOO_LONG)
                % {
                    "label": self.narrative_label,
                    "limit": self.narrative_limit,
                    "count": len(narrative),
                }
            )
        if self.min_photos and not (self.min_photos <= photos <= self.max_photos):
            errors.append(
                str(PHOTOS_RANGE)
                % {"min": self.min_photos, "max": self.max_photos, "count": photos}
            )
        return errors

    def figures_of(self, data: dict[str, Any]) -> dict[str, Any]:
        return data.get("figures") or {}

    def render(self, data: dict[str, Any], *, submission: Any = None, request: Any = None) -> str:
        """The form as an HTML fragment (the submission page includes ``template_name``)."""
        from django.template.loader import render_to_string

        from reports.selectors import figure_items

        context = {
            "report_form": self,
            "data": data,
            "figures": figure_items(data.get("figures") or {}),
            "submission": submission,
        }
        return render_to_string(self.template_name, context, request=request)

    # --- xlsx -----------------------------------------------------------------
    short_title: ClassVar[str] = ""

    def sheet_title(self) -> str:
        return str(self.short_title or self.title)

    def write_xlsx(self, workbook: SafeWorkbook, union: Any, data: dict[str, Any]) -> SafeSheet:
        raise NotImplementedError

    def write_aggregate(
        self, workbook: SafeWorkbook, parent_union: Any, rows: Sequence[AggregateRow]
    ) -> SafeSheet:
        raise NotImplementedError


def _length_validator(label: str, limit: int) -> TextLengthValidator:
    return TextLengthValidator(limit, label=label)


REGISTRY: dict[str, ReportSheet] = {}


def register(cls: type[ReportSheet]) -> type[ReportSheet]:
    REGISTRY[cls.identifier] = cls()
    return cls


def get_sheet(identifier: str) -> ReportSheet:
    return REGISTRY[identifier]


def _today() -> str:
    return f"{timezone.localdate():%Y年%m月%d日}"


def _meta_header(sheet: SafeSheet, union_label: str, width: int) -> None:
    half = max(width // 2, 1)
    sheet.meta([(_("填表单位:") + union_label, half), (_("填表日期:") + _today(), width - half)])


def identifiers() -> list[str]:
    return list(REGISTRY)


def describe() -> list[tuple[str, str]]:
    return [(key, str(form.title)) for key, form in REGISTRY.items()]


def empty_figures() -> dict[str, Any]:
    return Figures().as_json()
