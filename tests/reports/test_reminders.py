from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from campaigns.models import Milestone
from reports import services
from reports.models import ReminderSent, Submission
from tests.factories import make_member
from unions.models import Role

pytestmark = pytest.mark.django_db


def test_reminders_once_per_threshold_and_only_to_pending_unions(
    campaign: Any, dispatch_ms: Any, tree: Any, clerk_a: Any
) -> None:
    clerk_b = make_member(tree.district_b, Role.CLERK, username="clerk_b")
    today = timezone.localdate()
    soon = Milestone.objects.create(
        campaign=campaign, title="三天后", form="summary", due_date=today + timedelta(days=3)
    )
    Milestone.objects.create(
        campaign=campaign, title="五天后", form="summary", due_date=today + timedelta(days=5)
    )
    # district_a already submitted the overdue dispatch
    services.ensure_submissions(milestone=dispatch_ms)
    sub = Submission.objects.get(union=tree.district_a, milestone=dispatch_ms)
    sub = services.submission_save(
        submission=sub, user=clerk_a, version=sub.version, cleaned={"progress_0": "x"}
    )
    services.submission_submit(submission=sub, user=clerk_a, version=sub.version)

    call_command("send_reminders")
    subjects = sorted(m.subject for m in mail.outbox)
    # overdue: only district_b; due in 3 days: both; due in 5 days: nobody
    assert len(mail.outbox) == 3
    assert sum("已逾期 1 天" in s for s in subjects) == 1
    assert sum("还有 3 天截止" in s for s in subjects) == 2
    overdue = next(m for m in mail.outbox if "已逾期" in m.subject)
    assert overdue.to == [clerk_b.email]
    assert ReminderSent.objects.filter(submission__milestone=soon).count() == 2

    call_command("send_reminders")
    assert len(mail.outbox) == 3  # once per threshold

    call_command("send_reminders", "--today", str(today + timedelta(days=2)))
    # the 3-day milestone is now 1 day away and the 5-day one 3 days: two new thresholds
    assert len(mail.outbox) == 7
    assert ReminderSent.objects.filter(submission__milestone=soon, threshold="d1").count() == 2


def test_a_failed_send_marks_nothing(
    campaign: Any, dispatch_ms: Any, tree: Any, clerk_a: Any, monkeypatch: Any
) -> None:
    def boom(*args: Any, **kwargs: Any) -> int:
        raise OSError("smtp down")

    monkeypatch.setattr("reports.reminders.send_mass_mail", boom)
    with pytest.raises(OSError, match="smtp down"):
        call_command("send_reminders")
    assert not ReminderSent.objects.exists()


def test_reminders_carry_absolute_links(settings: Any, dispatch_ms: Any) -> None:
    from reports.models import Submission
    from reports.reminders import _message
    from reports.services import ensure_submissions

    settings.SITE_URL = "https://gh.example.org"
    ensure_submissions(milestone=dispatch_ms)
    sub = Submission.objects.filter(milestone=dispatch_ms).first()
    assert sub is not None
    _subject, body, _from, _to = _message(sub, dispatch_ms.due_date, ["a@example.org"])
    assert f"https://gh.example.org/reports/submissions/{sub.pk}/" in body
