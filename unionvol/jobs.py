"""The background job runner: workbooks too big to build inside a web request.

A job is a row (:class:`~unionvol.models.ExportJob`) with a *kind*; the app that
owns the kind registers a builder for it in its ``AppConfig.ready`` with
:func:`register_job_kind`. ``run_export_jobs`` (the worker) or a small request
inline runs :func:`run_job`, which claims the row by a conditional UPDATE (two
workers never build the same job), calls the builder inside the system scope
with the requesting user, saves the file under ``MEDIA_ROOT/exports`` with a
random name and records the outcome.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from unionvol.audit import audit
from unionvol.models import AuditAction, ExportJob, ExportStatus
from unionvol.scoping import system_scope, union_of

Progress = Callable[[int], None]
Builder = Callable[[ExportJob, Progress], tuple[Any, str]]


@dataclass(frozen=True)
class JobKind:
    kind: str
    build: Builder
    audits_itself: bool = False  # the builder records its own export event (with full_ids)


_kinds: dict[str, JobKind] = {}


def register_job_kind(kind: str, build: Builder, *, audits_itself: bool = False) -> None:
    _kinds[kind] = JobKind(kind, build, audits_itself)


def export_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def export_filename(label: str) -> str:
    return f"{label}-{timezone.localdate():%Y%m%d}.xlsx"


def job_create(*, user: Any, kind: str, params: dict[str, Any], union: Any = None) -> ExportJob:
    """Queue a job owned by ``union`` (default: the requester's own union)."""
    if kind not in _kinds:
        raise ValueError(f"unknown job kind {kind!r}")
    job = ExportJob(requested_by=user, union=union or union_of(user), kind=kind, params=params)
    job.full_clean()
    job.save()
    return job


def run_job(job: ExportJob) -> ExportJob:
    with transaction.atomic(), system_scope():
        claimed = ExportJob.objects.filter(pk=job.pk, status=ExportStatus.PENDING).update(
            status=ExportStatus.RUNNING, progress=1
        )
    if not claimed:
        job.refresh_from_db()
        return job

    def progress(p: int) -> None:
        with system_scope():
            ExportJob.objects.filter(pk=job.pk).update(progress=p)

    kind = _kinds[job.kind]
    try:
        with system_scope():
            wb, label = kind.build(job, progress)
            name = f"{uuid.uuid4().hex}.xlsx"
            wb.save(str(export_dir() / name))
            ExportJob.objects.filter(pk=job.pk).update(
                status=ExportStatus.DONE,
                progress=100,
                file_path=f"exports/{name}",
                filename=export_filename(label),
                finished_at=timezone.now(),
            )
            if not kind.audits_itself:
                audit(
                    user=job.requested_by,
                    action=AuditAction.EXPORT,
                    target=job,
                    rows=wb.rows_written,
                    what=label,
                )
    except Exception as exc:  # the job fails, the worker goes on with the next one
        with system_scope():
            ExportJob.objects.filter(pk=job.pk).update(
                status=ExportStatus.FAILED, error=str(exc)[:500], finished_at=timezone.now()
            )
    job.refresh_from_db()
    return job


def run_pending(limit: int | None = None) -> int:
    with system_scope():
        pending = list(
            ExportJob.objects.filter(status=ExportStatus.PENDING).order_by("created_at")[
                : limit or None
            ]
        )
    for job in pending:
        run_job(job)
    return len(pending)
