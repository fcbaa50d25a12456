from __future__ import annotations

import io
import threading
import time
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from relief import services
from relief.models import MicroWish, anonymise
from tests.relief.factories import make_file, make_wish
from unionvol.scoping import system_scope

pytestmark = pytest.mark.django_db


def test_anonymise() -> None:
    assert anonymise("张小明") == "张某"
    assert anonymise("欧阳娜娜") == "欧阳某"
    assert anonymise("") == "某"


def test_clerk_posts_a_wish_for_a_file(tree: Any, clerk_g: Any, client_as: Any) -> None:
    file = make_file(tree.grassroots_a, name="李德胜")
    response = client_as(clerk_g).post(
        reverse("relief:wish_create"),
        {
            "file": file.pk,
            "beneficiary_name": "",
            "category": "hardship",
            "wish": "一台电暖器",
            "estimated_value": "299.00",
        },
    )
    assert response.status_code == 302
    wish = MicroWish.objects.get()
    assert wish.beneficiary_name == "李德胜"
    assert wish.union == tree.grassroots_a


def test_a_wish_needs_a_beneficiary(tree: Any, clerk_g: Any, client_as: Any) -> None:
    response = client_as(clerk_g).post(
        reverse("relief:wish_create"),
        {
            "file": "",
            "beneficiary_name": "",
            "category": "elderly",
            "wish": "一副老花镜",
            "estimated_value": "80",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "请选择困难职工，或填写受助人姓名" in html
    assert "一副老花镜" in html
    assert not MicroWish.objects.exists()


def test_the_public_wall_needs_no_login_and_anonymises(tree: Any, client: Any) -> None:
    make_wish(tree.grassroots_a, beneficiary_name="欧阳娜娜", category="elderly", wish="一副老花镜")
    make_wish(tree.grassroots_a, status="fulfilled", wish="已实现的心愿")
    response = client.get(reverse("relief:wall"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "欧阳某" in html
    assert "欧阳娜娜" not in html
    assert "空巢老人" in html
    assert tree.grassroots_a.name in html
    assert "一副老花镜" in html
    assert "已实现的心愿" not in html


def test_the_public_claims_with_name_and_phone(tree: Any, client: Any) -> None:
    wish = make_wish(tree.grassroots_a)
    url = reverse("relief:wish_claim", args=[wish.public_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "赵热心", "phone": ""})
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()
    response = client.post(url, {"name": "赵热心", "phone": "bad"})
    assert "请填写有效的手机号码" in response.content.decode()
    assert client.post(url, {"name": "赵热心", "phone": "13912345678"}).status_code == 302
    wish.refresh_from_db()
    assert wish.status == "claimed"
    assert wish.claimer_name == "赵热心"
    assert wish.claimer_phone == "13912345678"
    assert wish.claimer_user is None


def test_a_logged_in_member_claims_without_a_phone(
    tree: Any, viewer_a: Any, client_as: Any
) -> None:
    wish = make_wish(tree.grassroots_a)
    client = client_as(viewer_a)
    url = reverse("relief:wish_claim", args=[wish.public_id])
    assert client.post(url, {"name": "查看者", "phone": ""}).status_code == 302
    wish.refresh_from_db()
    assert wish.claimer_user == viewer_a


def test_a_second_claim_is_refused(tree: Any, client: Any) -> None:
    wish = make_wish(tree.grassroots_a)
    services.wish_claim(wish_pk=wish.pk, name="甲", phone="13900000001")
    with pytest.raises(ValidationError) as exc:
        services.wish_claim(wish_pk=wish.pk, name="乙", phone="13900000002")
    assert exc.value.code == "claimed"
    wish.refresh_from_db()
    assert wish.claimer_name == "甲"
    url = reverse("relief:wish_claim", args=[wish.public_id])
    response = client.post(url, {"name": "丙", "phone": "13900000003"})
    assert "该心愿已被认领" in response.content.decode()


def test_the_claim_is_one_conditional_update(tree: Any) -> None:
    wish = make_wish(tree.grassroots_a)
    with CaptureQueriesContext(connection) as ctx:
        services.wish_claim(wish_pk=wish.pk, name="甲", phone="13900000001")
    updates = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1
    assert "\"status\" = 'open'" in updates[0] or '"status" = %s' in updates[0]


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_claims_give_exactly_one_success(tree: Any) -> None:
    wish = make_wish(tree.grassroots_a)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def claim(name: str) -> None:
        # Both threads have seen the wish open before either writes.
        with system_scope():  # a thread starts with no scope, as a request does
            assert MicroWish.objects.get(pk=wish.pk).status == "open"
        barrier.wait(timeout=10)
        try:
            for _ in range(200):
                try:
                    with system_scope():
                        services.wish_claim(wish_pk=wish.pk, name=name, phone="13900000001")
                    results.append("ok")
                    return
                except ValidationError:
                    results.append("refused")
                    return
                except OperationalError as exc:
                    # The in-memory test database uses SQLite's shared cache, which answers
                    # "table is locked" instead of waiting; a file database or PostgreSQL
                    # waits for the first writer. Try the same statement again.
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.01)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim, args=(n,)) for n in ("甲", "乙")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == ["ok", "refused"]
    wish.refresh_from_db()
    assert wish.status == "claimed"


def test_claims_are_rate_limited_per_ip(tree: Any, client: Any) -> None:
    wishes = [make_wish(tree.grassroots_a) for _ in range(6)]
    statuses = []
    for wish in wishes:
        url = reverse("relief:wish_claim", args=[wish.public_id])
        statuses.append(client.post(url, {"name": "刷单", "phone": "13900000001"}).status_code)
    assert statuses[:5] == [302] * 5
    assert statuses[5] == 429
    assert MicroWish.objects.filter(status="open").count() == 1


def _png() -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buf, format="PNG")
    return SimpleUploadedFile("photo.png", buf.getvalue(), content_type="image/png")


def test_union_confirms_then_fulfils_with_a_photo(tree: Any, clerk_g: Any, client_as: Any) -> None:
    wish = make_wish(tree.grassroots_a)
    client = client_as(clerk_g)
    fulfil = reverse("relief:wish_fulfil", args=[wish.pk])
    response = client.post(fulfil, {"note": "太早"})
    assert "请先确认认领" in response.content.decode()
    services.wish_claim(wish_pk=wish.pk, name="甲", phone="13900000001")
    assert client.post(reverse("relief:wish_confirm", args=[wish.pk])).status_code == 302
    wish.refresh_from_db()
    assert wish.status == "confirmed"
    assert wish.confirmed_by == clerk_g
    bad = SimpleUploadedFile("photo.png", b"not an image at all", content_type="image/png")
    response = client.post(fulfil, {"note": "已送达", "photo": bad})
    assert response.status_code == 200
    assert "文件扩展名与文件内容不符" in response.content.decode()
    assert client.post(fulfil, {"note": "已送达", "photo": _png()}).status_code == 302
    wish.refresh_from_db()
    assert wish.status == "fulfilled"
    assert wish.fulfil_note == "已送达"
    assert wish.photo.name.endswith(".jpg")


def test_union_releases_a_claim(tree: Any, clerk_g: Any, client_as: Any) -> None:
    wish = make_wish(tree.grassroots_a)
    services.wish_claim(wish_pk=wish.pk, name="甲", phone="13900000001")
    client_as(clerk_g).post(reverse("relief:wish_release", args=[wish.pk]))
    wish.refresh_from_db()
    assert wish.status == "open"
    assert wish.claimer_name == ""


def test_wish_lists_have_constant_queries(
    tree: Any, clerk_g: Any, client_as: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    make_wish(tree.grassroots_a)
    with django_assert_max_num_queries(4):
        client.get(reverse("relief:wall"))
    c = client_as(clerk_g)
    with django_assert_max_num_queries(12):
        c.get(reverse("relief:wish_list"))
    for _ in range(15):
        make_wish(tree.grassroots_a, file=make_file(tree.grassroots_a))
    with django_assert_max_num_queries(12):
        c.get(reverse("relief:wish_list"))
    c.logout()
    with django_assert_max_num_queries(4):
        client.get(reverse("relief:wall"))
