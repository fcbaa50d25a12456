"""Issue 12 item 6: every free-text field has a length limit, enforced in the forms and
the imports with the limit named; 10 MB posted to the public form is refused at once.

The forms are enumerated (every form class of the apps, and every report form of the
registry), so a form added later without a limit fails here.
"""

from __future__ import annotations

import importlib
import io
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django import forms
from django.db import models
from django.utils import translation
from openpyxl import Workbook

from tests.factories import make_campaign, make_member
from unions.models import Membership, Role, Union
from unionvol.forms import (
    DEFAULT_TEXT_LIMIT,
    TEXT_LIMITS,
    TextLengthValidator,
    TextLimitMixin,
    text_limit,
)
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

APPS = ("unionvol", "unions", "campaigns", "volunteers", "service", "relief", "reports")
FORM_MODULES = [f"{app}.forms" for app in APPS] + [
    "unionvol.sheets",
    "service.sheets",
    "unionvol.admin_xlsx",
]
# Forms without any text a person types (the admin's import: a file and a format).
NO_TEXT = {"unionvol.admin_xlsx.SafeImportForm"}


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def app_form_classes() -> list[type[forms.BaseForm]]:
    for module in FORM_MODULES:
        importlib.import_module(module)
    found = {
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.split(".")[0] in APPS
        and cls.__module__ != "unionvol.forms"
        and "<locals>" not in cls.__qualname__
    }
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def test_every_form_of_the_apps_limits_its_text() -> None:
    classes = app_form_classes()
    assert len(classes) > 30
    missing = [_name(c) for c in classes if not issubclass(c, TextLimitMixin)]
    assert missing == []


@pytest.fixture
def ctx(tree: Any) -> dict[str, Any]:
    from campaigns.models import Campaign, Milestone
    from relief.models import HardshipFile
    from service.models import ServiceTeam
    from tests.campaigns.factories import make_team

    user = make_member(tree.district_a, Role.ADMIN)
    return {
        "tree": tree,
        "user": user,
        "team": make_team(tree.grassroots_a, campaign=make_campaign(tree.city)),
        "membership": Membership.objects.get(user=user),
        "unions": Union.objects.all(),
        "campaigns": Campaign.objects.all(),
        "volunteers": Volunteer.objects.all(),
        "files": HardshipFile.objects.all(),
        "milestones": Milestone.objects.all(),
        "teams": ServiceTeam.objects.all(),
    }


# How to build each form (the keyword arguments its __init__ requires).
BUILDERS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "campaigns.forms.CampaignForm": lambda c: {"issuer": c["tree"].city},
    "campaigns.forms.CampaignFilterForm": lambda c: {"years": [2026]},
    "relief.forms.HardshipFileForm": lambda c: {"union": c["tree"].grassroots_a},
    "relief.forms.PairingForm": lambda c: {"shortlist": c["volunteers"]},
    "relief.forms.GrantForm": lambda c: {"user": c["user"]},
    "relief.forms.VisitForm": lambda c: {"user": c["user"], "files": c["files"]},
    "relief.forms.DonationForm": lambda c: {"user": c["user"], "unions": c["unions"]},
    "relief.forms.WarmthStatsForm": lambda c: {
        "campaigns": c["campaigns"],
        "unions": c["unions"],
        "user": c["user"],
    },
    "relief.forms.WishForm": lambda c: {"files": c["files"]},
    "reports.forms.ExportForm": lambda c: {
        "unions": c["unions"],
        "milestones": c["milestones"],
        "user": c["user"],
    },
    "service.forms.TeamForm": lambda c: {
        "campaigns": c["campaigns"],
        "unions": c["unions"],
        "teams": c["teams"],
        "user": c["user"],
    },
    "service.forms.TeamMembersForm": lambda c: {"candidates": c["volunteers"], "members": []},
    "service.forms.ProjectForm": lambda c: {"teams": c["teams"]},
    "service.forms.ActivityForm": lambda c: {"team": c["team"]},
    "service.forms.ParticipationHoursForm": lambda c: {"participations": []},
    "unions.forms.UnionMoveForm": lambda c: {"user": c["user"], "union": c["tree"].grassroots_a},
    "unions.forms.MemberUpdateForm": lambda c: {"instance": c["membership"]},
    "volunteers.forms.VolunteerForm": lambda c: {"user": c["user"]},
    "volunteers.forms.ImportUploadForm": lambda c: {"user": c["user"]},
    "volunteers.forms.ApplyLinkUnionForm": lambda c: {"user": c["user"]},
}


def built_forms(ctx: dict[str, Any], data: Callable[[forms.BaseForm], dict[str, Any]]) -> Any:
    """Every form of the apps (and of the report registry), bound to ``data(form)``."""
    from service.sheets import EMPTY_BLOCK
    from unionvol.sheets import SHEETS as REGISTRY

    for cls in app_form_classes():
        if _name(cls) in NO_TEXT:
            continue
        kwargs = BUILDERS.get(_name(cls), lambda c: {})(ctx)
        unbound = cls(**kwargs)
        yield _name(cls), cls(data(unbound), **kwargs)
    for key, report_form in REGISTRY.items():
        cls = report_form.form_class({"blocks": [dict(EMPTY_BLOCK), dict(EMPTY_BLOCK)]})
        unbound = cls()
        yield f"unionvol.sheets.{key}", cls(data(unbound))


def _limit_of(field: forms.Field) -> int | None:
    if getattr(field, "max_length", None):
        return int(field.max_length)
    for validator in field.validators:
        if isinstance(validator, TextLengthValidator):
            return int(validator.limit_value)
    return None


def _text_fields(form: forms.BaseForm) -> dict[str, forms.CharField]:
    return {n: f for n, f in form.fields.items() if isinstance(f, forms.CharField)}


def test_every_text_field_is_refused_one_character_over_its_limit_with_the_limit_named(
    ctx: dict[str, Any],
) -> None:
    def over_the_limit(form: forms.BaseForm) -> dict[str, Any]:
        form.limit_text_fields()  # type: ignore[attr-defined]
        return {n: "字" * ((_limit_of(f) or 10**6) + 1) for n, f in _text_fields(form).items()}

    checked = 0
    with translation.override("zh-hans"):
        for name, form in built_forms(ctx, over_the_limit):
            form.is_valid()
            for field_name, field in _text_fields(form).items():
                limit = _limit_of(field)
                assert limit is not None, f"{name}.{field_name} has no length limit"
                errors = " ".join(form.errors.get(field_name, []))
                assert errors, f"{name}.{field_name}: {limit + 1} characters accepted"
                if type(field) is forms.CharField or isinstance(field, forms.EmailField):
                    assert str(limit) in errors, f"{name}.{field_name}: {errors}"
                checked += 1
    assert checked > 40


def test_the_model_text_fields_get_their_limits(ctx: dict[str, Any]) -> None:
    text_fields = [
        (model, f.name)
        for model in _app_models()
        for f in model._meta.get_fields()
        if isinstance(f, models.TextField)
    ]
    assert len(text_fields) >= 10
    for model, name in text_fields:
        key = f"{model._meta.label_lower}.{name}"
        assert text_limit(model, name) == TEXT_LIMITS.get(key, DEFAULT_TEXT_LIMIT)
    # and the forms that edit them apply it
    seen = {}
    for _form_name, form in built_forms(ctx, lambda form: {}):
        model = getattr(getattr(form, "_meta", None), "model", None) or getattr(
            form, "text_model", None
        )
        for field_name, field in _text_fields(form).items():
            if model is not None and (model, field_name) in text_fields:
                seen[(model, field_name)] = _limit_of(field)
    assert seen[(Volunteer, "resume")] == 2000
    from campaigns.models import Campaign
    from service.models import ServiceProject

    assert seen[(Campaign, "body")] == 20000
    assert seen[(ServiceProject, "progress")] == 500
    for (model, name), limit in seen.items():
        assert limit == text_limit(model, name), (model, name)


def _app_models() -> list[type[models.Model]]:
    from django.apps import apps

    return [
        m
        for m in apps.get_models()
        if m._meta.app_label in APPS and not m.__name__.startswith("Historical")
    ]


# --- the public form ----------------------------------------------------------------


def test_the_public_form_names_the_limit_and_keeps_what_was_typed(tree: Any, client: Any) -> None:
    from tests.volunteers.test_public import apply_data

    resume = "在港务局工作" * 400  # 2,400 characters
    response = client.post(
        "/volunteers/apply/", apply_data(tree.grassroots_a, 1, resume=resume, name="张三")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "不能超过 2000 字（现有 2400 字）" in html
    assert "张三" in html
    assert not Volunteer.objects.exists()


def test_ten_megabytes_to_the_public_form_are_refused_at_once(tree: Any, client: Any) -> None:
    from tests.volunteers.test_public import apply_data

    data = apply_data(tree.grassroots_a, 1, application="字" * (10 * 1024 * 1024 // 3))
    started = time.monotonic()
    response = client.post("/volunteers/apply/", data)
    assert time.monotonic() - started < 1.0
    assert response.status_code == 400
    assert not Volunteer.objects.exists()


# --- imports --------------------------------------------------------------------------


def _xlsx(rows: list[list[Any]]) -> io.BytesIO:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "roster.xlsx"
    return buf


def test_the_roster_import_refuses_over_long_text_per_row_with_the_limit(tree: Any) -> None:
    from tests.factories import make_id_number
    from volunteers.imports import read_roster

    upload = _xlsx(
        [
            ["序号", "姓名", "身份证号码", "工作单位", "特长"],
            [1, "张" * 41, make_id_number(1), "港务局", "书法"],
            [2, "李四", make_id_number(2), "单" * 101, "书法"],
            [3, "王五", make_id_number(3), "港务局", "长" * 31],
            [4, "赵六", make_id_number(4), "港务局", "书法"],
        ]
    )
    with translation.override("zh-hans"):
        report = read_roster(upload, union=tree.grassroots_a)
    errors = {(e.row, e.column[:1]): e.message for e in report.errors}
    assert errors[(2, "B")] == "姓名不能超过 40 字（现有 41 字）。"
    assert errors[(3, "D")] == "工作单位不能超过 100 字（现有 101 字）。"
    assert "30" in errors[(4, "E")]
    assert [r.row for r in report.creates] == [5]


def test_the_dispatch_import_refuses_over_long_text_per_row_with_the_limit(tree: Any) -> None:
    from service.sheets import DISPATCH_LABELS
    from unionvol.sheets import get_sheet

    wb = Workbook()
    ws = wb.active
    ws.append([DISPATCH_LABELS["team"], "队" * 101])
    ws.append([DISPATCH_LABELS["project"], "结对帮扶"])
    ws.append([DISPATCH_LABELS["paired_unit"], "社" * 121])
    ws.append([DISPATCH_LABELS["progress"], "进" * 501])
    with translation.override("zh-hans"):
        errors = get_sheet("dispatch").read(ws).errors
    assert errors == [
        "第1行：志愿服务队名称不能超过 100 字（现有 101 字）。",
        "第3行：结对志愿服务单位、社区不能超过 120 字（现有 121 字）。",
        "第4行：进展情况不能超过 500 字（现有 501 字）。",
    ]


def test_the_messages_are_translated() -> None:
    with translation.override("en"):
        form = _OneText({"note": "x" * (DEFAULT_TEXT_LIMIT + 1)})
        assert not form.is_valid()
        message = form.errors["note"][0]
    assert re.search(r"2000", message)
    assert "字" not in message


class _OneText(TextLimitMixin, forms.Form):
    note = forms.CharField(widget=forms.Textarea)


def test_a_limit_is_added_once_and_an_explicit_one_is_kept() -> None:
    form = _OneText()
    form.limit_text_fields()
    form.limit_text_fields()
    validators = [v for v in form.fields["note"].validators if isinstance(v, TextLengthValidator)]
    assert len(validators) == 1
    assert "2000" in str(form.fields["note"].help_text)

    class Explicit(TextLimitMixin, forms.Form):
        text = forms.CharField(validators=[TextLengthValidator(50, label="说明")])
        short = forms.CharField(max_length=10)

    form = Explicit({"text": "字" * 51, "short": "字" * 11})
    with translation.override("zh-hans"):
        assert not form.is_valid()
        assert form.errors["text"] == ["说明不能超过 50 字（现有 51 字）。"]
        assert "10" in form.errors["short"][0]
