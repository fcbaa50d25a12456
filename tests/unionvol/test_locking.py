"""The optimistic-locking kernel (unionvol.locking), on models that use it."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError

from service.forms import TeamForm, TeamMembersForm
from service.models import ServiceTeam
from tests.campaigns.factories import make_team
from unions.models import Union
from unionvol.locking import STALE, VersionedFormMixin, claim, save_if_current, update_if

pytestmark = pytest.mark.django_db


def test_save_if_current_moves_the_version_and_writes_history(tree: Any) -> None:
    team = make_team(tree.grassroots_a, name="旧名")
    team.name = "新名"
    save_if_current(team, 1, ["name"])
    fresh = ServiceTeam.objects.get(pk=team.pk)
    assert (fresh.name, fresh.version, team.version) == ("新名", 2, 2)
    assert fresh.history.first().name == "新名"


def test_a_stale_version_writes_nothing(tree: Any) -> None:
    team = make_team(tree.grassroots_a, name="旧名")
    team.name = "新名"
    for expected in (2, 0, None):
        with pytest.raises(ValidationError) as exc:
            save_if_current(team, expected, ["name"])
        assert exc.value.code == "stale"
        assert exc.value.messages == [str(STALE)]
    fresh = ServiceTeam.objects.get(pk=team.pk)
    assert (fresh.name, fresh.version) == ("旧名", 1)


def test_only_the_edited_fields_are_written(tree: Any) -> None:
    """A form's save never carries back a field it does not show (a status, a path)."""
    union = Union.objects.get(pk=tree.grassroots_a.pk)
    before = union.updated_at
    Union.objects.filter(pk=union.pk).update(short_name="别人改的")
    union.contact_person = "王五"
    save_if_current(union, union.version, ["contact_person"])
    fresh = Union.objects.get(pk=union.pk)
    assert (fresh.contact_person, fresh.short_name) == ("王五", "别人改的")
    assert fresh.updated_at > before  # auto_now fields are written with every save


def test_claim_can_require_more_of_the_row(tree: Any) -> None:
    team = make_team(tree.grassroots_a, name="甲队")
    with pytest.raises(ValidationError):
        claim(team, 1, name="乙队")
    claim(team, 1, name="甲队")
    assert ServiceTeam.objects.get(pk=team.pk).version == 2


def test_update_if_changes_the_state_once_and_moves_the_version(tree: Any) -> None:
    team = make_team(tree.grassroots_a, name="甲队")
    stale = ServiceTeam.objects.get(pk=team.pk)
    assert update_if(team, {"name": "甲队"}, name="乙队")
    assert (team.name, team.version) == ("乙队", 2)
    assert not update_if(stale, {"name": "甲队"}, name="丙队")
    assert ServiceTeam.objects.get(pk=team.pk).name == "乙队"


def test_edit_forms_carry_the_version_they_show(tree: Any) -> None:
    team = make_team(tree.grassroots_a)
    ServiceTeam.objects.filter(pk=team.pk).update(version=7)
    team.refresh_from_db()
    kwargs = {"campaigns": None, "unions": None, "teams": ServiceTeam.objects.all(), "user": None}
    html = TeamForm(instance=team, **kwargs).as_div()
    assert '<input type="hidden" name="version" value="7"' in html
    assert "version" not in TeamForm(**kwargs).fields  # a new team has no version yet
    members = TeamMembersForm(candidates=ServiceTeam.objects.none(), members=[], versioned=team)
    assert members["version"].value() == 7  # even though the form replaces its initial


def test_a_bound_form_keeps_the_version_it_was_opened_at(tree: Any) -> None:
    class Form(VersionedFormMixin, forms.Form):
        name = forms.CharField()

    team = make_team(tree.grassroots_a)
    form = Form({"name": "x", "version": "1"}, versioned=team)
    ServiceTeam.objects.filter(pk=team.pk).update(version=2)
    assert form.is_valid()
    assert form.expected_version == 1
