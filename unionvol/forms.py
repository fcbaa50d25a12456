"""Form fields shared by the apps.

``IdNumberField`` and ``PhoneField`` normalise what was typed or pasted (spaces of every
kind, full-width digits, lower-case x, hyphens in phone numbers) in ``to_python``, that
is before any length check runs: '210 202 1985 0312 1218' is an 18-character number,
not a 22-character error. The full check of the number (check digit, birth date, area)
stays with the model and the services, which every path goes through.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms

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
