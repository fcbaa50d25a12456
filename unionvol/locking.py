"""Optimistic locking: an edit is saved only over the version it was started from.

Every model a person edits carries ``version = models.PositiveIntegerField(default=1,
editable=False)``. The edit form sends back the version it was opened at as a hidden
field (:class:`VersionedFormMixin`). The service saves with :func:`save_if_current`:
one conditional UPDATE moves the row from that version to the next — or changes
nothing, when someone else saved in between — and only then are the edited fields
written, by an ordinary ``save(update_fields=…)`` so that history records the edit.
A refused save raises ``ValidationError(STALE)``: the first save stays as it was, and
the view re-renders the form bound to what this user typed, so nothing is lost.

Writes of several rows that belong to one record (a team's member list, an
activity's participants) first :func:`claim` the record's version inside their
transaction: two such saves from the same version cannot both pass, so a list is
never a merge nobody chose.

State changes (approve, cancel, …) are one conditional UPDATE on the expected state
(:func:`update_if`), which also moves the version on, so an edit form opened before
the change is refused rather than written over it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

STALE = _("其他人已先保存了此记录，请刷新后重新修改。")
VERSION = "version"


def stale() -> ValidationError:
    return ValidationError(STALE, code="stale")


def _has_version(model: type[models.Model]) -> bool:
    return any(f.name == VERSION for f in model._meta.concrete_fields)


def claim(obj: models.Model, expected_version: int | None, **still: Any) -> None:
    """Move ``obj``'s row from ``expected_version`` to the next version, or raise STALE.

    ``still`` adds conditions the row must also meet (e.g. ``status="pending"``). Run
    inside a transaction, the claimed row stays locked until it commits.
    """
    if expected_version is None:
        raise stale()
    manager = type(obj)._default_manager
    claimed = manager.filter(pk=obj.pk, version=expected_version, **still).update(
        version=expected_version + 1
    )
    if not claimed:
        raise stale()
    obj.version = expected_version + 1  # type: ignore[attr-defined]


def save_if_current(
    obj: models.Model, expected_version: int | None, fields: Iterable[str], **still: Any
) -> None:
    """Save ``fields`` of ``obj`` if its row is still at ``expected_version``; else STALE."""
    auto_now = [f.name for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)]
    with transaction.atomic():
        claim(obj, expected_version, **still)
        obj.save(update_fields=sorted({*fields, *auto_now, VERSION}))


def update_if(obj: models.Model, expected: dict[str, Any], **changes: Any) -> bool:
    """One conditional UPDATE: ``changes`` are written only while the row still matches
    ``expected`` (e.g. ``{"status": "confirmed"}``). The version moves on too, when the
    model has one. Returns whether the row changed; ``obj`` is reloaded when it did."""
    model = type(obj)
    if _has_version(model):
        changes[VERSION] = F(VERSION) + 1
    done = model._default_manager.filter(pk=obj.pk, **expected).update(**changes)
    if done:
        obj.refresh_from_db()
    return bool(done)


def version_field() -> forms.IntegerField:
    # Not required: a form posted without it (a page cached before an upgrade) is refused
    # as stale by the service, with the message shown above the form, not on a hidden field.
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class VersionedFormMixin:
    """Carries the version of the record being edited as the hidden field ``version``.

    ModelForms take the record from ``instance``; other forms about one record pass it
    as ``versioned=``. A form for a new record has no version field.
    """

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def __init__(self, *args: Any, versioned: models.Model | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        record = versioned if versioned is not None else getattr(self, "instance", None)
        if record is None or record.pk is None:
            return
        field = version_field()
        # On the field, not in ``initial``, which forms may replace after this runs.
        field.initial = record.version  # type: ignore[union-attr]
        self.fields[VERSION] = field

    @property
    def expected_version(self) -> int | None:
        return self.cleaned_data.get(VERSION)
