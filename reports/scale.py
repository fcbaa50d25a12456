"""Scale-data step for reports: a submission per addressed union and milestone, in every
state the completeness matrix knows (see unionvol/scale.py)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from reports.models import Submission, SubmissionStatus, SubmissionVersion
from unionvol.scale import BATCH, ScaleContext, step


@step("submissions")
def make_submissions(ctx: ScaleContext) -> str:
    campaign = ctx.extra.get("campaign")
    if campaign is None:
        return "0 submissions"
    rng = ctx.rng
    tz = timezone.get_current_timezone()
    milestones = list(campaign.milestones.order_by("due_date"))
    unions = [u for u in ctx.all_unions if u != ctx.root]
    rows: list[Submission] = []
    for milestone in milestones:
        due = datetime.combine(milestone.due_date, time(17), tzinfo=tz)
        for union in unions:
            roll = rng.random()
            if roll < 0.15:
                continue  # missing: no submission yet
            late = rng.random() < 0.2
            status = (
                SubmissionStatus.DRAFT
                if roll < 0.25
                else SubmissionStatus.RETURNED
                if roll < 0.3
                else SubmissionStatus.ACCEPTED
                if roll < 0.7
                else SubmissionStatus.SUBMITTED
            )
            submitted = status != SubmissionStatus.DRAFT
            at = due + timedelta(days=rng.randint(1, 9)) if late else due - timedelta(days=2)
            rows.append(
                Submission(
                    milestone=milestone,
                    union=union,
                    status=status,
                    narrative="规模测试报送材料" if submitted else "",
                    submitted_at=at if submitted else None,
                    days_late=(at.date() - milestone.due_date).days if submitted and late else 0,
                    first_submitted_at=at if submitted else None,
                    first_days_late=(at.date() - milestone.due_date).days
                    if submitted and late
                    else 0,
                )
            )
    saved = Submission.objects.bulk_create(rows, batch_size=BATCH)
    versions = [
        SubmissionVersion(
            submission=s,
            number=1,
            snapshot={},
            narrative=s.narrative,
            submitted_at=s.submitted_at,
            days_late=s.days_late,
        )
        for s in saved
        if s.submitted_at
    ]
    SubmissionVersion.objects.bulk_create(versions, batch_size=BATCH)
    return f"{len(saved)} submissions, {len(versions)} versions"
