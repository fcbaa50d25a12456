"""Building workbooks: one union's form, the aggregated form, the whole campaign."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from reports.registry import get_sheet
from reports.selectors import STATE_LABELS, completeness_matrix, latest_snapshots
from unions.models import Union
from unionvol.xlsx import Column, SafeWorkbook

Progress = Callable[[int], None]

# Above this many addressed unions a whole-campaign workbook is built in the background.
INLINE_LIMIT = 40


def _noop(_p: int) -> None:
    return None


def milestone_for(campaign: Any, form_id: str) -> Any:
    return campaign.milestones.filter(form=form_id).order_by("-due_date").first()


def data_for(form_id: str, union: Any, campaign: Any, milestone: Any | None) -> dict[str, Any]:
    """What the union reported for the milestone, or live figures when nothing was."""
    form = get_sheet(form_id)
    if milestone is not None:
        snap = latest_snapshots(milestone, [union.pk]).get(union.pk)
        if snap is not None:
            return snap
        return form.prefill(union, milestone)
    return form.prefill_campaign(union, campaign)


def aggregate_rows(
    form_id: str, parent: Any, campaign: Any, milestone: Any | None
) -> list[tuple[Any, dict[str, Any]]]:
    """One entry per subordinate union: the addressed unions below ``parent`` (or its children)."""
    from campaigns.models import CampaignAddressee

    unions = [
        row.union
        for row in CampaignAddressee.objects.within(parent)
        .filter(campaign=campaign)
        .exclude(union=parent)
        .select_related("union")
        .order_by("union__path")
    ]
    if not unions:
        unions = list(Union.objects.get_children(parent))
    form = get_sheet(form_id)
    snaps = latest_snapshots(milestone, [u.pk for u in unions]) if milestone else {}
    rows = []
    for union in unions:
        data = snaps.get(union.pk)
        if data is None:
            data = (
                form.prefill(union, milestone)
                if milestone
                else form.prefill_campaign(union, campaign)
            )
        rows.append((union, data))
    return rows


def form_workbook(
    form_id: str, *, union: Any, campaign: Any, aggregate: bool = False, milestone: Any = None
) -> SafeWorkbook:
    form = get_sheet(form_id)
    milestone = milestone or milestone_for(campaign, form_id)
    wb = SafeWorkbook()
    if aggregate:
        form.write_aggregate(wb, union, aggregate_rows(form_id, union, campaign, milestone))
    else:
        form.write_xlsx(wb, union, data_for(form_id, union, campaign, milestone))
    return wb


def write_matrix(wb: SafeWorkbook, *, campaign: Any, user: Any) -> None:
    matrix = completeness_matrix(campaign=campaign, user=user)
    cols = [Column(_("工会"), 28)] + [
        Column(f"{c.milestone.due_date:%m-%d} {c.milestone.title}", 18, center=True)
        for c in matrix.columns
    ]
    sheet = wb.add_sheet(_("报送完成情况"), cols, landscape=True)
    sheet.title(_("报送完成情况") + f" {campaign.doc_number}")
    sheet.header()
    for union, cells in matrix.rows:
        values = [union.name]
        for cell in cells:
            text = str(cell["label"])
            if cell["state"] == "late":
                text += _("（%(days)s天）") % {"days": cell["days_late"]}
            values.append(text)
        sheet.row(values)
    sheet.row([_("报送率")] + [f"{c.reporting_rate}%" for c in matrix.columns], style="uv_total")
    sheet.row([_("按时率")] + [f"{c.on_time_rate}%" for c in matrix.columns], style="uv_total")
    sheet.row([_("逾期率")] + [f"{c.late_rate}%" for c in matrix.columns], style="uv_total")
    sheet.row(
        [_("已报 / 按时 / 逾期 / 未报")]
        + [f"{c.reported} / {c.on_time} / {c.late} / {c.missing}" for c in matrix.columns],
        style="uv_total",
    )
    for state, label in STATE_LABELS.items():
        sheet.row([str(label)] + [c.counts[state] for c in matrix.columns])


def campaign_workbook(
    *, campaign: Any, union: Any, user: Any, progress: Progress = _noop
) -> SafeWorkbook:
    """One sheet per milestone's form (aggregated over ``union``'s subordinates) + the matrix."""
    wb = SafeWorkbook()
    milestones = list(campaign.milestones.order_by("due_date", "pk"))
    for i, milestone in enumerate(milestones, start=1):
        form = get_sheet(milestone.form)
        sheet = form.write_aggregate(
            wb, union, aggregate_rows(milestone.form, union, campaign, milestone)
        )
        title = f"{milestone.due_date:%m-%d}{form.sheet_title()}"
        sheet.ws.title = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31]
        progress(int(90 * i / max(len(milestones), 1)))
    write_matrix(wb, campaign=campaign, user=user)
    progress(100)
    return wb


def volunteers_sheet(form_id: str, *, user: Any, union: Any, campaign: Any) -> Any:
    """花名册 / 名额分配表 of one union through the volunteers app (full-ID rules, audit)."""
    from django.core.exceptions import ValidationError

    from volunteers.exports import build_sheet

    try:
        sheet, wb = build_sheet(form_id, user=user, union=union, campaign=campaign)
    except ValidationError:
        return None
    return wb.response(sheet.filename())


def relief_sheet(*, user: Any, union: Any, campaign: Any) -> Any:
    """送温暖活动统计表 of one union through the relief app (its scope rules), audited."""
    from relief.selectors import warmth_stats
    from relief.sheets import filename_of, write_warmth_stats
    from unionvol.audit import audit
    from unionvol.models import AuditAction

    stats = warmth_stats(user=user, union=union, campaign=campaign)
    wb = write_warmth_stats(stats, filler=user.get_full_name() or user.username)
    audit(
        user=user,
        action=AuditAction.EXPORT,
        target=campaign,
        rows=wb.rows_written,
        form="warmth_stats",
        union=union.pk,
    )
    return wb.response(filename_of(stats))
