"""Scale-data step for volunteers (see unionvol/scale.py): COPY on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from unionvol.idnumbers import birth_date_of, gender_of
from unionvol.scale import (
    COPY_CHUNK,
    ScaleContext,
    copy_rows,
    id_number,
    person_name,
    reserve_ids,
    step,
)
from volunteers.models import (
    Education,
    Identity,
    PoliticalStatus,
    Specialty,
    Volunteer,
    VolunteerStatus,
)

SPECIALTIES = [
    "医疗",
    "法律",
    "教育辅导",
    "心理咨询",
    "文艺",
    "科技",
    "维修",
    "驾驶",
    "摄影宣传",
    "计算机",
]
TEAM_SIZE = 8  # approved volunteers kept per union for the service step's teams
REGISTERED_OVER = timedelta(days=3 * 365)  # registrations spread over three years
FIELDS = [
    "id",
    "name",
    "id_number",
    "gender",
    "birth_date",
    "political_status",
    "phone",
    "education",
    "workplace",
    "identity",
    "union_id",
    "status",
    "registered_at",
    "approved_at",
]


@step("volunteers")
def make_volunteers(ctx: ScaleContext) -> str:
    specialties = [Specialty.objects.get_or_create(name=n)[0].pk for n in SPECIALTIES]
    rng = ctx.rng
    statuses = [VolunteerStatus.APPROVED] * 8 + [VolunteerStatus.PENDING, VolunteerStatus.REJECTED]
    political = list(PoliticalStatus.values)
    education = list(Education.values)
    identity = list(Identity.values)
    grassroots = [u.pk for u in ctx.grassroots]
    now = timezone.now()
    first = now - REGISTERED_OVER
    step_seconds = REGISTERED_OVER.total_seconds() / max(ctx.volunteers, 1)
    # The first approved volunteers of each union, for the teams (no second read).
    team_pool: dict[int, list[int]] = {}
    links: list[tuple[int, int]] = []

    def rows(start: int, stop: int, base: int) -> Iterator[tuple[Any, ...]]:
        for seq in range(start, stop):
            pk = base + seq
            number = id_number(rng, seq)
            status = rng.choice(statuses)
            union = rng.choice(grassroots)
            registered = first + timedelta(seconds=seq * step_seconds + rng.random())
            approved = status == VolunteerStatus.APPROVED
            if approved:
                pool = team_pool.setdefault(union, [])
                if len(pool) < TEAM_SIZE:
                    pool.append(pk)
            links.append((pk, rng.choice(specialties)))
            yield (
                pk,
                person_name(rng),
                number,
                gender_of(number),
                birth_date_of(number),
                rng.choice(political),
                f"13{rng.randint(100000000, 999999999)}",
                rng.choice(education),
                f"规模测试单位{seq % 997}",
                rng.choice(identity),
                union,
                status,
                registered,
                registered + timedelta(days=rng.randint(1, 20)) if approved else None,
            )

    base = reserve_ids(Volunteer, ctx.volunteers)
    through = Volunteer.specialties.through
    created = 0
    for start in range(0, ctx.volunteers, COPY_CHUNK):
        stop = min(start + COPY_CHUNK, ctx.volunteers)
        with transaction.atomic():
            created += copy_rows(Volunteer, FIELDS, rows(start, stop, base))
            copy_rows(through, ["volunteer_id", "specialty_id"], links)
        links.clear()
    ctx.extra["team_pool"] = team_pool
    return f"{created} volunteers"
