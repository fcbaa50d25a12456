"""One validator for every upload: spreadsheets and photos.

* the size limit is checked first and stated in the message (and the form);
* the extension and the file's magic bytes must agree;
* an xlsx's zip directory is inspected *before* anything is parsed — number of
  entries, total uncompressed size and compression ratio — so a zip bomb is
  refused in milliseconds;
* XML inside xlsx is parsed by openpyxl with defusedxml installed, which refuses
  entity-expansion tricks (``openpyxl.DEFUSEDXML`` is True);
* images go through Pillow's decompression-bomb limit, are re-encoded (which drops
  EXIF and anything appended to the file) and resized.

A refused file raises ``ValidationError``; callers write nothing in that case.
"""

from __future__ import annotations

import io
import struct
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

XLSX_MAX_BYTES = 10 * 1024 * 1024
XLSX_MAX_ENTRIES = 2000
XLSX_MAX_UNCOMPRESSED = 200 * 1024 * 1024
XLSX_MAX_RATIO = 120
IMAGE_MAX_BYTES = 8 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000
IMAGE_MAX_SIDE = 2400

Image.MAX_IMAGE_PIXELS = IMAGE_MAX_PIXELS

TOO_LARGE = _("文件过大（%(size)s），上限为 %(limit)s。")
WRONG_TYPE = _("文件类型不正确：只接受 %(kinds)s 文件。")
EXTENSION_MISMATCH = _("文件扩展名与文件内容不符，请上传真正的 %(kinds)s 文件。")
NOT_XLSX = _("这不是有效的 Excel（.xlsx）文件。旧版 .xls 请先在 Excel 中另存为 .xlsx。")
ZIP_BOMB = _("该 Excel 文件解压后过大或压缩比异常，已拒绝。")
NOT_IMAGE = _("这不是有效的图片文件（支持 JPEG、PNG）。")
IMAGE_TOO_BIG = _("图片像素过多（上限 %(limit)s 像素）。")
EMPTY_FILE = _("文件是空的。")


@dataclass(frozen=True)
class Kind:
    extensions: tuple[str, ...]
    magic: tuple[bytes, ...]
    max_bytes: int
    label: str


XLSX = Kind((".xlsx",), (b"PK\x03\x04",), XLSX_MAX_BYTES, "Excel (.xlsx)")
IMAGE = Kind(
    (".jpg", ".jpeg", ".png"), (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n"), IMAGE_MAX_BYTES, "JPEG/PNG"
)


def limit_text(kind: Kind) -> str:
    """For help texts: '不超过 10.0 MB'."""
    return str(_("%(kinds)s，不超过 %(limit)s")) % {
        "kinds": kind.label,
        "limit": filesizeformat(kind.max_bytes),
    }


def _check_common(upload: Any, kind: Kind) -> None:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size == 0:
        raise ValidationError(EMPTY_FILE, code="empty")
    if size > kind.max_bytes:
        raise ValidationError(
            TOO_LARGE,
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(kind.max_bytes)},
        )
    name = (getattr(upload, "name", "") or "").lower()
    if not name.endswith(kind.extensions):
        raise ValidationError(WRONG_TYPE, code="extension", params={"kinds": kind.label})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(m) for m in kind.magic):
        raise ValidationError(EXTENSION_MISMATCH, code="magic", params={"kinds": kind.label})


# What zipfile may raise on a damaged or hostile archive (besides BadZipFile).
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,  # unknown zip version or compression method, strong encryption
    UnicodeDecodeError,  # a UTF-8-flagged file name that is not UTF-8
    struct.error,
    ValueError,
    EOFError,
    OSError,
    zlib.error,
)
_XLSX_COMPRESSION = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


_DTD_MARKERS = (b"<!DOCTYPE", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be"))


def _check_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Read one entry through (zipfile checks its CRC at the end) and refuse a DTD.

    Office files never carry a document type declaration; one in an xlsx can only
    be an entity-expansion or external-entity attack, so it is refused outright
    (defusedxml and openpyxl's lxml parser would also refuse to expand it).
    """
    with archive.open(info) as entry:
        head = entry.read(8192)
        if any(marker in head for marker in _DTD_MARKERS):
            raise ValidationError(NOT_XLSX, code="not_xlsx")
        while entry.read(1 << 20):
            pass


def validate_xlsx(upload: Any) -> None:
    """Refuse anything that is not a modest, well-formed xlsx, without parsing its XML.

    The zip directory's declared sizes bound what Python's zipfile will ever
    inflate (it stops at the declared size and then checks the CRC), so they are
    checked first; only a file that passes is read through once to verify every
    entry's CRC (a corrupt deflate stream cannot surface later while parsing)
    and that no XML part declares a DTD.
    """
    _check_common(upload, XLSX)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            if len(infos) > XLSX_MAX_ENTRIES:
                raise ValidationError(ZIP_BOMB, code="zip_bomb")
            names = {i.filename for i in infos}
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
                raise ValidationError(NOT_XLSX, code="not_xlsx")
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            if total > XLSX_MAX_UNCOMPRESSED or total / packed > XLSX_MAX_RATIO:
                raise ValidationError(ZIP_BOMB, code="zip_bomb")
            for info in infos:
                if info.flag_bits & 0x1 or info.compress_type not in _XLSX_COMPRESSION:
                    # Encrypted entries or exotic compression: Excel never writes these.
                    raise ValidationError(NOT_XLSX, code="not_xlsx")
            for info in infos:
                _check_entry(archive, info)
    except _ZIP_ERRORS as exc:
        raise ValidationError(NOT_XLSX, code="not_xlsx") from exc
    finally:
        upload.seek(0)


def open_xlsx(upload: IO[bytes]) -> Any:
    """Validate, then open read-only with values (not formulas)."""
    from openpyxl import load_workbook

    validate_xlsx(upload)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about Excel features it drops (data validation, defined
            # names…); they do not make a file invalid.
            warnings.simplefilter("ignore", UserWarning)
            return load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a corrupt file
        raise ValidationError(NOT_XLSX, code="not_xlsx") from exc


def clean_image(upload: Any, *, max_side: int = IMAGE_MAX_SIDE) -> ContentFile[bytes]:
    """Check an uploaded photo and return a re-encoded JPEG without EXIF."""
    _check_common(upload, IMAGE)
    try:
        with warnings.catch_warnings():
            # Between one and two times the pixel limit Pillow only warns: refuse those too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _reencode(upload, max_side)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            IMAGE_TOO_BIG, code="image_bomb", params={"limit": f"{IMAGE_MAX_PIXELS:,}"}
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(NOT_IMAGE, code="not_image") from exc
    finally:
        upload.seek(0)


def _reencode(upload: Any, max_side: int) -> ContentFile[bytes]:
    with Image.open(upload) as probe:
        probe.verify()
    upload.seek(0)
    with Image.open(upload) as opened:
        opened.load()
        img = ImageOps.exif_transpose(opened)  # keep the orientation, drop the tag
        if img.mode not in ("RGB", "L"):
            img = img.convert("RGB")
        img.thumbnail((max_side, max_side))
        out = io.BytesIO()
        img.save(out, format="JPEG", quality=85, optimize=True)
    stem = (getattr(upload, "name", "photo") or "photo").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return ContentFile(out.getvalue(), name=f"{stem[:40] or 'photo'}.jpg")
