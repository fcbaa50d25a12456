from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from unions.models import Union
from unionvol.idnumbers import validate_id_number
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


def test_generate_scale_data_builds_a_consistent_tree_and_valid_people() -> None:
    out = StringIO()
    call_command(
        "generate_scale_data", unions=60, volunteers=300, participations=2000, seed=1, stdout=out
    )
    root = Union.objects.get(code="S")
    subtree = Union.objects.filter(path__startswith=root.path)
    assert subtree.count() == 60
    assert Union.objects.find_problems() == ([], [], [], [], [])
    assert set(subtree.values_list("depth", flat=True)) == {1, 2, 3, 4}
    volunteers = Volunteer.objects.filter(union__path__startswith=root.path)
    assert volunteers.count() == 300
    for number in volunteers.values_list("id_number", flat=True):
        assert validate_id_number(number) == number
    from campaigns.models import Campaign
    from service.models import Participation

    campaign = Campaign.objects.get(issuer=root)
    assert campaign.milestones.count() == 4
    assert campaign.addressee_rows.count() == 59
    assert Participation.objects.filter(activity__team__campaign=campaign).count() == 2000


def test_generate_scale_data_refuses_to_run_twice() -> None:
    from django.core.management.base import CommandError

    call_command(
        "generate_scale_data", unions=20, volunteers=10, participations=0, stdout=StringIO()
    )
    with pytest.raises(CommandError):
        call_command("generate_scale_data", unions=20, volunteers=10, stdout=StringIO())
