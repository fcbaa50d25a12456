"""Issue 12: no silent lost update in relief — grants, visits, donations, wish states."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from relief import services
from relief.models import MicroWish, ReliefGrant, Visit, WishStatus
from tests.factories import make_campaign, make_member
from tests.lost_updates import client_for, second_save_is_refused
from tests.relief.factories import make_donation, make_grant, make_visit, make_wish
from unions.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk_h(tree: Any) -> Any:
    """A second clerk of grassroots_a, editing the same records as clerk_g."""
    return make_member(tree.grassroots_a, Role.CLERK, username="clerk_h")


def test_a_stale_grant_save_is_refused_and_the_first_amount_stays(
    tree: Any, clerk_g: Any, clerk_h: Any
) -> None:
    grant = make_grant(tree.grassroots_a, entered_by=clerk_g, amount=Decimal("100"))
    url = reverse("relief:grant_edit", args=[grant.pk])
    refused = second_save_is_refused(
        client_for(clerk_g),
        client_for(clerk_h),
        url,
        {"amount": "111"},
        {"amount": "100.50", "note": "第二人填写"},
    )
    assert "第二人填写" in refused.content.decode()
    grant.refresh_from_db()
    assert grant.amount == Decimal("111.00")  # not reverted to the second reader's value
    assert grant.note == ""
    assert grant.history.count() == 2  # created, then the one save that happened


def test_a_grant_form_opened_before_approval_cannot_change_it(
    tree: Any, clerk_g: Any, reviewer_g: Any
) -> None:
    grant = make_grant(tree.grassroots_a, entered_by=clerk_g, amount=Decimal("100"))
    url = reverse("relief:grant_edit", args=[grant.pk])
    clerk = client_for(clerk_g)
    form = clerk.get(url).context["form"]
    services.grant_approve(grant=grant, user=reviewer_g)
    data = {
        "fund_type": "hardship",
        "amount": "999",
        "granted_on": "2019-01-20",
        "version": form["version"].value(),
    }
    clerk.post(url, data)
    grant.refresh_from_db()
    assert grant.status == "approved"
    assert grant.amount == Decimal("100.00")


def test_a_stale_visit_save_is_refused(tree: Any, clerk_g: Any, clerk_h: Any) -> None:
    visit = make_visit(tree.grassroots_a, visitors="工会主席")
    url = reverse("relief:visit_edit", args=[visit.pk])
    second_save_is_refused(
        client_for(clerk_g),
        client_for(clerk_h),
        url,
        {"visitors": "副主席"},
        {"visitors": "办公室主任", "gift": "棉被"},
    )
    visit.refresh_from_db()
    assert (visit.visitors, visit.gift) == ("副主席", "米、油")
    assert Visit.history.filter(id=visit.pk).count() == 2


def test_a_stale_donation_save_is_refused(tree: Any, clerk_g: Any, clerk_h: Any) -> None:
    donation = make_donation(tree.grassroots_a, campaign=make_campaign(tree.grassroots_a))
    url = reverse("relief:donation_edit", args=[donation.pk])
    second_save_is_refused(
        client_for(clerk_g), client_for(clerk_h), url, {"amount": "6000"}, {"amount": "5000"}
    )
    donation.refresh_from_db()
    assert donation.amount == Decimal("6000.00")
    assert donation.updated_by == clerk_g


def test_a_post_without_version_is_refused(tree: Any, clerk_g: Any) -> None:
    """A page from before versions (or a hand-made POST) cannot write blindly either."""
    visit = make_visit(tree.grassroots_a, visitors="工会主席")
    url = reverse("relief:visit_edit", args=[visit.pk])
    data = {
        "visited_on": "2019-01-25",
        "category": "model_worker",
        "visited_name": "李劳模",
        "visitors": "无版本",
        "money": "0",
    }
    response = client_for(clerk_g).post(url, data)
    assert response.status_code == 200
    assert "其他人已先保存了此记录" in response.content.decode()
    visit.refresh_from_db()
    assert visit.visitors == "工会主席"


# --- wishes: state changes are conditional UPDATEs ------------------------------------------


def _png() -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buf, format="PNG")
    return SimpleUploadedFile("张小明.png", buf.getvalue(), content_type="image/png")


def _confirmed_wish(tree: Any, clerk: Any) -> MicroWish:
    wish = make_wish(tree.grassroots_a)
    services.wish_claim(wish_pk=wish.pk, name="甲", phone="13900000001")
    services.wish_confirm(wish=wish, user=clerk)
    return wish


def _stored_wish_photos() -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "relief" / "wishes"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_a_fulfilled_wish_cannot_be_cancelled_from_a_stale_page(
    tree: Any, clerk_g: Any, clerk_h: Any
) -> None:
    wish = _confirmed_wish(tree, clerk_g)
    canceller = client_for(clerk_h)
    assert canceller.get(wish.get_absolute_url()).status_code == 200  # shows 已确认, 取消
    fulfil = reverse("relief:wish_fulfil", args=[wish.pk])
    response = client_for(clerk_g).post(fulfil, {"note": "已送达", "photo": _png()})
    assert response.status_code == 302
    response = canceller.post(reverse("relief:wish_cancel", args=[wish.pk]), follow=True)
    assert "已实现的心愿不能取消" in response.content.decode()
    wish.refresh_from_db()
    assert wish.status == WishStatus.FULFILLED
    assert wish.fulfil_note == "已送达"
    assert wish.photo


def test_a_cancelled_wish_cannot_be_fulfilled_and_keeps_no_photo(
    tree: Any, clerk_g: Any, clerk_h: Any
) -> None:
    wish = _confirmed_wish(tree, clerk_g)
    fulfiller = client_for(clerk_g)
    fulfil = reverse("relief:wish_fulfil", args=[wish.pk])
    assert fulfiller.get(fulfil).status_code == 200  # the fulfil form is open …
    client_for(clerk_h).post(reverse("relief:wish_cancel", args=[wish.pk]))  # … meanwhile
    response = fulfiller.post(fulfil, {"note": "已送达", "photo": _png()})
    assert response.status_code == 200
    assert "请先确认认领" in response.content.decode()
    wish.refresh_from_db()
    assert wish.status == WishStatus.CANCELLED
    assert wish.fulfil_note == ""
    assert not wish.photo
    assert _stored_wish_photos() == []  # the upload of the refused fulfilment is removed


def test_wish_transitions_ignore_what_the_caller_read(tree: Any, clerk_g: Any) -> None:
    """Each service decides on the row as it is, not on the (stale) object it is given."""
    wish = _confirmed_wish(tree, clerk_g)
    stale = MicroWish.objects.get(pk=wish.pk)
    services.wish_fulfil(wish=wish, user=clerk_g, note="已送达")
    with pytest.raises(Exception, match="已实现的心愿不能取消"):
        services.wish_cancel(wish=stale, user=clerk_g)
    again = MicroWish.objects.get(pk=wish.pk)
    assert again.status == WishStatus.FULFILLED
    with pytest.raises(Exception, match="请先确认认领"):
        services.wish_fulfil(wish=stale, user=clerk_g, note="第二次")
    assert MicroWish.objects.get(pk=wish.pk).fulfil_note == "已送达"
    cancelled = make_wish(tree.grassroots_a)
    services.wish_cancel(wish=cancelled, user=clerk_g)
    with pytest.raises(Exception, match="该心愿已经取消"):
        services.wish_cancel(wish=cancelled, user=clerk_g)
    assert MicroWish.history.filter(id=wish.pk).first().status == WishStatus.FULFILLED


def test_an_approved_grant_is_approved_once(tree: Any, clerk_g: Any, reviewer_g: Any) -> None:
    grant = make_grant(tree.grassroots_a, entered_by=clerk_g)
    stale = ReliefGrant.objects.get(pk=grant.pk)
    services.grant_approve(grant=grant, user=reviewer_g)
    with pytest.raises(Exception, match="该帮扶金已审核"):
        services.grant_approve(grant=stale, user=reviewer_g)


def test_a_pairing_is_ended_once(tree: Any, clerk_g: Any) -> None:
    from datetime import date

    from relief.models import Pairing
    from tests.relief.factories import make_pairing

    pairing = make_pairing(tree.grassroots_a)
    stale = Pairing.objects.get(pk=pairing.pk)
    services.pairing_end(pairing=pairing, end=date(2019, 6, 30), user=clerk_g)
    with pytest.raises(Exception, match="该结对已经结束"):
        services.pairing_end(pairing=stale, end=date(2019, 12, 31), user=clerk_g)
    assert Pairing.objects.get(pk=pairing.pk).end == date(2019, 6, 30)
