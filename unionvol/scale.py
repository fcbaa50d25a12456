"""Scale data for benchmarks and load tests (``manage.py generate_scale_data``).

Builds a realistic tree — province → city → district/industry → grassroots — with
valid resident ID numbers, using bulk inserts only, so that 1,000 unions and 100,000
volunteers take seconds, not hours. Each app's part is a step function
``(ctx) -> str`` registered in STEPS; they run in order.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from unionvol.idnumbers import complete_id_number

SCALE_PREFIX = "S"
AREA_CODES = ["210202", "210203", "210204", "370102", "370103", "320703", "410802", "310104"]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红娥玲芬燕彬鹏辉建国海波宁"
BATCH = 5000


@dataclass
class ScaleContext:
    rng: random.Random
    unions: int
    volunteers: int
    participations: int
    stdout: Any
    # Unions of the generated tree (unions.models.Union rows, filled by the unions step).
    root: Any = None
    grassroots: list[Any] = field(default_factory=list)
    cities: list[Any] = field(default_factory=list)
    all_unions: list[Any] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


Step = Callable[[ScaleContext], str]
STEPS: list[tuple[str, Step]] = []


def step(name: str) -> Callable[[Step], Step]:
    def register(fn: Step) -> Step:
        STEPS.append((name, fn))
        return fn

    return register


def id_number(rng: random.Random, seq: int) -> str:
    """A valid, unique-per-seq resident ID number."""
    born = date(1960, 1, 1) + timedelta(days=seq // 1000 % 14000)
    body = f"{AREA_CODES[seq % len(AREA_CODES)]}{born:%Y%m%d}{seq % 1000:03d}"
    return complete_id_number(body)


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def run(ctx: ScaleContext, only: list[str] | None = None) -> None:
    for name, fn in STEPS:
        if only and name not in only:
            continue
        ctx.stdout.write(f"{name}: {fn(ctx)}")
