"""Issue 12 item 1: full ID numbers are granted per member by a union admin, on the
member's page under /unions/, and every grant and revocation is audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from tests.factories import make_id_number, make_member, make_volunteer
from unions.models import Membership, Role
from unions.services import FULL_ID_SELF
from unionvol.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

NUMBER = make_id_number(41, birth="19790605")


def edit(client: Any, membership: Membership, **changes: Any) -> Any:
    data = {
        "role": membership.role,
        "title": "",
        "phone": "",
        "is_active": "on",
        # The page as opened now (each save moves the version on).
        "version": Membership.objects.get(pk=membership.pk).version,
        **changes,
    }
    return client.post(f"/unions/members/{membership.pk}/edit/", data)


def fresh(user: Any) -> Any:
    return get_user_model().objects.get(pk=user.pk)  # no cached permissions


def test_a_union_admin_grants_and_revokes_full_ids(tree: Any, admin_a: Any, client_as: Any) -> None:
    reviewer = make_member(tree.grassroots_a, Role.REVIEWER, username="gr_reviewer")
    volunteer = make_volunteer(tree.grassroots_a, id_number=NUMBER)
    membership = Membership.objects.get(user=reviewer)
    client = client_as(admin_a)

    form = client.get(f"/unions/members/{membership.pk}/edit/").content.decode()
    assert 'name="full_id"' in form
    assert "可查看完整身份证号" in form
    response = edit(client, membership, full_id="on")
    assert response.status_code == 302
    assert fresh(reviewer).has_perm("volunteers.view_full_id")
    event = AuditEvent.objects.get(action=AuditAction.GRANT_FULL_ID)
    assert (event.user, event.object_id) == (admin_a, str(membership.pk))
    assert event.detail == {"member": "gr_reviewer"}
    listing = client.get(f"/unions/{tree.grassroots_a.pk}/").content.decode()
    assert '<td class="full-id">可查看</td>' in listing

    # What the grant changes for the member: the full number and birth date show.
    page = client_as(reviewer).get(volunteer.get_absolute_url()).content.decode()
    assert NUMBER in page
    assert "1979-06-05" in page

    client = client_as(admin_a)  # the one test client, signed in as the admin again
    assert edit(client, membership).status_code == 302  # the box unticked
    assert not fresh(reviewer).has_perm("volunteers.view_full_id")
    assert AuditEvent.objects.filter(action=AuditAction.REVOKE_FULL_ID).count() == 1
    page = client_as(reviewer).get(volunteer.get_absolute_url()).content.decode()
    assert NUMBER not in page
    assert "1979-06-05" not in page

    # Saving without a change writes no audit event.
    edit(client_as(admin_a), membership)
    assert AuditEvent.objects.filter(action=AuditAction.REVOKE_FULL_ID).count() == 1


def test_nobody_grants_themselves(tree: Any, admin_a: Any, client_as: Any) -> None:
    membership = Membership.objects.get(user=admin_a)
    client = client_as(admin_a)
    form = client.get(f"/unions/members/{membership.pk}/edit/").content.decode()
    assert str(FULL_ID_SELF) in form
    edit(client, membership, full_id="on")  # a disabled field: the posted value is ignored
    assert not fresh(admin_a).has_perm("volunteers.view_full_id")
    assert not AuditEvent.objects.filter(action=AuditAction.GRANT_FULL_ID).exists()


def test_only_admins_in_scope_grant(tree: Any, clerk_a: Any, admin_b: Any, client_as: Any) -> None:
    viewer = make_member(tree.grassroots_a, Role.VIEWER, username="gr_viewer")
    membership = Membership.objects.get(user=viewer)
    assert edit(client_as(clerk_a), membership, full_id="on").status_code == 403
    assert edit(client_as(admin_b), membership, full_id="on").status_code == 404
    assert not fresh(viewer).has_perm("volunteers.view_full_id")
    assert not AuditEvent.objects.filter(action=AuditAction.GRANT_FULL_ID).exists()
