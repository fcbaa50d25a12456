"""Each figure is defined once, in the app that owns it, and every page and sheet reads
that definition: for every demo union and campaign, the dashboard (the union's row under
its parent, and the parent's total), the 情况调度表 and the 送温暖活动统计表 give exactly
what ``volunteers.figures``, ``service.figures`` and ``relief.figures`` give — the
dashboard from the rollups, the expected figures counted from the records."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from campaigns.models import Campaign
from relief.figures import relief_figures, relief_figures_from_records
from relief.selectors import warmth_stats
from reports.selectors import campaign_totals
from service.figures import service_figures, service_figures_from_records
from service.sheets import dispatch_blocks
from unions.models import Union
from unionvol.rollups import rollup_differences
from unionvol.sheets import Period, get_sheet
from volunteers.figures import volunteer_figures_from_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.UNIONVOL_DASHBOARD_CACHE_SECONDS = 0
    call_command("load_demo", stdout=io.StringIO())


def _expected(union: Union, campaign: Campaign) -> dict[str, Any]:
    v = volunteer_figures_from_records([union.path], campaign=campaign)[union.path]
    s = service_figures_from_records([union.path], campaign=campaign)[union.path]
    r = relief_figures_from_records([union.path], campaign=campaign)[union.path]
    return {
        "volunteers_registered": v.registered,
        "volunteers_approved": v.approved,
        "teams": s.teams,
        "members": s.members,
        "projects": s.projects,
        "activities": s.activities,
        "person_times": s.person_times,
        "hours": float(s.hours),
        "points": float(s.points),
        "beneficiaries": s.beneficiaries,
        "funds": float(s.funds),
        "aided": r.aided,
        "relief_amount": float(r.amount),
    }


def test_dashboard_and_sheets_agree_with_the_figures_of_each_app(demo: None) -> None:
    campaigns = list(Campaign.objects.all())
    unions = [u for u in Union.objects.filter(is_active=True) if u.depth > 1]
    assert len(campaigns) >= 5
    assert rollup_differences() == []  # the demo's writes kept every rollup current
    assert len(unions) >= 10
    checked = nonzero = 0
    for campaign in campaigns:
        for union in unions:
            parent = Union.objects.get_parent(union)
            expected = _expected(union, campaign)
            totals = campaign_totals(campaign=campaign, root=parent)
            row = dict(totals.children)[union]
            assert row == expected, (campaign.doc_number, union.name)
            assert totals.total == _expected(parent, campaign), (campaign.doc_number, parent.name)

            blocks = dispatch_blocks(union, Period(campaign=campaign))
            service = service_figures([union.path], campaign=campaign)[union.path]
            assert len(blocks) == service.projects
            assert sum(b["person_times"] for b in blocks) == service.project_person_times
            assert sum(b["beneficiaries"] for b in blocks) == service.beneficiaries

            period = Period.of_campaign(campaign)
            summary = get_sheet("summary").prefill(union, period)["service"]
            whole = service_figures([union.path], campaign=campaign, until=period.until)
            for key, value in summary.items():
                assert Decimal(str(value)) == Decimal(str(getattr(whole[union.path], key))), key

            stats = warmth_stats(user=None, union=union, campaign=campaign).rows[0]
            relief = relief_figures([union.path], campaign=campaign)[union.path]
            assert stats.aided == relief.aided
            assert Decimal(stats.amount) == relief.amount
            assert stats.visits == relief.visits
            sheet = get_sheet("warmth_stats").prefill(union, period)["stats"]
            assert sheet["aided"] == relief.aided
            assert Decimal(str(sheet["amount_wan"])) * 10000 == relief.amount
            assert sheet["visits"] == relief.visits
            checked += 1
            nonzero += any(expected.values())
    assert checked == len(campaigns) * len(unions)
    assert nonzero >= 5  # the demo has real records to compare, not only zeros


def test_aggregated_sheets_add_up_to_the_issuers_figures(demo: None) -> None:
    """Each demo campaign's aggregated 情况调度表 and 活动总结 for its issuer: the 合计 is
    the issuer's whole subtree as the figures count it (subordinates plus 本级)."""
    import io as _io

    from openpyxl import load_workbook

    from reports import exports

    for campaign in Campaign.objects.all():
        issuer = campaign.issuer
        for milestone in campaign.milestones.filter(form__in=["dispatch", "summary"]):
            wb = exports.form_workbook(
                milestone.form, union=issuer, campaign=campaign, aggregate=True, milestone=milestone
            )
            buf = _io.BytesIO()
            wb.save(buf)
            rows = [list(r) for r in load_workbook(buf).active.iter_rows(values_only=True)]
            total = next(r for r in reversed(rows) if r[0] == "合计")
            entries = exports.aggregate_rows(milestone.form, issuer, campaign, milestone)
            if milestone.form == "dispatch":
                blocks = [
                    b for e in entries for b in e.data.get("blocks") or [] if b.get("project")
                ]
                assert total[2] == len(blocks), campaign.doc_number
                assert total[4] == sum(int(b["person_times"]) for b in blocks)
                # 填报单位数: the unions listed, reported or printed from their records.
                assert total[1] == sum(1 for e in entries if e.submitted or e.mark)
            else:
                served = sum(int(e.data["service"]["beneficiaries"]) for e in entries)
                labels = rows[next(i for i, r in enumerate(rows) if r[0] == "序号")]
                assert total[labels.index("服务对象人数")] == served
