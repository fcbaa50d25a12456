"""Sheets as printed: xlsx → PDF with LibreOffice headless, PDF → PNG with poppler, and
what the PDF says about the printed layout (pages, paper, pages across).

Used by ``manage.py render_sheets`` (``make sheets``) and by the printed-sheet tests.
Nothing here is needed to serve the site: LibreOffice (``libreoffice-calc-nogui``) and
poppler (``poppler-utils``) are tools of the developer and of CI.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

TOOLS = ("soffice", "pdfinfo", "pdftotext", "pdftoppm", "pdfimages")
A4_PT = (595.3, 841.9)  # width, height of A4 portrait in points
CONVERT_TIMEOUT = 600


def missing_tools() -> list[str]:
    """The printing tools not on PATH."""
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def to_pdf(files: Sequence[Path], outdir: Path) -> dict[Path, Path]:
    """Convert xlsx ``files`` to PDF in one LibreOffice run, with a profile of its own
    (other LibreOffice runs may be going on). Returns {xlsx: pdf}."""
    outdir.mkdir(parents=True, exist_ok=True)
    if not files:
        return {}
    with tempfile.TemporaryDirectory(prefix="lo-") as profile:
        result = subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                *(str(f) for f in files),
            ],
            capture_output=True,
            text=True,
            timeout=CONVERT_TIMEOUT,
            check=False,
        )
    pdfs = {f: outdir / (f.stem + ".pdf") for f in files}
    missing = [str(f) for f, pdf in pdfs.items() if not pdf.exists()]
    if result.returncode != 0 or missing:
        raise RuntimeError(
            f"LibreOffice did not convert {missing or 'the files'}: "
            f"{result.returncode} {result.stderr.strip()[-2000:]}"
        )
    return pdfs


@dataclass(frozen=True)
class Page:
    number: int
    width: float  # points
    height: float

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def is_a4(self) -> bool:
        short, long = sorted((self.width, self.height))
        return abs(short - A4_PT[0]) < 2 and abs(long - A4_PT[1]) < 2

    @property
    def paper(self) -> str:
        name = "A4" if self.is_a4 else f"{self.width:.0f}×{self.height:.0f}pt"
        return f"{name} {'横' if self.landscape else '竖'}"


_SIZE = re.compile(r"^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts")


def pdf_pages(pdf: Path) -> list[Page]:
    """Every page of ``pdf`` with its size (``pdfinfo -f 1 -l N``)."""
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "100000", str(pdf)],
        capture_output=True,
        text=True,
        check=True,
    )
    pages = []
    for line in info.stdout.splitlines():
        match = _SIZE.match(line)
        if match:
            pages.append(Page(int(match[1]), float(match[2]), float(match[3])))
    return pages


def pdf_text(pdf: Path, page: int | None = None) -> str:
    """The text of one page (or all), whitespace removed: CJK text has no spaces and a
    wrapped cell is cut into lines anywhere."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(
        ["pdftotext", *pages, str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return "".join(out.stdout.split())


def page_texts(pdf: Path, count: int) -> list[str]:
    """The text of each page, whitespace removed (one pdftotext run, pages split at \\f)."""
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    texts = ["".join(part.split()) for part in out.stdout.split("\f")]
    return (texts + [""] * count)[:count]


_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)
_PAGE = re.compile(r"<page ")


@dataclass(frozen=True)
class Overlap:
    page: int
    first: str
    second: str

    def __str__(self) -> str:
        return f"p{self.page}: «{self.first[:16]}» × «{self.second[:16]}»"


def overlaps(pdf: Path, share: float = 0.3) -> list[Overlap]:
    """Text printed over other text: pairs of words (``pdftotext -bbox``) on one page whose
    boxes share more than ``share`` of the smaller one — a cell's text running out of a
    row too short for it over the rows around, a label over its neighbour. Consecutive
    lines of one cell touch by a tenth of their height at most."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    found: list[Overlap] = []
    for number, chunk in enumerate(_PAGE.split(out.stdout)[1:], start=1):
        words = [
            (float(a), float(b), float(c), float(d), text)
            for a, b, c, d, text in _WORD.findall(chunk)
        ]
        words.sort(key=lambda w: w[1])
        for i, (x1, y1, x2, y2, text) in enumerate(words):
            for u1, v1, u2, v2, other in words[i + 1 :]:
                if v1 >= y2:
                    break  # sorted by top: nothing further down reaches this word
                w = min(x2, u2) - max(x1, u1)
                h = min(y2, v2) - max(y1, v1)
                if w <= 0 or h <= 0:
                    continue
                smaller = min((x2 - x1) * (y2 - y1), (u2 - u1) * (v2 - v1))
                if smaller > 0 and w * h > share * smaller:
                    found.append(Overlap(number, text, other))
    return found


def to_png(pdf: Path, target: Path, *, pages: int = 2, dpi: int = 60) -> list[Path]:
    """The first ``pages`` pages of ``pdf`` as PNG: ``target.png`` for a one-page sheet,
    ``target-1.png``, ``target-2.png``… otherwise."""
    total = len(pdf_pages(pdf))
    last = min(total, pages)
    with tempfile.TemporaryDirectory(prefix="png-") as tmp:
        prefix = Path(tmp) / "p"
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", str(last), str(pdf), str(prefix)],
            capture_output=True,
            check=True,
        )
        made = sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        out = []
        for index, png in enumerate(made, start=1):
            name = f"{target.name}.png" if total == 1 else f"{target.name}-{index}.png"
            dest = target.with_name(name)
            shutil.move(str(png), dest)
            out.append(dest)
    return out


def _token(value: Any) -> str:
    text = "".join(str(value).split())
    return text[:8]


def probe_row(xlsx: Path, sheet: int = 0) -> list[str]:
    """Texts of the sheet's widest labelled row — the first row with text in its first
    column whose last text cell lies furthest right (a table's header, a form's widest
    line): where the sheet's width shows in print."""
    wb = load_workbook(xlsx, read_only=True)
    try:
        best: list[Any] = []
        reach = 0
        for row in wb.worksheets[sheet].iter_rows(values_only=True):
            if not row or not isinstance(row[0], str) or not row[0].strip():
                continue
            texts = [i for i, v in enumerate(row) if isinstance(v, str) and v.strip()]
            if texts[-1] + 1 > reach:
                reach, best = texts[-1] + 1, list(row)
        return [_token(v) for v in best if isinstance(v, str) and len(_token(v)) >= 2]
    finally:
        wb.close()


def manual_breaks(xlsx: Path, sheet: int = 0) -> int:
    """The page breaks the sheet asks for: it prints on at least one page more."""
    wb = load_workbook(xlsx)
    try:
        return len(wb.worksheets[sheet].row_breaks.brk)
    finally:
        wb.close()


def pages_across(xlsx: Path, texts: list[str], sheet: int = 0) -> int:
    """How many printed pages the sheet's width takes: 1 when one page holds every cell
    of its widest labelled row, else the pages on which those cells first appear."""
    tokens = probe_row(xlsx, sheet)
    if not tokens or any(all(t in text for t in tokens) for text in texts):
        return 1
    found = set()
    for token in tokens:
        for number, text in enumerate(texts, start=1):
            if token in text:
                found.add(number)
                break
    return max(len(found), 1)
