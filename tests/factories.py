"""factory_boy factories, and the registry the URL-scoping test uses to build an
object of any scoped model inside a given union."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.db import models

from unions.models import Membership, Role, Union, UnionKind

PASSWORD = "a-Long-test-passw0rd"


def make_union(parent: Union | None = None, **kwargs: Any) -> Union:
    seq = Union.objects.count() + 1
    data: dict[str, Any] = {
        "name": f"测试工会{seq}",
        "code": f"T{seq:04d}",
        "kind": UnionKind.GRASSROOTS if parent else UnionKind.CITY,
    }
    data.update(kwargs)
    node = Union(**data)
    if parent is None:
        return Union.objects.add_root(instance=node)
    parent.refresh_from_db()
    return Union.objects.add_child(parent, instance=node)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(PASSWORD)


def make_member(union: Union, role: str = Role.CLERK, **kwargs: Any) -> Any:
    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, union=union, role=role)
    return user


# model -> callable(union) returning an instance owned by that union.
# Every model served by a URL with an object id must be registered here
# (tests/test_object_urls.py fails otherwise).
OBJECT_FACTORIES: dict[type[models.Model], Callable[[Union], models.Model]] = {
    Union: lambda union: union,
    Membership: lambda union: (
        Membership.objects.filter(union=union).first()
        or Membership.objects.create(user=UserFactory(), union=union, role=Role.VIEWER)
    ),
}


def register_object_factory(
    model: type[models.Model],
) -> Callable[[Callable[[Union], models.Model]], Callable[[Union], models.Model]]:
    def decorator(fn: Callable[[Union], models.Model]) -> Callable[[Union], models.Model]:
        OBJECT_FACTORIES[model] = fn
        return fn

    return decorator
