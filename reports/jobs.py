"""Export jobs: queued in the database, built by ``run_export_jobs`` or inline when small."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from reports import exports
from reports.models import ExportJob, ExportStatus
from unionvol.audit import audit
from unionvol.models import AuditAction
from unionvol.scoping import union_of

KIND_CAMPAIGN = "campaign"
KIND_AGGREGATE = "aggregate"
KIND_ROSTER = "roster"  # a large 花名册, requested from the roster page


def job_create(*, user: Any, kind: str, params: dict[str, Any]) -> ExportJob:
    job = ExportJob(
        requested_by=user,
        union=union_of(user),
        kind=kind,
        params=params,
    )
    if job.union_id is None:  # a superuser without membership: owned by the campaign issuer
        from campaigns.models import Campaign
        from unions.models import Union

        if params.get("campaign_id"):
            job.union = Campaign.objects.get(pk=params["campaign_id"]).issuer
        else:
            job.union = Union.objects.get(pk=params["union_id"])
    job.full_clean()
    job.save()
    return job


def _build(job: ExportJob) -> tuple[Any, str]:
    from campaigns.models import Campaign, Milestone
    from unions.models import Union

    user = job.requested_by
    union = Union.objects.visible_to(user).get(pk=job.params["union_id"])
    if job.kind == KIND_ROSTER:
        return _build_roster(job, user=user, union=union)
    campaign = Campaign.objects.visible_to(user).get(pk=job.params["campaign_id"])

    def progress(p: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(progress=p)

    if job.kind == KIND_CAMPAIGN:
        wb = exports.campaign_workbook(campaign=campaign, union=union, user=user, progress=progress)
        label = f"{campaign.doc_number}-汇总"
    elif job.kind == KIND_AGGREGATE:
        milestone = None
        if job.params.get("milestone_id"):
            milestone = Milestone.objects.get(pk=job.params["milestone_id"], campaign=campaign)
        form_id = job.params["form"]
        wb = exports.form_workbook(
            form_id, union=union, campaign=campaign, aggregate=True, milestone=milestone
        )
        from reports.registry import get_form

        label = f"{get_form(form_id).sheet_title()}-{union.name}-汇总"
    else:
        raise ValueError(job.kind)
    return wb, label


def _build_roster(job: ExportJob, *, user: Any, union: Any) -> tuple[Any, str]:
    """The volunteers app's own 花名册 (its sheet audits the export, with full_ids)."""
    from campaigns.models import Campaign
    from volunteers.exports import build_sheet, roster_volunteers
    from volunteers.models import VolunteerStatus

    volunteers = roster_volunteers(user=user, union=union, statuses=[VolunteerStatus.APPROVED])
    if job.params.get("campaign_id"):
        campaign = Campaign.objects.visible_to(user).get(pk=job.params["campaign_id"])
        volunteers = volunteers.filter(campaign=campaign)
    sheet, wb = build_sheet("roster", user=user, union=union, volunteers=volunteers)
    return wb, sheet.filename().removesuffix(".xlsx")


def run_job(job: ExportJob) -> ExportJob:
    with transaction.atomic():
        claimed = ExportJob.objects.filter(pk=job.pk, status=ExportStatus.PENDING).update(
            status=ExportStatus.RUNNING, progress=1
        )
    if not claimed:
        job.refresh_from_db()
        return job
    try:
        wb, label = _build(job)
        name = f"{uuid.uuid4().hex}.xlsx"
        path = exports.export_dir() / name
        wb.save(str(path))
        rows = wb.rows_written
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.DONE,
            progress=100,
            file_path=f"exports/{name}",
            filename=exports.export_filename(label),
            finished_at=timezone.now(),
        )
        if job.kind != KIND_ROSTER:  # the roster sheet records its own export
            audit(
                user=job.requested_by, action=AuditAction.EXPORT, target=job, rows=rows, what=label
            )
    except Exception as exc:
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED, error=str(exc)[:500], finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job


def run_pending(limit: int | None = None) -> int:
    done = 0
    for job in ExportJob.objects.filter(status=ExportStatus.PENDING).order_by("created_at")[
        : limit or None
    ]:
        run_job(job)
        done += 1
    return done
