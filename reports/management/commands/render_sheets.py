"""Render every official sheet as printed: ``make sheets``.

For every registered sheet (``unionvol.sheets``) and every campaign whose milestones use
it (the 名额分配表: every campaign with quotas), the sheet of one addressed union (the one
with the most to show) and the issuer's aggregated sheet are written to xlsx, converted
to PDF by LibreOffice headless (one run, a profile of its own) and the first pages to PNG
(``pdftoppm``) under ``--out`` (``docs/sheets``)::

    dispatch-sd2019-union.png            one page
    registration-dl2012-union-1.png      page 1 of several (the first ``--pages`` kept)
    dispatch-sd2019-aggregate-1.png

so a reviewer can hold each beside its notice's attachment. An ``index.md`` lists them,
and a table is printed: sheet, campaign, variant, union, pages, the page breaks asked for,
paper, pages across and the places where text prints over other text.
The xlsx and PDF files stay in a temporary directory (``--keep DIR`` keeps them).

Full ID numbers, as every operator's command (audited).
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from reports import exports
from reports.printing import (
    manual_breaks,
    missing_tools,
    overlaps,
    page_texts,
    pages_across,
    pdf_pages,
    to_pdf,
    to_png,
)
from unionvol.audit import audit
from unionvol.commands import SystemCommand
from unionvol.models import AuditAction
from unionvol.sheets import SHEETS

# The notice's attachment each sheet answers (seed, attachment).
ATTACHMENTS = {
    "dispatch": "000 鲁教工〔2019〕13号 附件 情况调度表",
    "quota": "001 大工办发[2012]18号 附件1 名额分配表",
    "registration": "001 大工办发[2012]18号 附件2 登记表",
    "roster": "001 大工办发[2012]18号 附件3 花名册",
    "plan": "002 连工发〔2019〕39号 分队组建、全年活动计划安排（正文，无附件表）",
    "typical": "003 焦工文〔2020〕11号 典型材料（正文：2000字以内，2—3张图片）",
    "summary": "000 / 003 活动总结（正文，无附件表）",
    "warmth_stats": "004 沪教工〔2019〕1号 附件 送温暖活动统计表",
}


@dataclass
class Rendered:
    sheet: str
    campaign: Any
    variant: str  # "union" | "aggregate"
    union: Any
    stem: str
    xlsx: Path
    pages: int = 0
    paper: str = ""
    across: int = 0
    breaks: int = 0
    overlaps: list[str] = field(default_factory=list)
    pngs: list[Path] = field(default_factory=list)


def campaign_tag(campaign: Any) -> str:
    """A short ASCII name of a campaign: the issuer's code and the notice's year."""
    year = re.search(r"(\d{4})", campaign.doc_number or "")
    code = re.sub(r"[^a-z0-9]", "", (campaign.issuer.code or "").lower()) or f"c{campaign.pk}"
    return f"{code}{year[1] if year else campaign.pk}"


def campaigns_using(identifier: str) -> list[Any]:
    from campaigns.models import Campaign

    campaigns = Campaign.objects.select_related("issuer").order_by("issue_date", "pk")
    if identifier == "quota":  # no milestone asks for it: the notice allocates it
        from volunteers.models import QuotaAllocation

        with_quota = QuotaAllocation.objects.values("campaign")
        return list(campaigns.filter(pk__in=with_quota))
    return list(campaigns.filter(milestones__form=identifier).distinct())


def _filled(value: Any) -> int:
    """How many leaves of the data say something (not empty, not zero)."""
    if isinstance(value, dict):
        return sum(_filled(v) for v in value.values())
    if isinstance(value, list | tuple):
        return sum(_filled(v) for v in value)
    return 0 if value in (None, "", 0, 0.0, False) else 1


def richest_union(identifier: str, campaign: Any) -> Any:
    """The addressed union whose sheet has the most to show: the most filled-in values
    (its figures counted), then the longest data."""
    from campaigns.models import CampaignAddressee

    milestone = exports.milestone_for(campaign, identifier)
    best, score = None, (-1, -1)
    for row in (
        CampaignAddressee.objects.filter(campaign=campaign)
        .exclude(union=campaign.issuer)
        .select_related("union")
        .order_by("union__path")
    ):
        data = exports.data_for(identifier, row.union, campaign, milestone)
        mine = (_filled(data), len(json.dumps(data, ensure_ascii=False, default=str)))
        if mine > score:
            best, score = row.union, mine
    return best


class Command(SystemCommand):
    help = (
        "把每张报表（单位表与汇总表）按打印效果导出为 PNG（LibreOffice + pdftoppm）：make sheets。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--out", default="docs/sheets", help="PNG 输出目录")
        parser.add_argument("--pages", type=int, default=2, help="每张表保留的前几页 PNG")
        parser.add_argument("--dpi", type=int, default=60, help="PNG 分辨率")
        parser.add_argument("--only", nargs="*", default=None, help="只导出这些报表标识")
        parser.add_argument("--keep", help="把 xlsx 与 PDF 留在这个目录")

    def handle(self, *args: Any, **options: Any) -> str:
        missing = missing_tools()
        if missing:
            raise CommandError(
                "缺少打印工具：" + "、".join(missing) + "（apt-get install libreoffice-calc-nogui "
                "poppler-utils）"
            )
        only = options["only"]
        unknown = [key for key in only or () if key not in SHEETS]
        if unknown:
            raise CommandError(f"未知的报表：{'、'.join(unknown)}，可选：{', '.join(SHEETS)}")
        out = Path(options["out"])
        work = Path(options["keep"] or tempfile.mkdtemp(prefix="render-sheets-"))
        work.mkdir(parents=True, exist_ok=True)
        self.failed: list[str] = []
        try:
            rendered = self._write_all(work, only)
            if not rendered:
                raise CommandError("没有可导出的报表（数据库里没有用到报表的通知）。")
            pdfs = to_pdf([r.xlsx for r in rendered], work / "pdf")
            out.mkdir(parents=True, exist_ok=True)
            if not only:
                for old in out.glob("*.png"):
                    old.unlink()
            for r in rendered:
                pdf = pdfs[r.xlsx]
                pages = pdf_pages(pdf)
                r.pages = len(pages)
                widest = max(pages, key=lambda p: p.width)
                papers = sorted({p.paper for p in pages})
                r.paper = " / ".join(papers) if len(papers) > 1 else widest.paper
                r.across = pages_across(r.xlsx, page_texts(pdf, len(pages)))
                r.breaks = manual_breaks(r.xlsx)
                r.overlaps = [str(o) for o in overlaps(pdf)]
                for old in out.glob(f"{r.stem}*.png"):
                    old.unlink()
                r.pngs = to_png(pdf, out / r.stem, pages=options["pages"], dpi=options["dpi"])
            if not only:  # the index lists every sheet: a partial run leaves it be
                self._index(out, rendered)
            self._table(rendered)
        finally:
            if not options["keep"]:
                shutil.rmtree(work, ignore_errors=True)
        if self.failed:
            raise CommandError("这些报表没有写成：\n" + "\n".join(self.failed))
        return ""

    def _write_all(self, work: Path, only: list[str] | None) -> list[Rendered]:
        rendered: list[Rendered] = []
        for identifier in SHEETS:
            if only and identifier not in only:
                continue
            for campaign in campaigns_using(identifier):
                tag = campaign_tag(campaign)
                variants = [("union", richest_union(identifier, campaign), False)]
                variants.append(("aggregate", campaign.issuer, True))
                for variant, union, aggregate in variants:
                    if union is None:
                        continue
                    stem = f"{identifier}-{tag}-{variant}"
                    try:
                        wb = exports.form_workbook(
                            identifier,
                            union=union,
                            campaign=campaign,
                            aggregate=aggregate,
                            full_ids=True,
                        )
                    except Exception as exc:  # one broken sheet must not hide the others
                        self.failed.append(f"{stem}: {type(exc).__name__}: {exc}")
                        continue
                    xlsx = work / f"{stem}.xlsx"
                    wb.save(str(xlsx))
                    audit(
                        user=None,
                        action=AuditAction.EXPORT,
                        target=campaign,
                        rows=wb.rows_written,
                        form=identifier,
                        union=union.pk,
                        aggregate=aggregate,
                        full_ids=True,
                        via="render_sheets",
                    )
                    rendered.append(Rendered(identifier, campaign, variant, union, stem, xlsx))
        return rendered

    def _table(self, rendered: list[Rendered]) -> None:
        head = (
            "sheet",
            "campaign",
            "variant",
            "union",
            "pages",
            "breaks",
            "paper",
            "across",
            "overprint",
        )
        rows = [
            (
                r.sheet,
                r.campaign.doc_number,
                r.variant,
                r.union.name,
                str(r.pages),
                str(r.breaks),
                r.paper,
                str(r.across),
                str(len(r.overlaps)),
            )
            for r in rendered
        ]
        widths = [max(_width(x) for x in col) for col in zip(head, *rows, strict=True)]
        for row in (head, *rows):
            self.stdout.write(
                "  ".join(_pad(value, width) for value, width in zip(row, widths, strict=True))
            )
        wide = [r for r in rendered if r.across > 1]
        if wide:
            self.stderr.write(
                "wider than one page: " + ", ".join(f"{r.stem} ({r.across})" for r in wide)
            )
        for r in rendered:
            if r.pages < r.breaks + 1:
                self.stderr.write(
                    f"page breaks ignored in {r.stem}: {r.breaks} breaks, {r.pages} pages"
                )
            if r.overlaps:
                shown = "; ".join(r.overlaps[:3])
                self.stderr.write(f"text printed over text in {r.stem}: {shown}")

    def _index(self, out: Path, rendered: list[Rendered]) -> None:
        lines = [
            "# The official sheets as printed",
            "",
            "Written by `make sheets` (`manage.py render_sheets` on the demo data): each sheet",
            "of each campaign that asks for it, for one addressed union and aggregated for the",
            "issuer, converted to PDF by LibreOffice and to PNG (the first pages). Do not edit:",
            "run `make sheets` again.",
            "",
            "`breaks` counts the page breaks the sheet asks for (it needs at least one page more);",
            "`across` is how many pages the sheet's width takes (1: fitted to the page width);",
            "`overprint` counts places where text prints over other text (a row too short).",
            "",
            "| sheet | attachment | campaign | variant | union | pages | breaks | paper | across "
            "| overprint | PNG |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for r in rendered:
            pngs = " ".join(f"[{p.name}]({p.name})" for p in r.pngs)
            lines.append(
                f"| {r.sheet} | {ATTACHMENTS.get(r.sheet, '')} | {r.campaign.doc_number} | "
                f"{r.variant} | {r.union.name} | {r.pages} | {r.breaks} | {r.paper} | {r.across} | "
                f"{len(r.overlaps)} | {pngs} |"
            )
        (out / "index.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _width(text: str) -> int:
    from unionvol.xlsx import text_width

    return text_width(text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
