"""志愿服务记录证明 as PDF (reportlab, built-in CID font STSong-Light: no font files)."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

_BODY = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=17)
_CELL = ParagraphStyle("cell", fontName=FONT, fontSize=9.5, leading=13)
_TITLE = ParagraphStyle("title", fontName=FONT, fontSize=20, leading=28, alignment=TA_CENTER)
_RIGHT = ParagraphStyle("right", parent=_BODY, alignment=TA_RIGHT)


def _p(text: Any, style: ParagraphStyle = _BODY) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def certificate_pdf(cert: Any) -> bytes:
    """The certificate on A4: holder, records of the period, total, number, seal space."""
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=_("志愿服务记录证明"),
        author=cert.union.name,
    )
    story: list[Any] = [
        _p(_("志愿服务记录证明"), _TITLE),
        _p(_("编号：%(n)s") % {"n": cert.number}, _RIGHT),
        Spacer(1, 6 * mm),
        _p(
            _(
                "兹证明 %(name)s（身份证号码：%(id)s，登记工会：%(union)s）于 %(start)s 至 %(end)s "
                "期间参加志愿服务，累计服务时长 %(hours)s 小时。服务记录如下："
            )
            % {
                "name": cert.volunteer_name,
                "id": cert.volunteer_id_masked,
                "union": cert.volunteer_union_name,
                "start": cert.period_start.isoformat(),
                "end": cert.period_end.isoformat(),
                "hours": cert.total_hours,
            }
        ),
        Spacer(1, 4 * mm),
    ]
    rows = [
        [
            _p(h, _CELL)
            for h in (_("序号"), _("服务日期"), _("服务项目"), _("服务内容"), _("时长（小时）"))
        ]
    ]
    for i, e in enumerate(cert.entries, 1):
        rows.append(
            [
                _p(i, _CELL),
                _p(e["date"], _CELL),
                _p(e["project"], _CELL),
                _p(e["content"], _CELL),
                _p(e["hours"], _CELL),
            ]
        )
    rows.append([_p("", _CELL), _p(_("合计"), _CELL), "", "", _p(cert.total_hours, _CELL)])
    table = Table(rows, colWidths=[12 * mm, 24 * mm, 40 * mm, 64 * mm, 30 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.93, 0.93, 0.93)),
                ("SPAN", (1, -1), (3, -1)),
            ]
        )
    )
    story += [
        table,
        Spacer(1, 12 * mm),
        _p(_("出具单位（盖章）：%(u)s") % {"u": cert.union.name}, _RIGHT),
        Spacer(1, 30 * mm),  # room for the seal
        _p(_("出具日期：%(d)s") % {"d": cert.issued_on.isoformat()}, _RIGHT),
    ]
    doc.build(story)
    return buf.getvalue()
