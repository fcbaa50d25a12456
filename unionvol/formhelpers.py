"""Widgets and the crispy helper every form of unionvol uses."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def helper(label: Any) -> FormHelper:
    h = FormHelper()
    h.add_input(Submit("submit", label))
    return h
