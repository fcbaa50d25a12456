from __future__ import annotations

import io

import pytest

from campaigns.models import Campaign
from unions import demo as unions_demo
from volunteers import demo
from volunteers.models import ApprovalStep, QuotaAllocation, Volunteer, VolunteerStatus

pytestmark = pytest.mark.django_db


def test_demo_data_is_complete_and_idempotent() -> None:
    unions_demo.load(io.StringIO())
    demo.load(io.StringIO())
    campaign = Campaign.objects.get(doc_number="大工办发[2012]18号")
    assert campaign.issuer.code == "DL"
    assert campaign.recruits_volunteers
    quotas = QuotaAllocation.objects.filter(campaign=campaign).order_by("order")
    assert quotas.count() == 19
    assert sum(q.quota for q in quotas) == 5800
    assert [q.union.code for q in quotas][:2] == ["DL-01", "DL-02"]
    assert quotas[0].union.name == "中山区总工会"
    count = Volunteer.objects.count()
    assert 35 <= count <= 45
    approved = Volunteer.objects.filter(
        status=VolunteerStatus.APPROVED, union__code="DL-01-G01"
    ).first()
    deciders = list(
        ApprovalStep.objects.filter(volunteer=approved)
        .order_by("level")
        .values_list("decided_by__username", flat=True)
    )
    assert deciders == ["gr_reviewer", "zs_reviewer", "dl_reviewer"]
    assert approved.created_by.username == "gr_clerk"
    assert {v.status for v in Volunteer.objects.all()} == {
        "approved",
        "pending",
        "returned",
        "rejected",
    }
    steps = ApprovalStep.objects.count()
    demo.load(io.StringIO())
    assert Volunteer.objects.count() == count
    assert ApprovalStep.objects.count() == steps
    assert QuotaAllocation.objects.filter(campaign=campaign).count() == 19
