"""Issue 7 item 3: hostile files are refused by the one upload validator."""

from __future__ import annotations

import io
import random
import time
import zipfile
from pathlib import Path
from typing import Any
from unittest import mock

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from PIL import ExifTags, Image

from unionvol import uploads
from unionvol.uploads import clean_image, limit_text, open_xlsx, validate_xlsx
from unionvol.xlsx import Column, SafeWorkbook


def xlsx_bytes(rows: list[list[Any]] | None = None) -> bytes:
    wb = SafeWorkbook()
    sheet = wb.add_sheet("名册", [Column("姓名"), Column("电话", text=True)])
    sheet.header()
    for row in rows or [["张三", "13900000000"]]:
        sheet.row(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(data: bytes, name: str = "名册.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def png_bytes(size: tuple[int, int] = (40, 30), mode: str = "RGB") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size).save(buf, "PNG")
    return buf.getvalue()


def code_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> str:
    return excinfo.value.code or ""


def message_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(excinfo.value.messages)


def rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    """``data`` (an xlsx) with some entries replaced."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        assert set(replace) <= set(src.namelist())
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
    return out.getvalue()


class TestSpreadsheets:
    def test_a_real_xlsx_opens(self) -> None:
        wb = open_xlsx(upload(xlsx_bytes([["李四", "13911112222"]])))
        rows = list(wb.worksheets[0].iter_rows(values_only=True))
        wb.close()
        assert rows == [("姓名", "电话"), ("李四", "13911112222")]

    def test_defusedxml_is_active(self) -> None:
        assert openpyxl.DEFUSEDXML is True

    @pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml"])
    def test_entity_expansion_is_refused_before_parsing(self, part: str) -> None:
        laughs = (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
            b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b"<sheets><sheet name='&lol3;' sheetId='1'/></sheets></workbook>"
        )
        hostile = rezip(xlsx_bytes(), {part: laughs})
        with (
            mock.patch("openpyxl.load_workbook", side_effect=AssertionError("parsed!")),
            pytest.raises(ValidationError) as excinfo,
        ):
            open_xlsx(upload(hostile))
        assert code_of(excinfo) == "not_xlsx"

    def test_external_entity_in_utf16_is_refused(self) -> None:
        xxe = (
            '<?xml version="1.0" encoding="UTF-16"?>'
            '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><x>&xxe;</x>'
        ).encode("utf-16")
        with pytest.raises(ValidationError):
            validate_xlsx(upload(rezip(xlsx_bytes(), {"xl/styles.xml": xxe})))

    def test_png_renamed_to_xlsx(self) -> None:
        with pytest.raises(ValidationError) as excinfo:
            validate_xlsx(upload(png_bytes(), "名册.xlsx"))
        assert code_of(excinfo) == "magic"
        assert "文件扩展名与文件内容不符" in message_of(excinfo)

    def test_text_named_xlsx(self) -> None:
        with pytest.raises(ValidationError) as excinfo:
            validate_xlsx(upload("姓名,电话\n张三,139".encode(), "名册.xlsx"))
        assert code_of(excinfo) == "magic"

    def test_zip_magic_with_a_non_zip_body(self) -> None:
        with pytest.raises(ValidationError) as excinfo:
            open_xlsx(upload(b"PK\x03\x04" + b"\x00garbage" * 200))
        assert code_of(excinfo) == "not_xlsx"
        assert ".xlsx" in message_of(excinfo)

    def test_a_zip_that_is_not_a_workbook(self) -> None:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as archive:
            archive.writestr("readme.txt", "hello")
        with pytest.raises(ValidationError) as excinfo:
            validate_xlsx(upload(buf.getvalue()))
        assert code_of(excinfo) == "not_xlsx"

    def test_wrong_extension(self) -> None:
        with pytest.raises(ValidationError) as excinfo:
            validate_xlsx(upload(xlsx_bytes(), "名册.xls"))
        assert code_of(excinfo) == "extension"

    def test_empty_file(self) -> None:
        with pytest.raises(ValidationError) as excinfo:
            validate_xlsx(upload(b""))
        assert code_of(excinfo) == "empty"

    def test_oversize_states_the_limit(self) -> None:
        data = b"PK\x03\x04" + b"\x00" * uploads.XLSX_MAX_BYTES
        with pytest.raises(ValidationError) as excinfo:
            validate_xlsx(upload(data))
        assert code_of(excinfo) == "too_large"
        message = message_of(excinfo)
        assert "上限为" in message
        assert filesizeformat(uploads.XLSX_MAX_BYTES) in message
        # The form states the same limit.
        assert filesizeformat(uploads.XLSX_MAX_BYTES) in limit_text(uploads.XLSX)

    def test_zip_bomb_refused_fast_and_before_parsing(self, tmp_path: Path) -> None:
        bomb = tmp_path / "bomb.xlsx"
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
                chunk = b"<row><c><v>0</v></c></row>" * 40_000
                written = 0
                while written <= uploads.XLSX_MAX_UNCOMPRESSED + (1 << 20):
                    entry.write(chunk)
                    written += len(chunk)
        assert bomb.stat().st_size < uploads.XLSX_MAX_BYTES  # small on disk
        data = bomb.read_bytes()

        with mock.patch("openpyxl.load_workbook", side_effect=AssertionError("parsed!")) as load:
            started = time.perf_counter()
            with pytest.raises(ValidationError) as excinfo:
                open_xlsx(upload(data))
            elapsed = time.perf_counter() - started
        assert code_of(excinfo) == "zip_bomb"
        assert "解压后过大" in message_of(excinfo)
        assert elapsed < 0.25
        load.assert_not_called()

    def test_high_compression_ratio_refused(self) -> None:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("xl/sharedStrings.xml", b" " * (8 << 20))  # 8 MB of blanks
        with pytest.raises(ValidationError) as excinfo:
            validate_xlsx(upload(buf.getvalue()))
        assert code_of(excinfo) == "zip_bomb"

    def test_total_uncompressed_size_is_capped(self, monkeypatch: pytest.MonkeyPatch) -> None:
        # Ordinary-looking data (ratio ≈ 2), just more of it than the cap allows.
        monkeypatch.setattr(uploads, "XLSX_MAX_UNCOMPRESSED", 1 << 20)
        noise = random.Random(7).randbytes(600_000).hex().encode()  # 1.2 MB
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("xl/sharedStrings.xml", noise)
        with pytest.raises(ValidationError) as excinfo:
            validate_xlsx(upload(buf.getvalue()))
        assert code_of(excinfo) == "zip_bomb"

    def test_too_many_entries(self) -> None:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            for index in range(uploads.XLSX_MAX_ENTRIES + 1):
                archive.writestr(f"xl/media/{index}.xml", b"")
        started = time.perf_counter()
        with pytest.raises(ValidationError) as excinfo:
            validate_xlsx(upload(buf.getvalue()))
        assert code_of(excinfo) == "zip_bomb"
        assert time.perf_counter() - started < 0.5

    def test_damaged_entry_is_refused_before_parsing(self) -> None:
        data = bytearray(xlsx_bytes())
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
            info = archive.getinfo("xl/worksheets/sheet1.xml")
        # Flip bytes inside the compressed sheet: the CRC no longer matches.
        start = info.header_offset + 30 + len(info.filename.encode()) + 4
        for offset in range(start, start + 8):
            data[offset] ^= 0xFF
        with pytest.raises(ValidationError) as excinfo:
            open_xlsx(upload(bytes(data)))
        assert code_of(excinfo) == "not_xlsx"

    def test_unknown_zip_version_is_refused_not_crashing(self) -> None:
        data = bytearray(xlsx_bytes())
        directory = data.rfind(b"PK\x01\x02")
        data[directory + 6] = 157  # "version needed to extract" 15.7
        with pytest.raises(ValidationError) as excinfo:
            validate_xlsx(upload(bytes(data)))
        assert code_of(excinfo) == "not_xlsx"

    def test_unusual_compression_is_refused(self) -> None:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_BZIP2) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("xl/workbook.xml", "<workbook/>")
        with pytest.raises(ValidationError) as excinfo:
            validate_xlsx(upload(buf.getvalue()))
        assert code_of(excinfo) == "not_xlsx"


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestCam"
    exif[ExifTags.Base.Orientation] = 6  # rotated 90°
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (38.0, 54.0, 50.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (121.0, 36.0, 10.0)
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(buf, "JPEG", exif=exif.tobytes())
    return buf.getvalue()


class TestImages:
    def test_exif_and_gps_are_dropped(self) -> None:
        original = jpeg_with_gps()
        with Image.open(io.BytesIO(original)) as img:
            assert img.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the input does carry GPS
        cleaned = clean_image(upload(original, "photo.jpg"))
        data = cleaned.read()
        assert cleaned.name.endswith(".jpg")
        assert data != original
        assert b"Exif" not in data
        with Image.open(io.BytesIO(data)) as img:
            assert img.format == "JPEG"
            assert not img.getexif()
            assert "exif" not in img.info
            assert img.size == (48, 64)  # the orientation was applied, then the tag dropped

    def test_png_is_reencoded_as_jpeg_and_resized(self) -> None:
        cleaned = clean_image(upload(png_bytes((3000, 1500), "RGBA"), "大图.png"), max_side=1200)
        with Image.open(io.BytesIO(cleaned.read())) as img:
            assert img.format == "JPEG"
            assert img.size == (1200, 600)

    def test_data_appended_after_the_image_is_dropped(self) -> None:
        payload = b"<?php system($_GET['c']); ?>"
        cleaned = clean_image(upload(png_bytes() + payload, "a.png"))
        assert payload not in cleaned.read()

    @pytest.mark.parametrize("size", [(10_000, 10_000), (7_000, 7_000)])
    def test_decompression_bomb(self, size: tuple[int, int]) -> None:
        # 100 and 49 million pixels: above twice the limit Pillow raises, between it warns.
        data = png_bytes(size, "1")
        assert len(data) < uploads.IMAGE_MAX_BYTES
        started = time.perf_counter()
        with pytest.raises(ValidationError) as excinfo:
            clean_image(upload(data, "bomb.png"))
        assert code_of(excinfo) == "image_bomb"
        assert "图片像素过多" in message_of(excinfo)
        assert time.perf_counter() - started < 0.5

    def test_not_an_image(self) -> None:
        with pytest.raises(ValidationError) as excinfo:
            clean_image(upload(b"MZ\x90\x00 not a picture", "photo.jpg"))
        assert code_of(excinfo) == "magic"

    def test_truncated_image(self) -> None:
        with pytest.raises(ValidationError) as excinfo:
            clean_image(upload(jpeg_with_gps()[:200], "photo.jpg"))
        assert code_of(excinfo) == "not_image"

    def test_oversize_image_states_the_limit(self) -> None:
        data = b"\xff\xd8\xff" + b"\x00" * uploads.IMAGE_MAX_BYTES
        with pytest.raises(ValidationError) as excinfo:
            clean_image(upload(data, "photo.jpg"))
        assert code_of(excinfo) == "too_large"
        assert filesizeformat(uploads.IMAGE_MAX_BYTES) in message_of(excinfo)

    def test_image_with_an_xlsx_extension_is_not_an_image(self) -> None:
        with pytest.raises(ValidationError) as excinfo:
            clean_image(upload(png_bytes(), "photo.xlsx"))
        assert code_of(excinfo) == "extension"
