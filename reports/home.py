"""Home-page items: submissions of the user's union still to be sent, and ones to review."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from unionvol.home import AwaitingItem, Difference, Total, register
from unionvol.scoping import Capability, has_capability, union_of


@register
def awaiting_submissions(user: Any) -> Iterable[AwaitingItem]:
    from reports.models import MilestoneTally, Submission, SubmissionStatus

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
        # Reports sent by the addressees below the union, from the matrix's tally (a row
        # per milestone, whatever the size of the subtree): submitted on time or late,
        # less the union's own (it reports to the union above).
        below = Total(MilestoneTally.objects.filter(union=union), "late", ("on_time",))
        own = Submission.objects.filter(
            union=union,
            status=SubmissionStatus.SUBMITTED,
            milestone__campaign__addressee_rows__union=union,
        )
        review = Difference(below, own)
        items.append(AwaitingItem(_("待审核的报送"), review, "/reports/", "primary"))
    return items
