"""Issue 12: no silent lost update of a union's details."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.factories import make_member
from tests.lost_updates import client_for, second_save_is_refused
from unions.models import Role

pytestmark = pytest.mark.django_db


def test_a_stale_union_save_is_refused(tree: Any, admin_a: Any) -> None:
    other_admin = make_member(tree.district_a, Role.ADMIN, username="admin_a2")
    union = tree.grassroots_a
    url = reverse("unions:edit", args=[union.pk])
    second_save_is_refused(
        client_for(admin_a),
        client_for(other_admin),
        url,
        {"contact_person": "王五"},
        {"contact_person": "赵六", "contact_phone": "0411-82610421"},
    )
    union.refresh_from_db()
    assert (union.contact_person, union.contact_phone) == ("王五", "")
    assert union.version == 2
