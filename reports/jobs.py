"""The reports app's export jobs: the whole-campaign workbook and aggregated sheets.

Registered with the kernel's job runner (``unionvol.jobs``) when the app is ready.
"""

from __future__ import annotations

from typing import Any

from campaigns.models import Campaign, Milestone
from reports import exports
from unions.models import Union
from unionvol.jobs import Progress, register_job_kind
from unionvol.models import ExportJob
from unionvol.sheets import get_sheet
from volunteers.privacy import may_see_full_ids

KIND_CAMPAIGN = "campaign"
KIND_AGGREGATE = "aggregate"


def _campaign_and_union(job: ExportJob) -> tuple[Campaign, Union]:
    user = job.requested_by
    union = Union.objects.visible_to(user).get(pk=job.params["union_id"])
    campaign = Campaign.objects.visible_to(user).get(pk=job.params["campaign_id"])
    return campaign, union


def build_campaign(job: ExportJob, progress: Progress) -> tuple[Any, str]:
    campaign, union = _campaign_and_union(job)
    wb = exports.campaign_workbook(
        campaign=campaign,
        union=union,
        user=job.requested_by,
        progress=progress,
        full_ids=may_see_full_ids(job.requested_by),
    )
    return wb, f"{campaign.doc_number}-汇总"


def build_aggregate(job: ExportJob, progress: Progress) -> tuple[Any, str]:
    campaign, union = _campaign_and_union(job)
    milestone = None
    if job.params.get("milestone_id"):
        milestone = Milestone.objects.get(pk=job.params["milestone_id"], campaign=campaign)
    form_id = job.params["form"]
    wb = exports.form_workbook(
        form_id,
        union=union,
        campaign=campaign,
        aggregate=True,
        milestone=milestone,
        full_ids=may_see_full_ids(job.requested_by),
    )
    return wb, f"{get_sheet(form_id).sheet_title()}-{union.name}-汇总"


def register() -> None:
    register_job_kind(KIND_CAMPAIGN, build_campaign)
    register_job_kind(KIND_AGGREGATE, build_aggregate)
