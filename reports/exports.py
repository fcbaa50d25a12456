"""Building workbooks: one union's form, the aggregated form, the whole campaign."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.figures import figures_for
from reports.models import SubmissionPhoto, SubmissionStatus
from reports.selectors import (
    STANDING,
    STATE_LABELS,
    completeness_matrix,
    filled,
    latest_reports,
    person_name,
)
from unions.models import Union
from unionvol.sheets import AggregateEntry, Period, get_sheet
from unionvol.xlsx import Column, SafeWorkbook

Progress = Callable[[int], None]

# Above this many addressed unions a whole-campaign workbook is built in the background.
INLINE_LIMIT = 40


def _noop(_p: int) -> None:
    return None


def milestone_for(campaign: Any, form_id: str) -> Any:
    return campaign.milestones.filter(form=form_id).order_by("-due_date").first()


def period_of(campaign: Any, milestone: Any | None) -> Period:
    return Period.of_milestone(milestone) if milestone is not None else Period.of_campaign(campaign)


def prefill(form_id: str, union: Any, period: Period) -> dict[str, Any]:
    """A sheet's data from the records, with the figures panel of every report."""
    data = get_sheet(form_id).prefill(union, period)
    figures = figures_for(union, campaign=period.campaign, until=period.until)
    return data | {"figures": figures.as_json()}


def _with_photos(data: dict[str, Any], submission_ids: list[int]) -> dict[str, Any]:
    """The submission's photos, for the sheets that embed them (never stored in data)."""
    if not submission_ids:
        return data
    photos = [p.image for p in SubmissionPhoto.objects.filter(submission_id__in=submission_ids)]
    return data | {"photo_files": photos} if photos else data


# After a union's name in an aggregated sheet, when live records stand in for its report.
NOT_REPORTED = gettext_lazy("（未报送，按系统记录）")
RETURNED = gettext_lazy("（已退回，按系统记录）")


def data_for(form_id: str, union: Any, campaign: Any, milestone: Any | None) -> dict[str, Any]:
    """What the union reported for the milestone while the report stands, else the live
    records (:func:`entries_for`)."""
    return entries_for(form_id, [union], campaign, milestone)[0].data


def working_copy(submission: Any) -> dict[str, Any]:
    """A union's own sheet as its submission page shows it: the standing report, else the
    draft being written (for the union to print and check before it submits)."""
    version = (
        submission.versions.select_related("submitted_by").order_by("-number").first()
        if submission.status in STANDING
        else None
    )
    if version is not None:
        by = version.submitted_by
        name = person_name(by.first_name, by.last_name, by.username) if by else ""
        data = filled(version.snapshot, version.submitted_at, name)
    else:
        data = submission.data | {"narrative": submission.narrative}
    if get_sheet(submission.milestone.form).max_photos:
        data = _with_photos(data, [submission.pk])
    return data


def entries_for(
    form_id: str, unions: list[Any], campaign: Any, milestone: Any | None
) -> list[AggregateEntry]:
    """Per union, what its sheet prints: its last submitted version while the report
    stands (submitted or accepted); else the live records, marked after the union's name
    — a draft never sent, or a report returned for correction, is not the union's word."""
    period = period_of(campaign, milestone)
    reports = latest_reports(milestone, [u.pk for u in unions]) if milestone else {}
    sheet = get_sheet(form_id)
    subs: dict[int, int] = {}
    if sheet.max_photos and milestone is not None:
        from reports.models import Submission

        subs = dict(
            Submission.objects.filter(
                milestone=milestone, union__in=unions, status__in=STANDING
            ).values_list("union_id", "pk")
        )
    unreported = [u for u in unions if (r := reports.get(u.pk)) is None or r.data is None]
    live = sheet.prefill_many(unreported, period) if unreported else {}
    entries = []
    for union in unions:
        found = reports.get(union.pk)
        if found is not None and found.data is not None:
            entry = AggregateEntry(union, found.data, submitted=True)
        else:
            returned = found is not None and found.status == SubmissionStatus.RETURNED
            mark = str(RETURNED if returned else NOT_REPORTED) if milestone is not None else ""
            # The sheet's own prefill, for all such unions at once: the figures panel of
            # the submission page is not printed.
            entry = AggregateEntry(union, live[union.pk], mark=mark)
        if union.pk in subs:
            entry.data = _with_photos(entry.data, [subs[union.pk]])
        entries.append(entry)
    return entries


def aggregate_rows(
    form_id: str, parent: Any, campaign: Any, milestone: Any | None
) -> list[AggregateEntry]:
    """One entry per subordinate union: the addressed unions below ``parent`` (or its
    children), in the tree's order."""
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
    entries = entries_for(form_id, unions, campaign, milestone)
    sheet = get_sheet(form_id)
    if sheet.has_own_records:
        # The upper union's own records (本级: its own teams, projects, volunteers) first.
        own = sheet.prefill(parent, period_of(campaign, milestone), own=True)
        if not sheet.is_empty(own):
            label = SimpleNamespace(
                pk=parent.pk, name=_("%(name)s（本级）") % {"name": parent.name}
            )
            entries.insert(0, AggregateEntry(label, own, submitted=False))
    return entries


def form_workbook(
    form_id: str,
    *,
    union: Any,
    campaign: Any,
    aggregate: bool = False,
    milestone: Any = None,
    full_ids: bool = False,
) -> SafeWorkbook:
    """One sheet, the union's or (``aggregate``) its subordinates', through its class."""
    sheet = get_sheet(form_id)
    milestone = milestone or milestone_for(campaign, form_id)
    wb = SafeWorkbook()
    if aggregate:
        rows = aggregate_rows(form_id, union, campaign, milestone)
        sheet.write_aggregate(wb, union, rows, full_ids=full_ids)
    else:
        sheet.write(wb, union, data_for(form_id, union, campaign, milestone), full_ids=full_ids)
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
    *, campaign: Any, union: Any, user: Any, progress: Progress = _noop, full_ids: bool = False
) -> SafeWorkbook:
    """One sheet per milestone's form (aggregated over ``union``'s subordinates) + the matrix."""
    wb = SafeWorkbook()
    milestones = list(campaign.milestones.order_by("due_date", "pk"))
    for i, milestone in enumerate(milestones, start=1):
        form = get_sheet(milestone.form)
        sheet = form.write_aggregate(
            wb, union, aggregate_rows(milestone.form, union, campaign, milestone), full_ids=full_ids
        )
        title = f"{milestone.due_date:%m-%d}{form.sheet_title()}"
        sheet.ws.title = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31]
        progress(int(90 * i / max(len(milestones), 1)))
    write_matrix(wb, campaign=campaign, user=user)
    progress(100)
    return wb
