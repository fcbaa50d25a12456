"""Reports objects for the URL-scoping test, and helpers for the reports tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from campaigns.models import Campaign, CampaignAddressee, Milestone
from reports.models import Submission, SubmissionPhoto
from tests.factories import OBJECT_FACTORIES, UserFactory, make_campaign
from unions.models import Membership, Role, Union
from unionvol.models import ExportJob


def make_reporting_campaign(
    issuer: Union, addressees: list[Union], *, forms: tuple[str, ...] = ("dispatch",), **kwargs: Any
) -> Campaign:
    campaign = make_campaign(issuer, **kwargs)
    for union in addressees:
        CampaignAddressee.objects.create(campaign=campaign, union=union)
    for i, form in enumerate(forms):
        Milestone.objects.create(
            campaign=campaign,
            title=f"节点{i + 1}",
            form=form,
            due_date=date(2026, 3 + 3 * i, 30),
        )
    return campaign


def make_submission(union: Union, **kwargs: Any) -> Submission:
    parent = Union.objects.get_parent(union) or union
    campaign = make_reporting_campaign(parent, [union])
    milestone = campaign.milestones.get()
    return Submission.objects.create(milestone=milestone, union=union, **kwargs)


def _photo(union: Union) -> SubmissionPhoto:
    from django.core.files.base import ContentFile

    sub = make_submission(union)
    photo = SubmissionPhoto(submission=sub)
    photo.image.save("p.jpg", ContentFile(b"\xff\xd8\xff"), save=False)
    photo.save()
    return photo


def _job(union: Union) -> ExportJob:
    member = Membership.objects.filter(union=union).first()
    user = member.user if member else UserFactory()
    if member is None:
        Membership.objects.create(user=user, union=union, role=Role.CLERK)
    return ExportJob.objects.create(requested_by=user, union=union, kind="campaign", params={})


OBJECT_FACTORIES.setdefault(Campaign, lambda union: make_campaign(union))
OBJECT_FACTORIES[Submission] = make_submission
OBJECT_FACTORIES[SubmissionPhoto] = _photo
OBJECT_FACTORIES[ExportJob] = _job
