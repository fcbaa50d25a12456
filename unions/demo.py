"""Demo unions (fixtures/unions.json: the real unions of the five notices) and demo users."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from unions.models import Membership, Role, Union

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "unions.json"
DEMO_PASSWORD = "unionvol-demo-2026"  # noqa: S105 - published demo password, demo data only


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    union_code: str
    role: str
    note: str


DEMO_USERS = [
    DemoUser("dl_admin", "张建国", "DL", Role.ADMIN, "市总工会 · 管理员"),
    DemoUser("dl_reviewer", "梁玉叶", "DL", Role.REVIEWER, "市总工会 · 审核员（第三级）"),
    DemoUser("dl_clerk", "刘敏", "DL", Role.CLERK, "市总工会 · 经办人"),
    DemoUser("dl_viewer", "陈晨", "DL", Role.VIEWER, "市总工会 · 查看者"),
    DemoUser("zs_reviewer", "赵海", "DL-01", Role.REVIEWER, "中山区总工会 · 审核员（第二级）"),
    DemoUser("zs_clerk", "孙静", "DL-01", Role.CLERK, "中山区总工会 · 经办人"),
    DemoUser("gr_admin", "王丽", "DL-01-G01", Role.ADMIN, "基层工会（大连商场工会）· 管理员"),
    DemoUser("gr_reviewer", "李强", "DL-01-G01", Role.REVIEWER, "基层工会 · 审核员（第一级）"),
    DemoUser("gr_clerk", "周婷", "DL-01-G01", Role.CLERK, "基层工会 · 经办人"),
    DemoUser("gr_viewer", "吴凡", "DL-01-G01", Role.VIEWER, "基层工会 · 查看者"),
    DemoUser("xg_clerk", "郑涛", "DL-02", Role.CLERK, "西岗区总工会 · 经办人（中山区的外部用户）"),
    DemoUser("sd_reviewer", "魏志宣", "SD", Role.REVIEWER, "山东省教育工会 · 审核员（发文单位）"),
    DemoUser("sdu_clerk", "高原", "SD-U01", Role.CLERK, "山东大学工会 · 经办人"),
    DemoUser("sh_reviewer", "林涛", "SH", Role.REVIEWER, "上海市教育工会 · 审核员"),
    DemoUser("fudan_clerk", "许佳", "SH-U01", Role.CLERK, "复旦大学工会 · 经办人"),
    DemoUser("fudan_reviewer", "何平", "SH-U01", Role.REVIEWER, "复旦大学工会 · 审核员"),
    DemoUser("lyg_clerk", "季一鸣", "LYG", Role.CLERK, "连云港市总工会 · 经办人"),
    DemoUser("jz_clerk", "陈晓杰", "JZ", Role.CLERK, "焦作市总工会 · 经办人"),
]

UNION_FIELDS = ("name", "short_name", "kind", "contact_person", "contact_phone", "contact_email")


def _upsert(data: dict[str, Any], parent: Union | None) -> tuple[Union, int]:
    created = 0
    union = Union.objects.filter(code=data["code"]).first()
    values = {f: data.get(f, "") for f in UNION_FIELDS}
    if union is None:
        node = Union(code=data["code"], **values)
        if parent is None:
            union = Union.objects.add_root(instance=node)
        else:
            parent.refresh_from_db()
            union = Union.objects.add_child(parent, instance=node)
        created = 1
    else:
        changed = [f for f, v in values.items() if getattr(union, f) != v]
        for f in changed:
            setattr(union, f, values[f])
        if changed:
            union.save(update_fields=changed)
    for child in data.get("children", []):
        created += _upsert(child, union)[1]
    return union, created


@transaction.atomic
def load_unions() -> int:
    """Create or update the fixture's unions, matched by code; returns how many were new."""
    tree = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return sum(_upsert(root, None)[1] for root in tree["unions"])


@transaction.atomic
def load_users() -> list[DemoUser]:
    user_model = get_user_model()
    for spec in DEMO_USERS:
        user, created = user_model.objects.get_or_create(
            username=spec.username, defaults={"first_name": spec.full_name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        union = Union.objects.get(code=spec.union_code)
        Membership.objects.update_or_create(user=user, defaults={"union": union, "role": spec.role})
    if not user_model.objects.filter(username="admin").exists():
        user_model.objects.create_superuser(
            "admin", password=DEMO_PASSWORD, first_name="系统管理员"
        )
    return DEMO_USERS


def load(stdout: Any) -> None:
    created = load_unions()
    stdout.write(f"unions: {Union.objects.count()} ({created} new)")
    load_users()
