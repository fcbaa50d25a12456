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


# --- campaigns and volunteers -------------------------------------------------
def make_campaign(issuer: Union, **kwargs: Any) -> Any:
    from datetime import date

    from campaigns.models import Campaign, CampaignKind, CampaignStatus

    seq = Campaign.objects.count() + 1
    data: dict[str, Any] = {
        "issuer": issuer,
        "doc_number": f"测工〔2026〕{seq}号",
        "title": f"测试通知{seq}",
        "kind": CampaignKind.OTHER,
        "issue_date": date(2026, 3, 1),
        "status": CampaignStatus.PUBLISHED,
    }
    data.update(kwargs)
    return Campaign.objects.create(**data)


# A valid resident ID number per sequence value (area 210202 = 大连市中山区).
def make_id_number(seq: int, *, male: bool = True, birth: str = "19900101") -> str:
    from unionvol.idnumbers import complete_id_number

    order = (seq % 499) * 2 + (1 if male else 0)
    body = f"210202{birth}{order:03d}"
    return complete_id_number(body)


def make_volunteer(union: Union, **kwargs: Any) -> Any:
    from unionvol.idnumbers import birth_date_of, gender_of
    from volunteers.models import Volunteer

    seq = Volunteer.objects.count() + 1
    id_number = kwargs.pop("id_number", None) or make_id_number(
        seq, birth=f"19{60 + seq % 40:02d}0{1 + seq % 9}1{seq % 9}"
    )
    data: dict[str, Any] = {
        "name": f"志愿者{seq}",
        "id_number": id_number,
        "gender": gender_of(id_number),
        "birth_date": birth_date_of(id_number),
        "phone": f"139{seq:08d}",
        "workplace": "测试单位",
        "union": union,
    }
    data.update(kwargs)
    return Volunteer.objects.create(**data)


def _campaign_for(union: Union) -> Any:
    return make_campaign(union)


def _volunteer_for(union: Union) -> Any:
    return make_volunteer(union)


def _apply_link_for(union: Union) -> Any:
    from volunteers.services import apply_link_for

    return apply_link_for(union=union)


def _register_core() -> None:
    from campaigns.models import Campaign
    from volunteers.models import ApplyLink, Volunteer

    OBJECT_FACTORIES[Campaign] = _campaign_for
    OBJECT_FACTORIES[Volunteer] = _volunteer_for
    OBJECT_FACTORIES[ApplyLink] = _apply_link_for


_register_core()


def _register_app_factories() -> None:
    """Each app's tests/<app>/factories.py registers its models in OBJECT_FACTORIES."""
    from importlib import import_module

    for app in ("unions", "campaigns", "volunteers", "relief", "reports"):
        try:
            import_module(f"tests.{app}.factories")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{app}.factories":
                raise


_register_app_factories()


def drain(response: Any) -> bytes:
    """The body of a (streaming) download, read to the end.

    Reading to the end is what closes a test client's FileResponse — with the database
    connection kept — whereas ``response.close()`` would fire ``request_finished`` and
    close the connection in the middle of a PostgreSQL test transaction.
    """
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
        stream = getattr(response, "file_to_stream", None)
        if stream is not None and not stream.closed:  # built directly, not by the client
            stream.close()
        return body
    return bytes(response.content)
