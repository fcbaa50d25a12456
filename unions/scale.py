"""Scale-data step for the union tree: province → city → district/industry → grassroots."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from unions.models import Membership, Role, Union, UnionKind
from unionvol.scale import BATCH, SCALE_PREFIX, ScaleContext, step
from unionvol.scoping import subtree_q


def _child(parent: Union, index: int, **fields: Any) -> Union:
    return Union(
        path=Union._get_path(parent.path, parent.depth + 1, index),
        depth=parent.depth + 1,
        numchild=0,
        **fields,
    )


@step("unions")
def make_unions(ctx: ScaleContext) -> str:
    """1 province, ~1% cities, ~9% districts/industries, the rest grassroots (depth 4)."""
    n = max(ctx.unions, 20)
    cities = max(2, n // 100)
    districts = max(cities * 2, n * 9 // 100)
    grassroots = n - 1 - cities - districts
    root = Union.objects.add_root(
        instance=Union(name="规模测试省总工会", code=SCALE_PREFIX, kind=UnionKind.PROVINCE)
    )
    city_rows = [
        _child(
            root,
            i + 1,
            name=f"规模测试第{i + 1}市总工会",
            code=f"{SCALE_PREFIX}-{i + 1}",
            kind=UnionKind.CITY,
        )
        for i in range(cities)
    ]
    root.numchild = len(city_rows)
    district_rows: list[Union] = []
    for d in range(districts):
        city = city_rows[d % cities]
        city.numchild += 1
        kind = UnionKind.INDUSTRY if d % 5 == 4 else UnionKind.DISTRICT
        district_rows.append(
            _child(
                city,
                city.numchild,
                name=f"{city.name}第{d + 1}区县总工会",
                code=f"{city.code}-{d + 1}",
                kind=kind,
            )
        )
    grass_rows: list[Union] = []
    for g in range(grassroots):
        parent = district_rows[g % districts]
        parent.numchild += 1
        grass_rows.append(
            _child(
                parent,
                parent.numchild,
                name=f"规模测试基层工会{g + 1}",
                code=f"{parent.code}-{g + 1}",
                kind=UnionKind.GRASSROOTS,
            )
        )
    Union.objects.filter(pk=root.pk).update(numchild=root.numchild)
    with transaction.atomic():
        ctx.cities = Union.objects.bulk_create(city_rows, batch_size=BATCH)
        Union.objects.bulk_create(district_rows, batch_size=BATCH)
        Union.objects.bulk_create(grass_rows, batch_size=BATCH)
    ctx.root = Union.objects.get(pk=root.pk)
    ctx.all_unions = list(Union.objects.filter(subtree_q(root)).order_by("path"))
    ctx.cities = [u for u in ctx.all_unions if u.depth == root.depth + 1]
    ctx.grassroots = [u for u in ctx.all_unions if u.kind == UnionKind.GRASSROOTS]
    return f"{len(ctx.all_unions)} unions (depth {root.depth}–{root.depth + 3})"


@step("users")
def make_users(ctx: ScaleContext) -> str:
    """Load-test users: one per role at the province, and staff at a few grassroots unions."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    assert ctx.root is not None
    user_model = get_user_model()
    password = make_password("unionvol-demo-2026")
    specs = [(f"scale_{role}", ctx.root, role) for role in Role.values]
    specs += [(f"scale_city_reviewer{i}", c, Role.REVIEWER) for i, c in enumerate(ctx.cities[:3])]
    specs += [(f"scale_clerk{i}", g, Role.CLERK) for i, g in enumerate(ctx.grassroots[:5])]
    for username, union, role in specs:
        user, _ = user_model.objects.get_or_create(
            username=username, defaults={"password": password}
        )
        Membership.objects.update_or_create(user=user, defaults={"union": union, "role": role})
    return f"{len(specs)} users (password unionvol-demo-2026)"
