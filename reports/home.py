"""Home-page items: submissions of the user's union still to be sent, and ones to review."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from unionvol.home import AwaitingItem, register
from unionvol.scoping import Capability, has_capability, union_of


@register
def awaiting_submissions(user: Any) -> Iterable[AwaitingItem]:
    from reports.models import Submission, SubmissionStatus

    union = union_of(user)
    if union is None:
        return []
    items = []
    if has_capability(user, Capability.EDIT):
        todo = Submission.objects.filter(
            union=union, status__in=[SubmissionStatus.DRAFT, SubmissionStatus.RETURNED]
        )
        items.append(AwaitingItem(_("待报送的材料"), todo, "/reports/", "warning"))
    if has_capability(user, Capability.REVIEW):
        review = (
            Submission.objects.within(union)
            .exclude(union=union)
            .filter(status=SubmissionStatus.SUBMITTED)
        )
        items.append(AwaitingItem(_("待审核的报送"), review, "/reports/", "primary"))
    return items
