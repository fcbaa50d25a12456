"""A member's edit page saves over the version it was opened at: an admin's page opened
before another admin revoked a member's full ID numbers, disabled the account or changed
the role cannot put those back by saving; it is refused, keeps what was typed, and
changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from tests.factories import make_member
from unions.models import Membership, Role
from unionvol.locking import STALE
from unionvol.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def _page(client: Any, membership: Membership) -> dict[str, Any]:
    """The edit form's fields as the page sends them back (its hidden version included)."""
    form = client.get(f"/unions/members/{membership.pk}/edit/").context["form"]
    data = {name: form[name].value() for name in form.fields}
    return {k: ("on" if v is True else v) for k, v in data.items() if v not in (False, None)}


def _holds_full_id(user: Any) -> bool:
    return get_user_model().objects.get(pk=user.pk).has_perm("volunteers.view_full_id")


@pytest.fixture
def member(tree: Any, admin_a: Any, client_as: Any) -> Any:
    user = make_member(tree.grassroots_a, Role.REVIEWER, username="stale_member")
    membership = Membership.objects.get(user=user)
    page = _page(client_as(admin_a), membership)
    response = client_as(admin_a).post(
        f"/unions/members/{membership.pk}/edit/", {**page, "full_id": "on"}
    )
    assert response.status_code == 302
    assert _holds_full_id(user)
    return user


@pytest.fixture
def second_admin(tree: Any) -> Any:
    return make_member(tree.district_a, Role.ADMIN, username="second_admin")


def test_a_stale_page_cannot_restore_a_revoked_permission(
    member: Any, admin_a: Any, second_admin: Any, client_as: Any
) -> None:
    membership = Membership.objects.get(user=member)
    first, second = client_as(admin_a), client_as(second_admin)
    stale_page = _page(first, membership)  # opened while the member holds full numbers
    assert stale_page["full_id"] == "on"
    revoke = {**_page(second, membership)}
    del revoke["full_id"]
    assert second.post(f"/unions/members/{membership.pk}/edit/", revoke).status_code == 302
    assert not _holds_full_id(member)

    response = first.post(
        f"/unions/members/{membership.pk}/edit/", {**stale_page, "title": "新职务"}
    )
    assert response.status_code == 200
    assert str(STALE) in response.content.decode()
    assert response.context["form"]["title"].value() == "新职务"  # what was typed stays
    assert not _holds_full_id(member)
    membership.refresh_from_db()
    assert membership.title == ""
    grants = AuditEvent.objects.filter(
        action=AuditAction.GRANT_FULL_ID, object_id=str(membership.pk)
    ).count()
    assert grants == 1  # the fixture's, and no second one


def test_a_stale_page_cannot_reenable_a_disabled_account_or_undo_a_role_change(
    member: Any, admin_a: Any, second_admin: Any, client_as: Any
) -> None:
    membership = Membership.objects.get(user=member)
    first, second = client_as(admin_a), client_as(second_admin)
    stale_page = _page(first, membership)
    change = {**_page(second, membership), "role": Role.VIEWER}
    del change["is_active"]  # disabled
    assert second.post(f"/unions/members/{membership.pk}/edit/", change).status_code == 302

    response = first.post(f"/unions/members/{membership.pk}/edit/", stale_page)
    assert response.status_code == 200
    assert str(STALE) in response.content.decode()
    membership.refresh_from_db()
    member.refresh_from_db()
    assert membership.role == Role.VIEWER
    assert not member.is_active


def test_a_page_without_its_version_is_refused(member: Any, admin_a: Any, client_as: Any) -> None:
    membership = Membership.objects.get(user=member)
    page = _page(client_as(admin_a), membership)
    del page["version"]
    response = client_as(admin_a).post(
        f"/unions/members/{membership.pk}/edit/", {**page, "role": Role.CLERK}
    )
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.role == Role.REVIEWER


def test_a_fresh_page_saves_and_moves_the_version_on(
    member: Any, admin_a: Any, client_as: Any
) -> None:
    membership = Membership.objects.get(user=member)
    before = membership.version
    page = _page(client_as(admin_a), membership)
    response = client_as(admin_a).post(
        f"/unions/members/{membership.pk}/edit/", {**page, "title": "副主席"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.title, membership.version) == ("副主席", before + 1)
