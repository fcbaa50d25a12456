"""Issue 12 item 4 and the admin export of 12.6: hostile spreadsheets answered in under a second.

Each hostile file is built here, small on disk, and posted to the real roster
import view and to the admin's union-tree import. Each must come back with a clear
message naming the limit, within a second, with nothing written. The admin's
export must write a union named ``=1+2`` as text, not as a formula.
"""

from __future__ import annotations

import io
import itertools
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.utils import translation
from openpyxl import Workbook, load_workbook

from tests.factories import PASSWORD, make_id_number
from unions.admin import UnionAdmin
from unions.models import Union
from unionvol import uploads
from unionvol.admin_xlsx import SafeXLSX
from unionvol.uploads import open_xlsx, validate_xlsx
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
ROSTER_HEADER = ["序号", "姓名", "性别", "身份证号码", "工作单位"]
ADMIN_IMPORT = "/admin/unions/union/import/"
ADMIN_EXPORT = "/admin/unions/union/export/"
FAST = (
    1.0  # seconds of this process's CPU (not wall time: other work on the machine must not count)
)


def workbook_bytes(rows: list[list[Any]], *, write_only: bool = True) -> bytes:
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("花名册") if write_only else wb.active
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


PACKAGE = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" Type="http://schemas.openxmlformats'
        '.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{MAIN_NS}" xmlns:r="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships"><sheets>'
        '<sheet name="花名册" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>'
    ),
}


def xlsx_with_sheet(sheet_xml: Iterator[bytes], *, compresslevel: int = 6) -> bytes:
    """The smallest package openpyxl opens, its one sheet's XML streamed into the zip."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as dst:
        for name, text in PACKAGE.items():
            dst.writestr(name, text)
        with dst.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            for chunk in sheet_xml:
                entry.write(chunk)
    return out.getvalue()


def roster_header_xml() -> bytes:
    cells = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{label}</t></is></c>'
        for i, label in enumerate(ROSTER_HEADER)
    )
    return f'<row r="1">{cells}</row>'.encode()


def dimension_bomb() -> bytes:
    """1.5 KB: a roster header in a sheet that declares all 1,048,576 × 16,384 cells."""
    xml = (
        f'<worksheet xmlns="{MAIN_NS}"><dimension ref="A1:XFD1048576"/>'
        f"<sheetData>{roster_header_xml().decode()}</sheetData></worksheet>"
    ).encode()
    return xlsx_with_sheet(iter([xml]), compresslevel=9)


def million_rows(*, declared: bool) -> bytes:
    """About 4 MB: a roster header and 1,000,000 data rows, the sheet XML written by hand."""

    def xml() -> Iterator[bytes]:
        dimension = '<dimension ref="A1:B1000001"/>' if declared else ""
        yield f'<worksheet xmlns="{MAIN_NS}">{dimension}<sheetData>'.encode()
        yield roster_header_xml()
        step = 50_000
        for start in range(2, 1_000_002, step):
            yield b"".join(
                b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (n, n, n)
                for n in range(start, min(start + step, 1_000_002))
            )
        yield b"</sheetData></worksheet>"

    return xlsx_with_sheet(xml())


def zip_bomb() -> bytes:
    """A few hundred KB that inflate to 200 MB (a sheet of blanks)."""

    def xml() -> Iterator[bytes]:
        yield f'<worksheet xmlns="{MAIN_NS}">'.encode()
        blank = b" " * (1 << 20)
        for _ in range(200):
            yield blank
        yield b"</worksheet>"

    return xlsx_with_sheet(xml(), compresslevel=9)


@pytest.fixture(scope="module")
def hostile() -> dict[str, bytes]:
    return {
        "dimension": dimension_bomb(),
        "million_declared": million_rows(declared=True),
        "million": million_rows(declared=False),
        "zip_bomb": zip_bomb(),
    }


# What the user is told about each file: the limit is named.
EXPECTED = {
    "dimension": ["A1:XFD1048576", "一次最多导入 20000 行、256 列"],
    "million_declared": ["A1:B1000001", "一次最多导入 20000 行"],
    "million": ["工作表超过 20000 行", "一次最多导入 20000 行"],
    "zip_bomb": ["解压后过大", filesizeformat(uploads.XLSX_MAX_UNCOMPRESSED)],
}


def upload(data: bytes, name: str = "花名册.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def stored_imports() -> set[Path]:
    return set((Path(settings.MEDIA_ROOT) / "imports").glob("*"))


class TestTheFilesAreWhatTheIssueDescribes:
    def test_sizes(self, hostile: dict[str, bytes]) -> None:
        assert len(hostile["dimension"]) < 1_600
        assert len(hostile["million"]) < uploads.XLSX_MAX_BYTES
        assert len(hostile["zip_bomb"]) < 1_000_000

    def test_openpyxl_would_pad_to_the_declared_range(self, hostile: dict[str, bytes]) -> None:
        # Opening only reads the dimension; iterating would yield 1,048,576 rows of 16,384.
        wb = load_workbook(io.BytesIO(hostile["dimension"]), read_only=True)
        ws = wb.worksheets[0]
        assert (ws.max_row, ws.max_column) == (1_048_576, 16_384)
        wb.close()

    def test_the_million_rows_are_really_there(self, hostile: dict[str, bytes]) -> None:
        with zipfile.ZipFile(io.BytesIO(hostile["million"])) as archive:
            xml = archive.read("xl/worksheets/sheet1.xml")
        assert xml.count(b"<row ") == 1_000_001
        assert len(xml) < uploads.XLSX_MAX_UNCOMPRESSED  # so the size cap is not what stops it


class TestRosterImport:
    @pytest.mark.parametrize("kind", sorted(EXPECTED))
    def test_refused_in_under_a_second_and_nothing_written(
        self, kind: str, hostile: dict[str, bytes], tree: Any, clerk_a: Any, client_as: Any
    ) -> None:
        client = client_as(clerk_a)
        assert client.get("/volunteers/import/").status_code == 200  # templates loaded
        before = stored_imports()
        started = time.process_time()
        response = client.post(
            "/volunteers/import/", {"file": upload(hostile[kind]), "union": tree.grassroots_a.pk}
        )
        elapsed = time.process_time() - started
        assert response.status_code == 200
        errors = " ".join(response.context["form"].errors["file"])
        html = response.content.decode()
        for text in EXPECTED[kind]:
            assert text in errors
            assert text in html
        assert "确认导入" not in html
        assert elapsed < FAST, f"{kind}: {elapsed:.2f} s"
        assert Volunteer.objects.count() == 0
        assert stored_imports() == before

    def test_refused_before_openpyxl_opens_it(self, hostile: dict[str, bytes]) -> None:
        for kind in EXPECTED:
            with (
                mock.patch("openpyxl.load_workbook", side_effect=AssertionError("parsed!")),
                pytest.raises(ValidationError),
            ):
                open_xlsx(upload(hostile[kind]))

    def test_a_roster_at_the_limit_still_imports(
        self, tree: Any, clerk_a: Any, client_as: Any, settings: Any
    ) -> None:
        settings.IMPORT_MAX_ROWS = 3
        rows = [[n, f"志愿者{n}", "", make_id_number(n), "大连港"] for n in range(1, 4)]
        response = client_as(clerk_a).post(
            "/volunteers/import/",
            {"file": upload(workbook_bytes([ROSTER_HEADER, *rows])), "union": tree.grassroots_a.pk},
        )
        assert response.status_code == 200
        assert "确认导入" in response.content.decode()
        (
            Path(settings.MEDIA_ROOT) / "imports" / f"{clerk_a.pk}-{response.context['token']}.xlsx"
        ).unlink()


class TestRowLimitSetting:
    @pytest.mark.parametrize("write_only", [True, False], ids=["no-dimension", "dimension"])
    def test_the_limit_is_configurable_and_named(self, settings: Any, write_only: bool) -> None:
        settings.IMPORT_MAX_ROWS = 5
        data = workbook_bytes(
            [ROSTER_HEADER, *([n, "张三"] for n in range(5 + uploads.XLSX_HEADER_ROWS + 1))],
            write_only=write_only,
        )
        with pytest.raises(ValidationError) as excinfo:
            validate_xlsx(upload(data))
        assert "一次最多导入 5 行" in " ".join(excinfo.value.messages)
        with translation.override("en"):
            with pytest.raises(ValidationError) as excinfo:
                validate_xlsx(upload(data))
            assert "at most 5 rows" in " ".join(excinfo.value.messages)

    def test_rows_numbered_past_the_limit(self, settings: Any) -> None:
        # One row numbered 1,000,000: openpyxl would yield 999,999 empty rows before it.
        xml = f'<worksheet xmlns="{MAIN_NS}"><sheetData>{roster_header_xml().decode()}'
        xml += '<row r="1000000"><c r="A1000000"><v>1</v></c></row></sheetData></worksheet>'
        data = xlsx_with_sheet(iter([xml.encode()]))
        with pytest.raises(ValidationError) as excinfo:
            validate_xlsx(upload(data))
        assert excinfo.value.code == "too_many_rows"

    def test_a_row_padded_past_the_column_limit_is_cut(self) -> None:
        # Without a declared dimension a cell in column XFD pads its row to 16,384 values.
        xml = f'<worksheet xmlns="{MAIN_NS}"><sheetData>{roster_header_xml().decode()}'
        xml += '<row r="2"><c r="XFD2"><v>1</v></c></row></sheetData></worksheet>'
        wb = open_xlsx(upload(xlsx_with_sheet(iter([xml.encode()]))))
        rows = list(wb.worksheets[0].iter_rows(values_only=True))
        wb.close()
        assert rows[0] == tuple(ROSTER_HEADER)
        assert rows[1] == (None,) * uploads.XLSX_MAX_COLUMNS


class TestParseTimeLimit:
    def test_reading_stops_at_the_deadline_with_a_message(self, settings: Any) -> None:
        settings.IMPORT_MAX_SECONDS = 2
        data = workbook_bytes([ROSTER_HEADER, *([n, "张三"] for n in range(200))])
        wb = open_xlsx(upload(data))
        # From here on every look at the clock finds it a second later.
        clock = itertools.count(time.monotonic())
        with mock.patch.object(uploads.time, "monotonic", side_effect=lambda: next(clock)):
            rows = wb.worksheets[0].iter_rows(values_only=True)
            with pytest.raises(ValidationError) as excinfo:
                for _ in rows:
                    pass
        wb.close()
        assert excinfo.value.code == "timeout"
        assert "读取文件超过 2 秒" in " ".join(excinfo.value.messages)

    def test_the_validator_itself_is_bounded(self, settings: Any) -> None:
        settings.IMPORT_MAX_SECONDS = 1
        clock = iter(range(0, 10_000, 5))
        with (
            mock.patch.object(uploads.time, "monotonic", side_effect=lambda: next(clock)),
            pytest.raises(ValidationError) as excinfo,
        ):
            validate_xlsx(upload(workbook_bytes([ROSTER_HEADER])))
        assert excinfo.value.code == "timeout"


class TestHiddenSheetData:
    def test_a_dimension_anywhere_before_the_rows_end_is_checked(self) -> None:
        # openpyxl takes the first <dimension> it meets before </sheetData>, under any root.
        xml = (
            f'<x:anything xmlns:x="{MAIN_NS}"><x:sheetData>{"<!-- pad -->" * 10_000}'
            '<x:dimension ref="A1:XFD1048576"/></x:sheetData></x:anything>'
        )
        data = xlsx_with_sheet(iter([xml.encode()]))
        with pytest.raises(ValidationError) as excinfo:
            validate_xlsx(upload(data))
        assert excinfo.value.code == "dimension"

    def test_utf16_sheet_is_counted_too(self) -> None:
        xml = f'<?xml version="1.0" encoding="UTF-16"?><worksheet xmlns="{MAIN_NS}">'
        xml += '<dimension ref="A1:XFD1048576"/><sheetData/></worksheet>'
        data = xlsx_with_sheet(iter([xml.encode("utf-16")]))
        with pytest.raises(ValidationError) as excinfo:
            validate_xlsx(upload(data))
        assert excinfo.value.code == "dimension"

    @pytest.mark.parametrize(
        ("part", "xml", "code"),
        [
            (
                "xl/sharedStrings.xml",
                b"<sst>" + b"<si><t>x</t></si>" * (uploads.XLSX_MAX_STRINGS + 1) + b"</sst>",
                "too_many_strings",
            ),
            (
                "xl/styles.xml",
                b"<styleSheet><cellXfs>" + b"<xf/>" * (uploads.XLSX_MAX_STYLES + 1) + b"</cellXfs>"
                b"</styleSheet>",
                "too_many_styles",
            ),
        ],
    )
    def test_records_openpyxl_reads_on_opening_are_capped(
        self, part: str, xml: bytes, code: str
    ) -> None:
        # openpyxl reads every shared string and style before any row: no deadline applies.
        out = io.BytesIO()
        with (
            zipfile.ZipFile(io.BytesIO(workbook_bytes([["x"]]))) as src,
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
        ):
            for info in src.infolist():
                if info.filename != part:
                    dst.writestr(info.filename, src.read(info.filename))
            # Stored, not deflated, so the compression-ratio check is not what stops it.
            dst.writestr(part, xml, compress_type=zipfile.ZIP_STORED)
        started = time.process_time()
        with pytest.raises(ValidationError) as excinfo:
            validate_xlsx(upload(out.getvalue()))
        assert excinfo.value.code == code
        assert time.process_time() - started < FAST


@pytest.fixture
def staff_client(db: Any, settings: Any) -> Client:
    settings.UNIONVOL_ADMIN_OTP = False
    root = get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    client = Client()
    client.force_login(root)
    return client


class TestAdminImport:
    @pytest.mark.parametrize("kind", sorted(EXPECTED))
    def test_refused_in_under_a_second_and_nothing_written(
        self, kind: str, hostile: dict[str, bytes], tree: Any, staff_client: Client
    ) -> None:
        unions = list(Union.objects.order_by("pk").values_list("pk", "name", "path"))
        assert staff_client.get(ADMIN_IMPORT).status_code == 200  # templates loaded
        with mock.patch.object(
            UnionAdmin, "write_to_tmp_storage", side_effect=AssertionError("stored!")
        ):
            started = time.process_time()
            response = staff_client.post(
                ADMIN_IMPORT, {"import_file": upload(hostile[kind], "unions.xlsx"), "format": "0"}
            )
            elapsed = time.process_time() - started
        assert response.status_code == 200
        html = response.content.decode()
        errors = " ".join(response.context["form"].errors["import_file"])
        for text in EXPECTED[kind]:
            assert text in errors
            assert text in html
        assert not response.context.get("confirm_form")
        assert elapsed < FAST, f"{kind}: {elapsed:.2f} s"
        assert list(Union.objects.order_by("pk").values_list("pk", "name", "path")) == unions

    def test_the_format_reads_through_the_validator(self, hostile: dict[str, bytes]) -> None:
        # The confirmation step reads the stored copy again, with the same checks.
        with pytest.raises(ValidationError):
            SafeXLSX().create_dataset(hostile["dimension"])

    def test_a_good_file_still_imports_through_the_admin(
        self, tree: Any, staff_client: Client
    ) -> None:
        data = workbook_bytes(
            [
                ["code", "parent_code", "name", "kind", "is_active"],
                ["C-A-9", "C-A", "甲区新工会", "grassroots", True],
            ]
        )
        response = staff_client.post(
            ADMIN_IMPORT, {"import_file": upload(data, "unions.xlsx"), "format": "0"}
        )
        assert response.status_code == 200
        confirm = response.context["confirm_form"]
        assert confirm is not None
        assert not Union.objects.filter(code="C-A-9").exists()  # the preview writes nothing
        response = staff_client.post(
            "/admin/unions/union/process_import/",
            {
                name: confirm.initial[name]
                for name in ("import_file_name", "original_file_name", "format", "resource")
                if name in confirm.initial
            },
        )
        assert response.status_code == 302
        new = Union.objects.get(code="C-A-9")
        assert new.is_within(tree.district_a)


def admin_export(client: Client) -> bytes:
    form = client.get(ADMIN_EXPORT).context["form"]
    data = {"format": "0"}
    for name, field in form.fields.items():
        if name not in data and field.widget.input_type == "checkbox":
            data[name] = "on"  # every column
    response = client.post(ADMIN_EXPORT, data)
    assert response.status_code == 200
    return response.content


class TestAdminExport:
    def test_a_formula_is_written_as_text(self, tree: Any, staff_client: Client) -> None:
        Union.objects.filter(pk=tree.grassroots_a.pk).update(
            name="=1+2", contact_person="@SUM(A1)", contact_phone="+8613900000000"
        )
        ws = load_workbook(io.BytesIO(admin_export(staff_client))).worksheets[0]
        header = [c.value for c in ws[1]]
        row = next(r for r in ws.iter_rows(min_row=2) if r[header.index("code")].value == "C-A-1")
        name = row[header.index("name")]
        assert name.value == "=1+2"
        assert name.data_type == "s"
        for column, text in (("contact_person", "@SUM(A1)"), ("contact_phone", "+8613900000000")):
            cell = row[header.index(column)]
            assert (cell.value, cell.data_type) == (text, "s")

    def test_the_export_imports_back_unchanged(self, tree: Any, staff_client: Client) -> None:
        Union.objects.filter(pk=tree.grassroots_a.pk).update(name="=1+2")
        exported = admin_export(staff_client)
        response = staff_client.post(
            ADMIN_IMPORT, {"import_file": upload(exported, "unions.xlsx"), "format": "0"}
        )
        assert response.status_code == 200
        confirm = response.context["confirm_form"]
        assert confirm is not None
        result = response.context["result"]
        assert (result.totals["new"], result.totals["update"]) == (0, 0)
        assert result.totals["skip"] == Union.objects.count()
        # Not confirmed: remove the copy the preview step stored.
        Path(tempfile.gettempdir(), confirm.initial["import_file_name"]).unlink()

    def test_every_admin_import_and_export_uses_the_safe_format(self) -> None:
        offering = [
            model_admin
            for model_admin in admin.site._registry.values()
            if hasattr(model_admin, "get_export_formats")
            or hasattr(model_admin, "get_import_formats")
        ]
        assert offering  # the union tree at least
        for model_admin in offering:
            formats = [
                *getattr(model_admin, "get_export_formats", list)(),
                *getattr(model_admin, "get_import_formats", list)(),
            ]
            assert formats
            assert all(issubclass(f, SafeXLSX) for f in formats), model_admin
