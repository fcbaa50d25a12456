"""Demo reports of this year's round of each notice: a normal reporting day.

Every addressed union has its submission of each open milestone. For a milestone that
fell due, the addressees take turns: one reported on time (accepted), one late
(accepted — still late), one on time but returned with a comment, one not yet; for a
milestone still to come, the first addressee has reported early and the rest are
drafts. The dashboard, the reminders and the on-time figures can be seen working.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from campaigns.demo import current_round_campaigns
from reports import tally
from reports.models import Submission, SubmissionStatus, SubmissionVersion
from reports.services import ensure_submissions

RETURN_COMMENT = "请补充各服务队的参与人次和服务对象人数。"


def _at(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def load_current_round(today: Any = None) -> dict[str, int]:
    today = today or timezone.localdate()
    counts = dict.fromkeys(("on_time", "late", "returned", "missing", "early"), 0)
    for campaign in current_round_campaigns(today):
        for milestone in campaign.milestones.order_by("due_date", "pk"):
            ensure_submissions(milestone=milestone)
            if milestone.submissions.filter(first_submitted_at__isnull=False).exists():
                continue  # loaded before: the demo is idempotent
            subs = list(
                Submission.objects.filter(milestone=milestone, status=SubmissionStatus.DRAFT)
                .filter(first_submitted_at__isnull=True)
                .order_by("union__path")
            )
            due = milestone.due_date
            for i, sub in enumerate(subs):
                if due >= today:
                    if i == 0:
                        _reported(sub, due - timedelta(days=5), SubmissionStatus.SUBMITTED)
                        counts["early"] += 1
                    continue
                kind = ("on_time", "late", "returned", "missing")[i % 4]
                counts[kind] += 1
                if kind == "on_time":
                    _reported(sub, due - timedelta(days=2), SubmissionStatus.ACCEPTED)
                elif kind == "late":
                    _reported(sub, due + timedelta(days=3), SubmissionStatus.ACCEPTED)
                elif kind == "returned":
                    _reported(sub, due - timedelta(days=1), SubmissionStatus.RETURNED)
    return counts


def _reported(sub: Submission, day: Any, status: str) -> None:
    late = max((day - sub.milestone.due_date).days, 0)
    # What was submitted is a version: the aggregates and the matrix read the same.
    SubmissionVersion.objects.get_or_create(
        submission=sub,
        number=1,
        defaults={
            "snapshot": sub.data | {"narrative": sub.narrative},
            "narrative": sub.narrative,
            "submitted_at": _at(day),
            "days_late": late,
        },
    )
    Submission.objects.filter(pk=sub.pk).update(
        status=status,
        submitted_at=_at(day),
        first_submitted_at=_at(day),
        days_late=late,
        first_days_late=late,
        reviewer_comment=RETURN_COMMENT if status == SubmissionStatus.RETURNED else "",
        reviewed_at=_at(day + timedelta(days=1)) if status != SubmissionStatus.SUBMITTED else None,
    )
    tally.touch([(sub.union_id, sub.milestone.campaign_id)])  # an update sends no signal


def load(stdout: Any) -> None:
    counts = load_current_round()
    stdout.write(
        "reports: this year's round — {on_time} on time, {late} late, {returned} returned, "
        "{missing} not yet reported, {early} reported before the deadline".format(**counts)
    )
