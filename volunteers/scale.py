"""Scale-data step for volunteers (see unionvol/scale.py)."""

from __future__ import annotations

from django.utils import timezone

from unionvol.idnumbers import birth_date_of, gender_of
from unionvol.scale import BATCH, ScaleContext, id_number, person_name, step
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


@step("volunteers")
def make_volunteers(ctx: ScaleContext) -> str:
    specialties = [Specialty.objects.get_or_create(name=n)[0] for n in SPECIALTIES]
    rng = ctx.rng
    statuses = [VolunteerStatus.APPROVED] * 8 + [VolunteerStatus.PENDING, VolunteerStatus.REJECTED]
    now = timezone.now()
    through = Volunteer.specialties.through
    created = 0
    for start in range(0, ctx.volunteers, BATCH):
        rows = []
        for seq in range(start, min(start + BATCH, ctx.volunteers)):
            number = id_number(rng, seq)
            status = rng.choice(statuses)
            rows.append(
                Volunteer(
                    name=person_name(rng),
                    id_number=number,
                    gender=gender_of(number),
                    birth_date=birth_date_of(number),
                    political_status=rng.choice(PoliticalStatus.values),
                    phone=f"13{rng.randint(100000000, 999999999)}",
                    education=rng.choice(Education.values),
                    workplace=f"规模测试单位{seq % 997}",
                    identity=rng.choice(Identity.values),
                    union=rng.choice(ctx.grassroots),
                    status=status,
                    approved_at=now if status == VolunteerStatus.APPROVED else None,
                )
            )
        saved = Volunteer.objects.bulk_create(rows, batch_size=BATCH)
        links = [through(volunteer_id=v.pk, specialty_id=rng.choice(specialties).pk) for v in saved]
        through.objects.bulk_create(links, batch_size=BATCH, ignore_conflicts=True)
        created += len(saved)
    return f"{created} volunteers"
