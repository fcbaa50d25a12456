"""Issue 14 item 6: a hardship file and a wish claim take numbers as they are pasted."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from relief.models import HardshipFile
from tests.relief.factories import make_wish, valid_id_number
from tests.relief.test_files import form_data

pytestmark = pytest.mark.django_db

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def test_a_file_takes_a_spaced_full_width_id_and_a_hyphenated_phone(
    tree: Any, clerk_g: Any, client_as: Any
) -> None:
    number = valid_id_number(7)
    typed = "\u3000".join([number[:6], number[6:14], number[14:]]).translate(FULL_WIDTH)
    data = form_data(id_number=f" {typed} ", phone="(0411) 8261-0421")
    response = client_as(clerk_g).post(reverse("relief:file_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    file = HardshipFile.objects.get()
    assert (file.id_number, file.phone) == (number, "0411-82610421")


def test_a_file_refuses_an_id_still_too_long_with_the_id_message(
    tree: Any, clerk_g: Any, client_as: Any
) -> None:
    data = form_data(id_number=valid_id_number(7) + " 0")
    response = client_as(clerk_g).post(reverse("relief:file_create"), data)
    assert response.status_code == 200
    assert "身份证号码应为18位" in response.content.decode()
    assert not HardshipFile.objects.exists()


def test_the_public_claims_with_a_phone_as_written_on_a_card(tree: Any, client: Any) -> None:
    wish = make_wish(tree.grassroots_a)
    url = reverse("relief:wish_claim", args=[wish.public_id])
    response = client.post(url, {"name": "赵热心", "phone": "＋８６ １３９－１２３４－５６７８"})
    assert response.status_code == 302
    wish.refresh_from_db()
    assert wish.claimer_phone == "13912345678"
