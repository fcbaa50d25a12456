from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from campaigns.models import Campaign
from unions.models import Membership, Union
from unions.selectors import union_ancestors
from unionvol.scoping import user_scope
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


def test_visible_to_limits_to_the_subtree(tree: Any, clerk_a: Any) -> None:
    visible = set(Union.objects.visible_to(clerk_a))
    assert visible == {tree.district_a, tree.grassroots_a}


def test_a_user_without_membership_sees_nothing(tree: Any, django_user_model: Any) -> None:
    user = django_user_model.objects.create_user("loner", password="x" * 12)
    assert not Union.objects.visible_to(user).exists()


def test_subtree_is_one_query(tree: Any, clerk_a: Any, django_assert_num_queries: Any) -> None:
    clerk_a.membership  # noqa: B018 - warm the cache
    from unionvol.scoping import membership_of

    membership_of(clerk_a)
    with django_assert_num_queries(1):
        list(Union.objects.visible_to(clerk_a))


def test_ancestors_are_one_query(tree: Any, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        chain = list(union_ancestors(union=tree.grassroots_a))
    assert chain == [tree.city, tree.district_a]


def test_memberships_are_scoped(tree: Any, clerk_a: Any, admin_b: Any) -> None:
    assert set(Membership.objects.visible_to(clerk_a)) == {clerk_a.membership}


def test_visible_to_filters_inside_the_users_own_scope(tree: Any, clerk_a: Any) -> None:
    """Inside the user's own scope (a job run on behalf of its requester), a queryset
    from a manager that does not filter (``Union.objects``) is still limited."""
    with user_scope(clerk_a):
        assert set(Union.objects.visible_to(clerk_a)) == {tree.district_a, tree.grassroots_a}
        other = get_user_model().objects.get(pk=clerk_a.pk)  # another object, same account
        assert set(Union.objects.visible_to(other)) == {tree.district_a, tree.grassroots_a}


def test_the_scope_filter_is_applied_once(tree: Any, clerk_a: Any) -> None:
    """The scoped manager filters by the request's scope; ``visible_to`` of the same
    account (even through another object, as django-otp wraps ``request.user``) does not
    add the same predicate again: each copy costs PostgreSQL planning time."""
    other = get_user_model().objects.get(pk=clerk_a.pk)
    with user_scope(clerk_a):
        for model in (Volunteer, Campaign):
            scoped = str(model.objects.all().query)
            assert str(model.objects.visible_to(other).query) == scoped
        assert str(Volunteer.objects.all().query).count(tree.district_a.path) == 1
