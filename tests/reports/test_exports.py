from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from reports import jobs, services
from reports.models import Submission
from service.sheets import DISPATCH_LABELS, DISPATCH_TITLE
from tests.factories import drain
from tests.reports.helpers import make_records
from unionvol.jobs import job_create, run_job
from unionvol.models import AuditEvent, ExportJob, ExportStatus
from unionvol.sheets import SHEETS as REGISTRY
from unionvol.sheets import Period

pytestmark = pytest.mark.django_db

SEED_000 = next((Path(__file__).resolve().parents[3] / "shared" / "seeds").glob("000_*.txt"), None)


def read(resp: Any) -> io.BytesIO:
    return io.BytesIO(drain(resp))


def _texts(wb: Any) -> set[str]:
    found = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                if isinstance(v, str):
                    found.add(v)
    return found


def _seed_labels() -> list[str]:
    """The dispatch labels as the seed prints them (spacing / bracket style normalised)."""
    labels = list(DISPATCH_LABELS.values())
    if SEED_000 is not None:
        text = SEED_000.read_text(encoding="utf-8")
        for label in labels[:-1]:
            assert label in text, label
        assert "志愿服务进展情况" in text
        assert "500字以内" in text
    return labels


def _submit_a(tree: Any, dispatch_ms: Any, clerk_a: Any) -> Submission:
    services.ensure_submissions(milestone=dispatch_ms)
    sub = Submission.objects.get(union=tree.district_a, milestone=dispatch_ms)
    sub = services.submission_save(
        submission=sub, user=clerk_a, version=sub.version, cleaned={"progress_0": "进展良好"}
    )
    services.submission_submit(submission=sub, user=clerk_a, version=sub.version)
    sub.refresh_from_db()
    return sub


def test_submission_xlsx_has_the_seed_layout(
    campaign: Any, dispatch_ms: Any, tree: Any, clerk_a: Any, client_as: Any, viewer_a: Any
) -> None:
    make_records(tree.grassroots_a, campaign)
    sub = _submit_a(tree, dispatch_ms, clerk_a)
    resp = client_as(clerk_a).get(f"/reports/submissions/{sub.pk}/xlsx/")
    assert resp.status_code == 200
    wb = load_workbook(read(resp))
    texts = _texts(wb)
    for label in _seed_labels():
        assert label in texts
    assert DISPATCH_TITLE in texts
    assert any(t.startswith("填表单位:") for t in texts)
    assert any(t.startswith("填表日期:") for t in texts)
    assert "进展良好" in texts
    assert AuditEvent.objects.filter(action="export").exists()
    assert client_as(viewer_a).get(f"/reports/submissions/{sub.pk}/xlsx/").status_code == 403


def test_aggregate_and_campaign_workbooks_through_jobs(
    campaign: Any,
    dispatch_ms: Any,
    tree: Any,
    clerk_a: Any,
    issuer_reviewer: Any,
    client_as: Any,
    admin_b: Any,
) -> None:
    make_records(tree.grassroots_a, campaign)
    _submit_a(tree, dispatch_ms, clerk_a)
    client = client_as(issuer_reviewer)
    url = f"/reports/campaigns/{campaign.pk}/export/"
    assert client.get(url).status_code == 200
    resp = client.post(url, {"kind": "aggregate", "form": "dispatch", "union": tree.city.pk})
    assert resp.status_code == 302
    job = ExportJob.objects.latest("pk")
    assert job.status == ExportStatus.DONE
    page = client.get(resp.url).content.decode()
    assert "下载" in page
    assert 'http-equiv="refresh"' not in page
    download = client.get(f"/exports/{job.pk}/download/")
    assert download.status_code == 200
    wb = load_workbook(read(download))
    texts = _texts(wb)
    assert "填报单位：甲区总工会" in texts
    assert "填报单位：乙区总工会（未报送，按系统记录）" in texts
    assert "合计" in texts
    assert "进展良好" in texts
    # As printed: each union starts a page (a break before the second union and the 合计),
    # and the 进展情况 box is taller than one line.
    ws = wb.worksheets[0]
    starts = [
        c.row for r in ws.iter_rows() for c in r if str(c.value or "").startswith("填报单位：")
    ]
    breaks = [b.id for b in ws.row_breaks.brk]
    assert len(starts) == 2
    assert starts[1] - 1 in breaks
    assert len(breaks) == 2
    progress_rows = [c.row for r in ws.iter_rows() for c in r if c.value == "进展良好"]
    assert ws.row_dimensions[progress_rows[0]].height > 30
    for label in _seed_labels():
        assert label in texts
    # an outsider cannot fetch someone else's job
    assert client_as(admin_b).get(f"/exports/{job.pk}/download/").status_code == 404

    client = client_as(issuer_reviewer)
    resp = client.post(url, {"kind": "campaign", "union": tree.city.pk})
    assert resp.status_code == 302
    job = ExportJob.objects.latest("pk")
    assert job.status == ExportStatus.DONE
    wb = load_workbook(read(client.get(f"/exports/{job.pk}/download/")))
    names = wb.sheetnames
    assert any("情况调度表" in n for n in names)
    assert any("总结" in n for n in names)
    assert "报送完成情况" in names
    matrix = _texts(wb)
    assert "逾期报送（1天）" in matrix
    assert AuditEvent.objects.filter(action="export", object_type="unionvol.ExportJob").count() >= 2


def test_large_jobs_wait_for_the_worker(
    campaign: Any, tree: Any, issuer_reviewer: Any, client_as: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr("reports.exports.INLINE_LIMIT", 0)
    client = client_as(issuer_reviewer)
    resp = client.post(
        f"/reports/campaigns/{campaign.pk}/export/", {"kind": "campaign", "union": tree.city.pk}
    )
    job = ExportJob.objects.latest("pk")
    assert job.status == ExportStatus.PENDING
    page = client.get(resp.url).content.decode()
    assert 'http-equiv="refresh"' in page
    assert client.get(f"/exports/{job.pk}/download/").status_code == 404
    call_command("run_export_jobs", "--once")
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    assert job.progress == 100
    resp = client.get(f"/exports/{job.pk}/download/")
    assert resp.status_code == 200
    drain(resp)


def test_single_union_form_download_and_bad_input(
    campaign: Any, tree: Any, clerk_a: Any, client_as: Any, viewer_a: Any
) -> None:
    client = client_as(clerk_a)
    url = f"/reports/campaigns/{campaign.pk}/export/"
    resp = client.post(url, {"kind": "form", "form": "summary", "union": tree.district_a.pk})
    assert resp.status_code == 200
    assert resp["Content-Disposition"].startswith("attachment")
    read(resp)
    bad = client.post(url, {"kind": "aggregate", "union": tree.district_a.pk})
    assert bad.status_code == 400
    assert "请选择报表" in bad.content.decode()
    # a union outside the clerk's scope is not a choice
    outside = client.post(url, {"kind": "form", "form": "summary", "union": tree.district_b.pk})
    assert outside.status_code == 400
    viewer = client_as(viewer_a)
    assert viewer.get(url).status_code == 403
    assert viewer.post(url, {}).status_code == 403


def test_job_failure_is_reported(tree: Any, issuer_reviewer: Any, campaign: Any) -> None:
    job = job_create(
        user=issuer_reviewer,
        kind=jobs.KIND_AGGREGATE,
        params={"campaign_id": campaign.pk, "union_id": tree.city.pk, "form": "nope"},
    )
    run_job(job)
    assert job.status == ExportStatus.FAILED


EXPECTED_LABELS = {
    "dispatch": ["志愿服务队名称", "志愿服务项目名称", "志愿服务队组成人数", "参与项目总人次"],
    "warmth_stats": ["序号", "帮困金额（万元）", "一日捐筹措资金", "慰问走访人数"],
    "quota": ["序号", "区市县、产业工会", "人数", "备注"],
    "roster": ["序号", "姓名", "身份证号码", "政治面貌", "特长"],
    "registration": ["工会服务帮扶志愿者登记表", "身份证号", "联系电话", "本人申请"],
    "plan": ["分队名称", "全年志愿服务活动计划安排"],
    "typical": ["典型材料（2000字以内）"],
    "summary": ["活动总结", "参与人次", "服务时长（小时）"],
}


@pytest.mark.parametrize("form_id", list(REGISTRY))
@pytest.mark.parametrize("aggregate", [False, True])
def test_export_sheet_writes_every_form(
    form_id: str, aggregate: bool, campaign: Any, tree: Any, tmp_path: Path
) -> None:
    from tests.factories import make_volunteer

    make_records(tree.grassroots_a, campaign)
    make_volunteer(tree.grassroots_a, status="approved")
    out = tmp_path / f"{form_id}.xlsx"
    args = [form_id, "--campaign", campaign.doc_number, "-o", str(out)]
    if aggregate:
        args.append("--aggregate")
    else:
        args += ["--union", "C-A"]
    call_command("export_sheet", *args)
    texts = {"".join(t.split()) for t in _texts(load_workbook(out))}
    for label in EXPECTED_LABELS[form_id]:
        assert any(label in t for t in texts), (form_id, label)
    if aggregate and form_id not in ("registration", "roster"):
        assert "合计" in texts or any("合计" in t for t in texts)
    if aggregate and form_id == "roster":  # no 合计 row, as the seed: the count heads it
        assert any(t.startswith("汇总单位：") and "共" in t for t in texts)


def test_export_sheet_list(capsys: Any) -> None:
    call_command("export_sheet", "--list")
    out = capsys.readouterr().out
    for key in ("dispatch", "warmth_stats", "quota", "roster", "registration", "plan", "typical"):
        assert key in out
    assert "summary" in out


def test_every_form_renders_its_prefill_as_html(campaign: Any, tree: Any) -> None:
    make_records(tree.grassroots_a, campaign)
    for form in REGISTRY.values():
        html = form.render(form.prefill(tree.district_a, Period.of_campaign(campaign)))
        assert str(form.title) in html or form.identifier == "registration"


def test_aggregated_export_query_count_does_not_grow_with_unions(
    campaign: Any, dispatch_ms: Any, tree: Any, issuer_reviewer: Any
) -> None:
    """A union that reported is read from its snapshot with all the others; those that
    did not are printed from their live records, read for all of them at once (each
    sheet's ``prefill_many``): neither grows with the number of unions."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from campaigns.models import CampaignAddressee
    from reports import exports
    from reports.models import SubmissionStatus, SubmissionVersion
    from tests.factories import make_union
    from unionvol.rollups import rebuild_rollups

    def grow(start: int, stop: int) -> None:
        for i in range(start, stop):
            u = make_union(tree.city, name=f"汇总{i}", code=f"C-G{i:03d}")
            CampaignAddressee.objects.create(campaign=campaign, union=u)
        services.ensure_submissions(milestone=dispatch_ms)
        for m in campaign.milestones.all():
            services.ensure_submissions(milestone=m)
        tree.city.refresh_from_db()

    def submit_all() -> None:
        drafts = list(Submission.objects.filter(status=SubmissionStatus.DRAFT))
        now = timezone.now()
        SubmissionVersion.objects.bulk_create(
            SubmissionVersion(
                submission=s, number=1, snapshot=s.data, narrative=s.narrative, submitted_at=now
            )
            for s in drafts
        )
        Submission.objects.filter(pk__in=[s.pk for s in drafts]).update(
            status=SubmissionStatus.SUBMITTED, submitted_at=now
        )
        rebuild_rollups([campaign.pk])  # the bulk writes above bypass the services

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as one:
            wb = exports.form_workbook(
                "dispatch",
                union=tree.city,
                campaign=campaign,
                aggregate=True,
                milestone=dispatch_ms,
            )
        wb.save(io.BytesIO())
        with CaptureQueriesContext(connection) as whole:
            wb = exports.campaign_workbook(campaign=campaign, union=tree.city, user=issuer_reviewer)
        wb.save(io.BytesIO())
        return len(one.captured_queries), len(whole.captured_queries)

    grow(0, 3)
    submit_all()
    count()  # warms the user's membership cache
    small = count()
    grow(3, 30)
    unreported = count()  # 27 unions that have not reported: their records, read at once
    grow(30, 45)
    assert count() == unreported
    submit_all()
    assert count() == small


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_the_aggregated_dispatch_sheet_opens_in_libreoffice(
    campaign: Any, dispatch_ms: Any, tree: Any, clerk_a: Any, tmp_path: Path
) -> None:
    make_records(tree.grassroots_a, campaign)
    _submit_a(tree, dispatch_ms, clerk_a)
    out = tmp_path / "agg.xlsx"
    call_command(
        "export_sheet", "dispatch", "--campaign", campaign.doc_number, "--aggregate", "-o", str(out)
    )
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = (tmp_path / "agg.csv").read_text(encoding="utf-8")
    assert DISPATCH_TITLE in text
    for label in list(DISPATCH_LABELS.values())[:-1]:
        assert label in text
    assert "进展良好" in text


def test_roster_and_quota_of_one_union_come_from_the_volunteers_app(
    campaign: Any, tree: Any, clerk_a: Any, client_as: Any
) -> None:
    from tests.factories import make_volunteer

    v = make_volunteer(tree.grassroots_a, status="approved", campaign=campaign)
    client = client_as(clerk_a)
    url = f"/reports/campaigns/{campaign.pk}/export/"
    resp = client.post(url, {"kind": "form", "form": "roster", "union": tree.district_a.pk})
    assert resp.status_code == 200
    texts = _texts(load_workbook(read(resp)))
    assert "身份证号码" in texts
    assert v.id_number not in texts  # masked for a clerk
    assert AuditEvent.objects.filter(action="export").exists()


def test_warmth_stats_of_one_union_comes_from_the_relief_app(
    campaign: Any, tree: Any, reviewer_a: Any, client_as: Any
) -> None:
    from tests.relief.factories import make_visit

    make_visit(tree.district_a, campaign=campaign)
    client = client_as(reviewer_a)
    resp = client.post(
        f"/reports/campaigns/{campaign.pk}/export/",
        {"kind": "form", "form": "warmth_stats", "union": tree.district_a.pk},
    )
    assert resp.status_code == 200
    texts = _texts(load_workbook(read(resp)))
    assert "慰问走访人数" in texts
    assert any(t.endswith("年教育工会春节送温暖活动统计表") for t in texts)


def test_an_aggregate_prints_only_standing_reports_and_marks_the_rest(
    campaign: Any, dispatch_ms: Any, tree: Any, clerk_a: Any, issuer_reviewer: Any
) -> None:
    """A draft never sent is not the union's word, nor is a report returned for
    correction: the aggregated sheet prints the union's live records for them, marked
    after its name; a submitted report prints as submitted. The union's own sheet still
    prints its draft, for the clerk to check before sending."""
    from reports import exports

    make_records(tree.grassroots_a, campaign)

    def aggregate() -> tuple[set[str], list[str]]:
        wb = exports.form_workbook(
            "dispatch", union=tree.city, campaign=campaign, aggregate=True, milestone=dispatch_ms
        )
        texts = _texts(load_workbook(io.BytesIO(wb_bytes(wb))))
        return texts, sorted(t for t in texts if t.startswith("填报单位："))

    def wb_bytes(wb: Any) -> bytes:
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()

    services.ensure_submissions(milestone=dispatch_ms)
    sub = Submission.objects.get(union=tree.district_a, milestone=dispatch_ms)
    sub = services.submission_save(
        submission=sub, user=clerk_a, version=sub.version, cleaned={"progress_0": "草稿半句"}
    )
    texts, labels = aggregate()
    assert "草稿半句" not in texts
    assert "填报单位：甲区总工会（未报送，按系统记录）" in labels
    own = load_workbook(io.BytesIO(wb_bytes(_own_sheet(sub))))
    assert "草稿半句" in _texts(own)  # the union's own copy, as its page shows it

    sub = services.submission_save(
        submission=sub, user=clerk_a, version=sub.version, cleaned={"progress_0": "进展良好"}
    )
    services.submission_submit(submission=sub, user=clerk_a, version=sub.version)
    texts, labels = aggregate()
    assert "进展良好" in texts
    assert "填报单位：甲区总工会" in labels

    sub.refresh_from_db()
    services.submission_review(
        submission=sub, user=issuer_reviewer, accept=False, comment="请补充", version=sub.version
    )
    texts, labels = aggregate()
    assert "进展良好" not in texts
    assert "填报单位：甲区总工会（已退回，按系统记录）" in labels


def _own_sheet(sub: Submission) -> Any:
    from reports import exports
    from unionvol.sheets import get_sheet

    wb = exports.SafeWorkbook()
    get_sheet("dispatch").write(wb, sub.union, exports.working_copy(sub))
    return wb


def test_a_submitted_sheet_prints_who_filled_it_in_and_the_day(
    campaign: Any, dispatch_ms: Any, tree: Any, clerk_a: Any, client_as: Any
) -> None:
    """填表日期 on a submitted report is the day it was submitted, written as the notices
    write dates (2019年3月1日); a 统计表 prints its submitter as 填表人."""
    from datetime import timedelta

    from django.utils import timezone

    from reports import exports
    from reports.models import SubmissionVersion
    from unionvol.sheets import date_text, get_sheet

    clerk_a.first_name = "周婷"
    clerk_a.save(update_fields=["first_name"])
    sub = _submit_a(tree, dispatch_ms, clerk_a)
    day = timezone.localdate() - timedelta(days=9)
    SubmissionVersion.objects.filter(submission=sub).update(
        submitted_at=timezone.now() - timedelta(days=9)
    )
    resp = client_as(clerk_a).get(f"/reports/submissions/{sub.pk}/xlsx/")
    texts = _texts(load_workbook(read(resp)))
    assert f"填表日期:{date_text(day)}" in texts
    assert date_text(day) == f"{day.year}年{day.month}月{day.day}日"

    data = exports.working_copy(sub)
    assert data["filler"] == "周婷"
    wb = exports.SafeWorkbook()
    get_sheet("warmth_stats").write(wb, tree.district_a, {"stats": {}} | data)
    out = io.BytesIO()
    wb.save(out)
    assert any(t.startswith("填表人：周婷") for t in _texts(load_workbook(out)))
