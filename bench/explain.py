"""Check on PostgreSQL, at scale, that the main list filters and orderings use an index.

Run by ``make loadtest`` after the scale data exists (or alone with DATABASE_URL set to a
scale database): prints ``explain NAME index=yes|no`` and the plan's first line for each.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionvol.settings")

import django

django.setup()

from django.db import connection  # noqa: E402


def plan(qs: object) -> str:
    return qs.explain()  # type: ignore[attr-defined]


def main() -> int:
    if connection.vendor != "postgresql":
        print("explain: skipped (needs PostgreSQL with scale data)")
        return 0
    from campaigns.models import Campaign
    from reports.models import Submission
    from service.models import Participation
    from unions.models import Union
    from unionvol.models import AuditEvent
    from volunteers.models import Volunteer

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    city = Union.objects.filter(code="S-1").first()
    grassroots = Union.objects.filter(code__startswith="S-1-", depth=4).first()
    if city is None or grassroots is None:
        print("explain: skipped (no scale data: run generate_scale_data first)")
        return 0
    milestone = Campaign.objects.get(doc_number="规模〔2026〕1号").milestones.first()
    checks = {
        "union_subtree": Union.objects.all().within(city),
        "roster_grassroots_status": Volunteer.objects.filter(
            union=grassroots, status="approved"
        ).order_by("-registered_at")[:50],
        "roster_subtree_recent": Volunteer.objects.within(city)
        .filter(status="approved")
        .order_by("-registered_at")[:50],
        "roster_by_phone": Volunteer.objects.filter(phone="13912345678"),
        "roster_by_name": Volunteer.objects.filter(name="王伟"),
        "volunteer_by_id_number": Volunteer.objects.filter(id_number="210202198501010011"),
        "campaign_list": Campaign.objects.filter(status="published").order_by("-issue_date")[:25],
        "submissions_by_milestone": Submission.objects.filter(
            milestone=milestone, status="submitted"
        ),
        "submissions_of_union": Submission.objects.filter(union=grassroots),
        "participations_of_volunteer": Participation.objects.filter(
            volunteer_id=Volunteer.objects.filter(union=grassroots).values("pk")[:1]
        ),
        "audit_by_user": AuditEvent.objects.filter(user_id=1).order_by("-created_at")[:50],
    }
    for name, qs in checks.items():
        text = plan(qs)
        used = "Index" in text
        note = ""
        if not used:
            rows = qs.model._default_manager.count()  # type: ignore[attr-defined]
            note = f" (table has {rows} rows: a sequential scan is the cheaper plan)" * (
                rows < 1000
            )
        print(
            f"explain {name} index={'yes' if used else 'no'}{note}  | {text.splitlines()[0][:70]}"
        )
    return 0


if __name__ == "__main__":
    from unionvol.scoping import system_scope

    with system_scope():  # a benchmark is operator code, like a command
        sys.exit(main())
