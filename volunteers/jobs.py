"""The volunteers app's export job: a 花名册 too big to build inside a request."""

from __future__ import annotations

from typing import Any

from campaigns.models import Campaign
from unions.models import Union
from unionvol.jobs import Progress, register_job_kind
from unionvol.models import ExportJob
from volunteers.exports import build_sheet, roster_volunteers
from volunteers.models import VolunteerStatus

KIND_ROSTER = "roster"


def build_roster(job: ExportJob, progress: Progress) -> tuple[Any, str]:
    """The roster sheet of the requester's view (its sheet audits the export, with full_ids)."""
    user = job.requested_by
    union = Union.objects.visible_to(user).get(pk=job.params["union_id"])
    status = job.params.get("status") or ""
    statuses: Any = [VolunteerStatus.APPROVED]
    if status == "all":
        statuses = None
    elif status in VolunteerStatus.values:
        statuses = [status]
    volunteers = roster_volunteers(user=user, union=union, statuses=statuses)
    if job.params.get("campaign_id"):
        campaign = Campaign.objects.visible_to(user).get(pk=job.params["campaign_id"])
        volunteers = volunteers.filter(campaign=campaign)
    sheet, wb = build_sheet(
        "roster", user=user, union=union, volunteers=volunteers, with_status=bool(status)
    )
    return wb, sheet.filename().removesuffix(".xlsx")


def register() -> None:
    register_job_kind(KIND_ROSTER, build_roster, audits_itself=True)
