"""Form fields shared by the apps, and the length limit of every free-text field.

``IdNumberField`` and ``PhoneField`` normalise what was typed or pasted (spaces of every
kind, full-width digits, lower-case x, hyphens in phone numbers) in ``to_python``, that
is before any length check runs: '210 202 1985 0312 1218' is an 18-character number,
not a 22-character error. The full check of the number (check digit, birth date, area)
stays with the model and the services, which every path goes through.

A ``TextField`` has no ``max_length``, and a plain ``forms.CharField`` none unless given
one, so without a limit 10 MB of text reached the database through the public form.
:class:`TextLimitMixin`, in the bases of every form of unionvol, gives each free-text
field without a ``max_length`` a limit — :data:`TEXT_LIMITS` by model field, else
:data:`DEFAULT_TEXT_LIMIT` — whose error names it. Imports check their text columns
with :func:`text_too_long`, the same limits and the same message with the row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from html import escape
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxLengthValidator
from django.db import models
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from unionvol.idnumbers import (
    ID_INVALID_LENGTH,
    PHONE_INVALID,
    normalize_id_number,
    normalize_phone,
)

ID_NUMBER_LENGTH = 18
PHONE_MAX_LENGTH = 20


class NormalisedCharField(forms.CharField):
    """A CharField whose value is normalised before it is validated."""

    normalise: Callable[[str], str] = staticmethod(str)
    default_attrs: dict[str, str] = {}

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return self.normalise(value) if value else value

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        # The browser would cut a pasted '210 202 1985 0312 1218' at maxlength without a
        # word; the server refuses what is still too long once normalised, naming why.
        attrs.pop("maxlength", None)
        return {**self.default_attrs, **attrs}


class IdNumberField(NormalisedCharField):
    """A resident ID number (居民身份证号码): 18 characters once normalised."""

    normalise = staticmethod(normalize_id_number)
    default_attrs = {"autocomplete": "off", "spellcheck": "false"}
    default_error_messages = {"max_length": ID_INVALID_LENGTH}

    def __init__(self, *, max_length: int | None = ID_NUMBER_LENGTH, **kwargs: Any) -> None:
        super().__init__(max_length=max_length, **kwargs)


class PhoneField(NormalisedCharField):
    """A mobile or landline number; '+86 138-1234-5678' arrives as '13812345678'."""

    normalise = staticmethod(normalize_phone)
    default_attrs = {"autocomplete": "tel", "inputmode": "tel"}
    default_error_messages = {"max_length": PHONE_INVALID}

    def __init__(self, *, max_length: int | None = PHONE_MAX_LENGTH, **kwargs: Any) -> None:
        super().__init__(max_length=max_length, **kwargs)


# --- free-text length limits ----------------------------------------------------------

DEFAULT_TEXT_LIMIT = 2000  # notes, descriptions, resumes: a page of text
TEXT_LIMITS: dict[str, int] = {
    # "app_label.model_name.field": characters
    "campaigns.campaign.body": 20000,  # a notice's full text (the seeds run to 2,500)
    "reports.submission.narrative": 5000,  # 活动总结; each report form has its own limit
    "reports.submissionversion.narrative": 5000,
    "reports.submission.reviewer_comment": 2000,
    "reports.submissionreview.comment": 2000,
    "service.serviceproject.progress": 500,  # 进展情况 "500字以内" (seed 000)
}
TEXT_TOO_LONG = _("不能超过 %(limit_value)s 字（现有 %(show_value)s 字）。")
TEXT_TOO_LONG_IN = _("%(label)s不能超过 %(limit)s 字（现有 %(count)s 字）。")


def text_limit(model: type[models.Model] | None, name: str) -> int:
    """The most characters the free-text field ``name`` of ``model`` may hold."""
    if model is not None:
        key = f"{model._meta.label_lower}.{name}"
        if key in TEXT_LIMITS:
            return TEXT_LIMITS[key]
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # a form field of its own
            field = None
        max_length = getattr(field, "max_length", None)
        if max_length:
            return int(max_length)
    return DEFAULT_TEXT_LIMIT


class TextLengthValidator(MaxLengthValidator):
    """A length limit whose message names it (and, given a label, the field)."""

    def __init__(self, limit: int, label: Any = None) -> None:
        self.label = label
        super().__init__(limit, message=TEXT_TOO_LONG)

    def __call__(self, value: Any) -> None:
        if self.label is None:
            return super().__call__(value)
        message = text_too_long(value, self.limit_value, self.label)
        if message:
            raise forms.ValidationError(message, code="max_length")
        return None


def text_too_long(value: Any, limit: int, label: Any) -> str | None:
    """The message for a text over ``limit`` characters (``None`` if it fits)."""
    count = len(value) if isinstance(value, str) else len(str(value or ""))
    if count <= limit:
        return None
    return str(TEXT_TOO_LONG_IN % {"label": label, "limit": limit, "count": count})


def limit_text_field(field: forms.Field, limit: int) -> None:
    """Give a free-text form field without a length limit one (once)."""
    if not isinstance(field, forms.CharField) or field.max_length is not None:
        return  # a CharField with max_length has Django's message, which names it too
    if any(isinstance(v, MaxLengthValidator) for v in field.validators):
        return  # limited already (here, or by its form with its own message)
    field.validators.append(TextLengthValidator(limit))
    if isinstance(field.widget, forms.Textarea) and not field.help_text:
        field.help_text = _("不超过 %(limit)s 字。") % {"limit": limit}


class TextLimitMixin:
    """In the bases of every form of unionvol: no free text without a length limit.

    Model forms take the limit of each model field (:func:`text_limit`); plain forms
    built from a model's fields name it in ``text_model``; ``text_limits`` sets a limit
    by field name. Fields added after ``__init__`` are limited before validation.
    """

    text_model: type[models.Model] | None = None
    text_limits: dict[str, int] = {}
    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_text_fields()

    def limit_text_fields(self) -> None:
        meta = getattr(self, "_meta", None)
        model = self.text_model or getattr(meta, "model", None)
        for name, field in self.fields.items():
            limit_text_field(field, self.text_limits.get(name) or text_limit(model, name))

    def full_clean(self) -> None:
        self.limit_text_fields()
        super().full_clean()  # type: ignore[misc]


class QuickSelect(forms.Select):
    """A ``<select>`` written in Python: the same HTML as Django's template-rendered
    widget (name, attributes, option groups, the first matching option ``selected``),
    about twenty times cheaper. A filter bar of half a dozen selects otherwise costs
    more than the 50 rows under it."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        wanted = set(self.format_value(value))
        found = False  # one option selected: the first that matches
        parts = [f'<select name="{escape(name)}"{flatatt(final)}>']
        for group_value, group_label in self.choices:
            grouped = isinstance(group_label, (list, tuple))
            if grouped:
                parts.append(f'<optgroup label="{escape(str(group_value))}">')
            for option_value, label in group_label if grouped else [(group_value, group_label)]:
                shown = "" if option_value is None else str(option_value)
                selected = not found and shown in wanted
                found |= selected
                parts.append(
                    f'<option value="{escape(shown)}"{" selected" if selected else ""}>'
                    f"{label if isinstance(label, SafeData) else escape(str(label))}</option>"
                )
            if grouped:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


def quick_selects(form: forms.BaseForm) -> None:
    """Give every plain ``Select`` of ``form`` the :class:`QuickSelect` renderer, and
    every model choice field choices read with one plain query (see ``_ListedChoices``)."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            field.iterator = _listed(field.iterator)
            field.widget.choices = field.choices
        if type(field.widget) is forms.Select:
            quick = QuickSelect(attrs=field.widget.attrs)
            quick.choices = field.widget.choices
            quick.is_required = field.widget.is_required
            field.widget = quick


class _ListedChoices(ModelChoiceIterator):
    """Choices read with one plain query and kept: Django reads a ModelChoiceField's
    choices through ``QuerySet.iterator()``, which on PostgreSQL opens a server-side
    cursor (DECLARE, FETCH, CLOSE) each time the widget renders — three round trips
    for a list of ten."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:  # the field's queryset keeps its result cache
            yield self.choice(obj)


def _listed(iterator: type[ModelChoiceIterator]) -> type[ModelChoiceIterator]:
    if iterator is ModelChoiceIterator:
        return _ListedChoices
    # Below a subclass (django-filter's adds a "null" choice), above Django's.
    return type(f"Listed{iterator.__name__}", (iterator, _ListedChoices), {})
