"""Who may see a hardship file: staff of its union, reviewers/admins above — never a
viewer, an outsider, or a clerk of a union above. Checked on the queryset and on
every relief URL."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from relief.models import Donation, HardshipFile, MicroWish, Pairing, ReliefGrant, Visit
from tests.factories import make_member
from tests.relief.factories import (
    make_donation,
    make_file,
    make_grant,
    make_pairing,
    make_visit,
    make_wish,
)
from unions.models import Role
from unionvol.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_visible_to_follows_the_roles(
    tree: Any,
    clerk_g: Any,
    clerk_a: Any,
    reviewer_a: Any,
    admin_a: Any,
    viewer_a: Any,
    viewer_g: Any,
    admin_b: Any,
) -> None:
    file = make_file(tree.grassroots_a)
    own = make_file(tree.district_a)

    def sees(user: Any) -> set[int]:
        return set(HardshipFile.objects.visible_to(user).values_list("pk", flat=True))

    assert sees(clerk_g) == {file.pk}
    assert sees(reviewer_a) == {file.pk, own.pk}
    assert sees(admin_a) == {file.pk, own.pk}
    assert sees(clerk_a) == {own.pk}  # a clerk above sees only its own union's files
    assert sees(viewer_a) == set()
    assert sees(viewer_g) == set()
    assert sees(admin_b) == set()


def _objects(tree: Any) -> dict[str, Any]:
    union = tree.grassroots_a
    file = make_file(union)
    return {
        "file": file,
        "pairing": make_pairing(union, file=make_file(union)),
        "grant": make_grant(union, file=file),
        "visit": make_visit(union, file=file),
        "donation": make_donation(union),
        "wish": make_wish(union),
    }


LIST_URLS = [
    "relief:index",
    "relief:file_list",
    "relief:unpaired",
    "relief:file_create",
    "relief:grant_list",
    "relief:visit_list",
    "relief:visit_create",
    "relief:donation_list",
    "relief:donation_create",
    "relief:warmth_stats",
    "relief:wish_create",
]

# (url name, object key, methods the insider may GET)
OBJECT_URLS = [
    ("relief:file_detail", "file"),
    ("relief:file_edit", "file"),
    ("relief:pair", "file"),
    ("relief:grant_create", "file"),
    ("relief:pairing_end", "pairing"),
    ("relief:grant_edit", "grant"),
    ("relief:grant_approve", "grant"),
    ("relief:grant_reverse", "grant"),
    ("relief:visit_edit", "visit"),
    ("relief:donation_edit", "donation"),
]

WISH_URLS = [
    "relief:wish_detail",
    "relief:wish_fulfil",
    "relief:wish_confirm",
    "relief:wish_release",
    "relief:wish_cancel",
]


@pytest.mark.parametrize(("name", "key"), OBJECT_URLS)
def test_sensitive_object_urls(
    name: str,
    key: str,
    tree: Any,
    clerk_g: Any,
    clerk_a: Any,
    viewer_a: Any,
    viewer_g: Any,
    admin_b: Any,
    client: Any,
) -> None:
    obj = _objects(tree)[key]
    url = reverse(name, args=[obj.pk])
    post_only = name.endswith(("_end", "_approve", "_reverse"))

    client.force_login(clerk_g)  # insider
    status = client.get(url).status_code
    assert status == (405 if post_only else 200), f"insider GET {url}"

    for outsider in (admin_b, clerk_a):  # an outsider, a clerk of the union above
        client.force_login(outsider)
        assert client.get(url).status_code == 404, f"{outsider} GET {url}"
        assert client.post(url, {}).status_code == 404, f"{outsider} POST {url}"

    for viewer in (viewer_a, viewer_g):  # read-only members, above or of the union itself
        client.force_login(viewer)
        assert client.get(url).status_code == 403, f"viewer GET {url}"
        assert client.post(url, {}).status_code == 403, f"viewer POST {url}"


@pytest.mark.parametrize("name", LIST_URLS)
def test_sensitive_list_urls(
    name: str, tree: Any, clerk_g: Any, clerk_a: Any, viewer_a: Any, admin_b: Any, client: Any
) -> None:
    objs = _objects(tree)
    url = reverse(name)
    client.force_login(clerk_g)
    response = client.get(url)
    assert response.status_code == 200
    if name in ("relief:file_list", "relief:grant_list", "relief:visit_list"):
        assert objs["file"].name in response.content.decode()

    for user in (admin_b, clerk_a):  # see the page, but none of grassroots_a's files
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert objs["file"].name not in response.content.decode()

    client.force_login(viewer_a)
    assert client.get(url).status_code == 403


def test_anonymous_is_sent_to_login(tree: Any, client: Any) -> None:
    file = make_file(tree.grassroots_a)
    for url in (reverse("relief:file_list"), reverse("relief:file_detail", args=[file.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", WISH_URLS)
def test_wish_urls(
    name: str, tree: Any, clerk_g: Any, viewer_a: Any, admin_b: Any, client: Any
) -> None:
    wish = make_wish(tree.grassroots_a)
    url = reverse(name, args=[wish.pk])
    client.force_login(admin_b)
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404
    client.force_login(viewer_a)  # a viewer reads the wish but changes nothing
    assert client.get(url).status_code in ({200} if name == "relief:wish_detail" else {403, 405})
    assert client.post(url, {}).status_code in {403, 405}
    client.force_login(clerk_g)
    assert client.get(url).status_code in (
        {200} if name in ("relief:wish_detail", "relief:wish_fulfil") else {405}
    )


def test_wish_list_for_insider_viewer_and_outsider(
    tree: Any, clerk_g: Any, viewer_a: Any, admin_b: Any, client: Any
) -> None:
    make_wish(tree.grassroots_a, beneficiary_name="张小明")
    client.force_login(clerk_g)
    assert "张小明" in client.get(reverse("relief:wish_list")).content.decode()
    client.force_login(viewer_a)
    html = client.get(reverse("relief:wish_list")).content.decode()
    assert "张某" in html
    assert "张小明" not in html
    client.force_login(admin_b)
    html = client.get(reverse("relief:wish_list")).content.decode()
    assert "张某" not in html


def test_every_file_view_is_audited(tree: Any, clerk_g: Any, client: Any) -> None:
    file = make_file(tree.grassroots_a)
    client.force_login(clerk_g)
    for name in ("relief:file_detail", "relief:file_edit", "relief:pair", "relief:grant_create"):
        before = AuditEvent.objects.filter(
            action=AuditAction.VIEW_SENSITIVE, object_id=str(file.pk)
        ).count()
        assert client.get(reverse(name, args=[file.pk])).status_code == 200
        after = AuditEvent.objects.filter(
            action=AuditAction.VIEW_SENSITIVE, object_id=str(file.pk)
        ).count()
        assert after == before + 1, name
    event = AuditEvent.objects.filter(object_id=str(file.pk)).first()
    assert event.user == clerk_g
    assert file.id_number not in event.object_repr
    client.get(reverse("relief:file_list"))
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW_SENSITIVE, object_id="", rows=1
    ).exists()


def test_related_models_share_the_file_visibility(
    tree: Any, clerk_g: Any, clerk_a: Any, reviewer_a: Any
) -> None:
    _objects(tree)
    for model in (Pairing, ReliefGrant, Visit, Donation):
        assert model.objects.visible_to(clerk_g).count() == 1
        assert model.objects.visible_to(reviewer_a).count() == 1
        assert model.objects.visible_to(clerk_a).count() == 0
    assert MicroWish.objects.visible_to(clerk_a).count() == 1  # wishes are ordinary scoped data


def test_superuser_sees_everything(tree: Any) -> None:
    make_file(tree.grassroots_b)
    su = make_member(tree.city, Role.VIEWER, username="root")
    su.is_superuser = True
    su.save()
    assert HardshipFile.objects.visible_to(su).count() == 1


def test_public_wish_pages_never_show_a_files_name(
    tree: Any, clerk_g: Any, clerk_a: Any, viewer_a: Any, admin_b: Any, client: Any
) -> None:
    file = make_file(tree.grassroots_a, name="林德福")
    wish = make_wish(tree.grassroots_a, file=file, beneficiary_name=file.name, category="hardship")
    urls = [reverse("relief:wall"), reverse("relief:wish_claim", args=[wish.public_id])]
    for user in (None, clerk_g, viewer_a, admin_b, clerk_a):
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200
            html = response.content.decode()
            assert "林某" in html
            assert "林德福" not in html


def test_wish_names_follow_the_hardship_rule(
    tree: Any, clerk_g: Any, clerk_a: Any, reviewer_a: Any, client: Any
) -> None:
    wish = make_wish(tree.grassroots_a, beneficiary_name="张小明")
    for user, full in ((clerk_g, True), (reviewer_a, True), (clerk_a, False)):
        client.force_login(user)
        for url in (reverse("relief:wish_list"), reverse("relief:wish_detail", args=[wish.pk])):
            html = client.get(url).content.decode()
            assert ("张小明" in html) is full, (user, url)
            assert "张某" in html or full
