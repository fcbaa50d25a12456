from __future__ import annotations

from typing import Any

import pytest

from unions.models import Membership, Union
from unions.selectors import union_ancestors

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
