"""Issue 12: a submission's draft is saved only over the version it was opened at."""

from __future__ import annotations

from typing import Any

import pytest

from reports.models import Submission
from reports.services import STALE
from tests.factories import make_member
from tests.lost_updates import client_for, second_save_is_refused
from unions.models import Role

pytestmark = pytest.mark.django_db


def test_a_stale_draft_save_is_refused_and_keeps_the_typed_text(
    clerk_a: Any, campaign: Any, dispatch_ms: Any, tree: Any
) -> None:
    other_clerk = make_member(tree.district_a, Role.CLERK, username="clerk_a2")
    first, second = client_for(clerk_a), client_for(other_clerk)
    assert first.get(f"/reports/campaigns/{campaign.pk}/").status_code == 200
    sub = Submission.objects.get(union=tree.district_a, milestone=dispatch_ms)
    refused = second_save_is_refused(
        first,
        second,
        sub.get_absolute_url(),
        {"progress_0": "第一人写的进展。"},
        {"progress_0": "第二人写的进展。"},
        form_key="edit_form",
        extra={"action": "save"},
        message=STALE,
    )
    assert "第二人写的进展。" in refused.content.decode()
    sub.refresh_from_db()
    assert sub.data["blocks"][0]["progress"] == "第一人写的进展。"
    assert sub.version == 2
