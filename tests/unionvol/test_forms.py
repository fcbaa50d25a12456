"""The kernel's IdNumberField and PhoneField normalise before any length check."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation

from unionvol.forms import IdNumberField, PhoneField
from unionvol.idnumbers import ID_INVALID_LENGTH, PHONE_INVALID, complete_id_number

NUMBER = complete_id_number("21020219850312104")  # ends in X


class PersonForm(forms.Form):
    id_number = IdNumberField(label="身份证号")
    phone = PhoneField(label="联系电话", required=False)


def test_a_spaced_number_is_not_refused_for_its_length() -> None:
    spaced = f"{NUMBER[:3]} {NUMBER[3:6]} {NUMBER[6:10]} {NUMBER[10:14]} {NUMBER[14:-1]}x"
    assert len(spaced) > 18
    form = PersonForm({"id_number": spaced, "phone": "+86 139-0411-0001"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"id_number": NUMBER, "phone": "13904110001"}


def test_a_number_still_too_long_gets_the_id_message_not_djangos() -> None:
    with translation.override("zh-hans"):
        form = PersonForm({"id_number": NUMBER + " 1", "phone": "139 0411 0001 2345 6789 01"})
        assert not form.is_valid()
        assert form.errors == {
            "id_number": [str(ID_INVALID_LENGTH)],
            "phone": [str(PHONE_INVALID)],
        }
    assert "18" in str(ID_INVALID_LENGTH)


def test_empty_optional_phone_stays_empty() -> None:
    form = PersonForm({"id_number": NUMBER, "phone": "\u3000 "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == ""


@pytest.mark.parametrize("name", ["id_number", "phone"])
def test_the_browser_does_not_cut_a_paste(name: str) -> None:
    # A maxlength attribute would make the browser drop what is pasted past it, silently.
    html = str(PersonForm()[name])
    assert "maxlength" not in html


@pytest.mark.parametrize("value", [None, "", "b", 2, "dup"])
def test_the_quick_select_writes_what_djangos_select_writes(value: object) -> None:
    """Same HTML as Django's template-rendered widget: escaping, groups, a None value, a
    safe label, a lazy label, and only the first of two equal values selected."""
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    from unionvol.forms import QuickSelect

    choices = [
        (None, "—"),
        ("a", 'A & "quoted" <b>'),
        ("b", gettext_lazy("状态")),
        ("Group <1>", [(2, "two"), ("3", mark_safe("<i>three</i>"))]),
        ("dup", "first"),
        ("dup", "second"),
    ]
    attrs = {"class": "form-select", "id": "id_x", "required": True, "disabled": False}
    expected = forms.Select(attrs=attrs, choices=choices).render("x<", value)
    got = QuickSelect(attrs=attrs, choices=choices).render("x<", value)

    def squeeze(html: str) -> str:  # Django's templates put each option on its own line
        return "".join(line.strip() for line in html.splitlines())

    assert squeeze(got) == squeeze(expected)
