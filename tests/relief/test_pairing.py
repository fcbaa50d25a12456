from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from relief import selectors, services
from relief.models import Pairing
from tests.factories import make_volunteer
from tests.relief.factories import make_file, make_pairing

pytestmark = pytest.mark.django_db


def test_one_active_pairing_per_file_is_a_db_constraint(tree: Any) -> None:
    pairing = make_pairing(tree.grassroots_a)
    other = make_volunteer(tree.grassroots_a, status="approved")
    with pytest.raises(IntegrityError), transaction.atomic():
        Pairing.objects.create(file=pairing.file, volunteer=other, start=date(2019, 2, 1))


def test_ended_pairings_do_not_block_a_new_one(tree: Any, clerk_g: Any) -> None:
    pairing = make_pairing(tree.grassroots_a)
    services.pairing_end(pairing=pairing, end=date(2019, 6, 1), user=clerk_g)
    other = make_volunteer(tree.grassroots_a, status="approved")
    new = services.pairing_create(
        file=pairing.file,
        volunteer=other,
        start=date(2019, 6, 2),
        user=clerk_g,
        eligible=selectors.volunteer_shortlist(user=clerk_g),
    )
    assert new.is_active
    assert pairing.file.pairings.count() == 2


def test_unpaired_list_and_pairing_from_the_shortlist(
    tree: Any, clerk_g: Any, client_as: Any
) -> None:
    file = make_file(tree.grassroots_a, name="未结对甲")
    paired = make_pairing(tree.grassroots_a).file
    approved = make_volunteer(tree.grassroots_a, status="approved", name="可选志愿者")
    make_volunteer(tree.grassroots_a, status="pending", name="待审志愿者")
    make_volunteer(tree.grassroots_b, status="approved", name="外区志愿者")
    client = client_as(clerk_g)

    html = client.get(reverse("relief:unpaired")).content.decode()
    assert "未结对甲" in html
    assert paired.name not in html

    url = reverse("relief:pair", args=[file.pk])
    html = client.get(url).content.decode()
    assert "可选志愿者" in html
    assert "待审志愿者" not in html
    assert "外区志愿者" not in html

    response = client.post(url, {"volunteer": approved.pk, "start": "2019-01-05"})
    assert response.status_code == 302
    assert file.pairings.get().volunteer == approved
    assert "未结对甲" not in client.get(reverse("relief:unpaired")).content.decode()


def test_pairing_twice_is_refused_with_a_message(tree: Any, clerk_g: Any, client_as: Any) -> None:
    pairing = make_pairing(tree.grassroots_a)
    other = make_volunteer(tree.grassroots_a, status="approved")
    response = client_as(clerk_g).post(
        reverse("relief:pair", args=[pairing.file.pk]),
        {"volunteer": other.pk, "start": "2019-02-01"},
    )
    assert response.status_code == 200
    assert "已有进行中的结对" in response.content.decode()
    assert pairing.file.pairings.count() == 1


def test_a_volunteer_outside_the_shortlist_is_refused(tree: Any, clerk_g: Any) -> None:
    file = make_file(tree.grassroots_a)
    pending = make_volunteer(tree.grassroots_a, status="pending")
    with pytest.raises(ValidationError):
        services.pairing_create(
            file=file,
            volunteer=pending,
            start=date(2019, 1, 1),
            user=clerk_g,
            eligible=selectors.volunteer_shortlist(user=clerk_g),
        )
    assert not Pairing.objects.exists()


def test_end_pairing_view(tree: Any, clerk_g: Any, client_as: Any) -> None:
    pairing = make_pairing(tree.grassroots_a)
    client = client_as(clerk_g)
    url = reverse("relief:pairing_end", args=[pairing.pk])
    client.post(url, {"end": "2018-01-01"})  # before the start: refused
    pairing.refresh_from_db()
    assert pairing.end is None
    assert client.post(url, {"end": "2019-12-31"}).status_code == 302
    pairing.refresh_from_db()
    assert pairing.end == date(2019, 12, 31)
