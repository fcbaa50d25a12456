"""Every official sheet as LibreOffice prints it: per union and aggregated, on A4, never
wider than one page; each 登记表 volunteer exactly one page (a 600-character 工作简历 and
a photo included); each union of the aggregated 情况调度表 on a page of its own.

The sheets are written once (conftest) and converted in one LibreOffice run. Without
LibreOffice (``libreoffice-calc-nogui``) and poppler (``poppler-utils``) the tests are
skipped with the reason — except under CI=true, where that is a failure.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from reports.printing import (
    Page,
    missing_tools,
    overlaps,
    page_texts,
    pages_across,
    pdf_pages,
    to_pdf,
)
from tests.printed.conftest import PROGRESS, RESUME, VARIANTS, Built
from unionvol.sheets import SHEETS

# ``django_db`` makes pytest-django create the test database the session fixture writes to.
pytestmark = [pytest.mark.printed, pytest.mark.django_db]

ALL = [(form, variant) for form in SHEETS for variant in VARIANTS]
# Sheets whose data here is a few rows: all of it on one page.
ONE_PAGE = [
    ("roster", "union"),
    ("roster", "aggregate"),
    ("quota", "union"),
    ("quota", "aggregate"),
    ("dispatch", "union"),
    ("plan", "union"),
    ("plan", "aggregate"),
    ("summary", "union"),
    ("summary", "aggregate"),
    ("warmth_stats", "union"),
    ("warmth_stats", "aggregate"),
]


@dataclass
class Printed:
    xlsx: Path
    pdf: Path
    pages: list[Page]
    texts: list[str]  # per page, whitespace removed


@pytest.fixture(scope="module")
def printed(request: pytest.FixtureRequest) -> dict[tuple[str, str], Printed]:
    missing = missing_tools()
    if missing:
        reason = (
            f"{', '.join(missing)} not found: apt-get install libreoffice-calc-nogui poppler-utils"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} — the printed sheets are checked under CI=true.", pytrace=False)
        pytest.skip(reason)
    built: Built = request.getfixturevalue("built_sheets")
    tmp = request.getfixturevalue("tmp_path_factory").mktemp("pdf")
    pdfs = to_pdf(list(built.files.values()), tmp)
    out = {}
    for key, xlsx in built.files.items():
        pages = pdf_pages(pdfs[xlsx])
        out[key] = Printed(xlsx, pdfs[xlsx], pages, page_texts(pdfs[xlsx], len(pages)))
    return out


def one(printed: dict[tuple[str, str], Printed], built: Built, form: str, variant: str) -> Printed:
    built.path(form, variant)  # fails with the reason when the sheet could not be written
    return printed[form, variant]


@pytest.mark.parametrize(("form", "variant"), ALL)
def test_every_page_is_a4(
    printed: dict[tuple[str, str], Printed], built_sheets: Built, form: str, variant: str
) -> None:
    sheet = one(printed, built_sheets, form, variant)
    assert sheet.pages
    for page in sheet.pages:
        assert page.is_a4, (page.number, page.width, page.height)


@pytest.mark.parametrize(("form", "variant"), ALL)
def test_no_sheet_is_wider_than_one_page(
    printed: dict[tuple[str, str], Printed], built_sheets: Built, form: str, variant: str
) -> None:
    sheet = one(printed, built_sheets, form, variant)
    assert pages_across(sheet.xlsx, sheet.texts) == 1


@pytest.mark.parametrize(("form", "variant"), ALL)
def test_no_text_prints_over_other_text(
    printed: dict[tuple[str, str], Printed], built_sheets: Built, form: str, variant: str
) -> None:
    """A row too short for its text lets the text run over the rows around it (the title,
    the 填表日期 line, the next box): every row must hold what it says."""
    sheet = one(printed, built_sheets, form, variant)
    assert [str(o) for o in overlaps(sheet.pdf)] == []


@pytest.mark.parametrize(("form", "variant"), ONE_PAGE)
def test_a_sheet_of_a_few_rows_is_one_page(
    printed: dict[tuple[str, str], Printed], built_sheets: Built, form: str, variant: str
) -> None:
    """Fitted to the width, a short sheet is one page: had its columns run over the page's
    width, LibreOffice would print the rest on a second one."""
    sheet = one(printed, built_sheets, form, variant)
    assert len(sheet.pages) == 1


@pytest.mark.parametrize("variant", VARIANTS)
def test_each_registration_volunteer_is_exactly_one_page(
    printed: dict[tuple[str, str], Printed], built_sheets: Built, variant: str
) -> None:
    sheet = one(printed, built_sheets, "registration", variant)
    expected = (
        built_sheets.approved_total
        if variant == "aggregate"
        else built_sheets.approved[built_sheets.union]
    )
    assert len(sheet.pages) == expected
    for number, text in enumerate(sheet.texts, start=1):
        # The whole form on every page: title, the first box and the last.
        assert text.count("工会服务帮扶志愿者登记表") == 1, number
        assert "姓名" in text, number
        assert "市总工会意见" in text, number
        assert "签字" in text, number
    (long_page,) = [n for n, t in enumerate(sheet.texts, start=1) if "欧阳明远" in t]
    text = sheet.texts[long_page - 1]
    # The 600-character 工作简历 prints to its last words, on the volunteer's page.
    assert RESUME[:12] in text
    assert RESUME[-8:] in text
    assert images_on(sheet.pdf, long_page) >= 1  # the photo in its box


def images(pdf: Path) -> list[tuple[int, int]]:
    """(page, object id) of every picture drawn (``pdfimages -list``): a picture cut by a
    page break is drawn on both pages."""
    out = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    )
    rows = [line.split() for line in out.stdout.strip().splitlines()[2:]]  # two header lines
    return [(int(row[0]), int(row[10])) for row in rows if row]


def images_on(pdf: Path, page: int) -> int:
    return sum(1 for p, _obj in images(pdf) if p == page)


def test_the_aggregated_dispatch_starts_each_union_on_a_new_page(
    printed: dict[tuple[str, str], Printed], built_sheets: Built
) -> None:
    sheet = one(printed, built_sheets, "dispatch", "aggregate")
    unions = built_sheets.addressed
    assert len(sheet.pages) == len(unions) + 1  # then 合计 on a page of its own
    for number, union in enumerate(unions, start=1):
        text = sheet.texts[number - 1]
        assert f"填报单位：{union}" in text, number
        others = [u for u in unions if u != union]
        assert not any(f"填报单位：{u}" in text for u in others), number
    assert "填报单位数" in sheet.texts[-1]
    # 甲区总工会's 448-character 进展情况 prints to its last words.
    assert PROGRESS[-8:] in sheet.texts[0]


def test_the_typical_material_prints_every_word_and_photo(
    printed: dict[tuple[str, str], Printed], built_sheets: Built
) -> None:
    sheet = one(printed, built_sheets, "typical", "union")
    text = "".join(sheet.texts)
    assert "正文到此结束。" in text
    drawn = images(sheet.pdf)
    assert len({obj for _page, obj in drawn}) == 3
    assert len(drawn) == 3, f"a photo is cut by a page break: {drawn}"
