"""Reminders for submissions due in 7, 3 or 1 days, or overdue: once per threshold."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.models import ReminderSent, Submission, SubmissionStatus
from reports.services import open_due_milestones
from unions.models import Membership, Role
from unionvol.urls_absolute import absolute_url

THRESHOLDS = (7, 3, 1)
OVERDUE = "overdue"


def threshold_for(due: date, today: date) -> str | None:
    days = (due - today).days
    if days < 0:
        return OVERDUE
    for t in THRESHOLDS:
        if days == t:
            return f"d{t}"
    return None


def send_reminders(*, today: date | None = None) -> int:
    """Returns the number of e-mails sent."""
    from campaigns.models import CampaignStatus, Milestone

    today = today or timezone.localdate()
    window = today + timedelta(days=max(THRESHOLDS))
    milestones = Milestone.objects.filter(
        campaign__status=CampaignStatus.PUBLISHED, due_date__lte=window
    ).select_related("campaign")
    open_due_milestones(today=today)
    pending = (
        Submission.objects.filter(
            milestone__in=milestones,
            status__in=[SubmissionStatus.DRAFT, SubmissionStatus.RETURNED],
        )
        .select_related("milestone__campaign", "union")
        .order_by("pk")
    )
    done = set(
        ReminderSent.objects.filter(submission__in=pending).values_list(
            "submission_id", "threshold"
        )
    )
    clerks: dict[int, list[str]] = {}
    for m in Membership.objects.filter(
        union__in=pending.values("union"), role__in=[Role.CLERK, Role.ADMIN], user__is_active=True
    ).select_related("user"):
        if m.user.email:
            clerks.setdefault(m.union_id, []).append(m.user.email)
    messages = []
    # Records and e-mails together: if sending fails, no threshold is marked as done.
    with transaction.atomic():
        for sub in pending:
            threshold = threshold_for(sub.milestone.due_date, today)
            if threshold is None or (sub.pk, threshold) in done:
                continue
            recipients = clerks.get(sub.union_id, [])
            if not recipients:
                continue
            _record, created = ReminderSent.objects.get_or_create(
                submission=sub, threshold=threshold, defaults={"recipients": len(recipients)}
            )
            if created:
                messages.append(_message(sub, today, recipients))
        if messages:
            send_mass_mail(messages, fail_silently=False)
    return len(messages)


def _message(sub: Submission, today: date, recipients: list[str]) -> tuple[str, str, str, list]:
    days = (sub.milestone.due_date - today).days
    if days < 0:
        when = _("已逾期 %(days)s 天") % {"days": -days}
    else:
        when = _("还有 %(days)s 天截止") % {"days": days}
    subject = _("【催报】%(doc)s %(title)s（%(when)s）") % {
        "doc": sub.milestone.campaign.doc_number,
        "title": sub.milestone.title,
        "when": when,
    }
    body = _(
        "%(union)s：\n\n%(campaign)s 的“%(title)s”截止日期为 %(due)s，%(when)s，"
        "贵单位尚未报送。请登录系统填报：%(url)s\n"
    ) % {
        "union": sub.union.name,
        "campaign": sub.milestone.campaign.title,
        "title": sub.milestone.title,
        "due": f"{sub.milestone.due_date:%Y-%m-%d}",
        "when": when,
        "url": absolute_url(sub.get_absolute_url()),
    }
    return (subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
