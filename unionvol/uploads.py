"""One validator for every upload: spreadsheets and photos.

* the size limit is checked first and stated in the message (and the form);
* the extension and the file's magic bytes must agree;
* an xlsx's zip directory is inspected *before* anything is parsed — number of
  entries, total uncompressed size and compression ratio — so a zip bomb is
  refused in milliseconds;
* every XML part is then streamed once through expat (with the same refusals as
  defusedxml: no DTD, no entity declarations, no external entities) counting only
  ``<row>`` elements and reading only ``<dimension>``: a sheet declaring more rows or
  columns than an import may hold, or holding more rows, is refused before openpyxl
  parses anything;
* XML inside xlsx is parsed by openpyxl with defusedxml installed, which refuses
  entity-expansion tricks (``openpyxl.DEFUSEDXML`` is True);
* rows are then read under a deadline and a row count (``IMPORT_MAX_SECONDS``,
  ``IMPORT_MAX_ROWS``), so no file can hold a worker until it is killed;
* images go through Pillow's decompression-bomb limit, are re-encoded (which drops
  EXIF and anything appended to the file) and resized.

A refused file raises ``ValidationError``; callers write nothing in that case.
"""

from __future__ import annotations

import io
import re
import struct
import time
import uuid
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any, NoReturn
from xml.parsers import expat

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

XLSX_MAX_BYTES = 10 * 1024 * 1024
XLSX_MAX_ENTRIES = 2000
# A 20,000-row roster is about 13 MB of sheet XML; five times that is generous,
# and bounds the streaming pass below to about a second.
XLSX_MAX_UNCOMPRESSED = 64 * 1024 * 1024
XLSX_MAX_RATIO = 120
# Rows above the data an import may hold: titles, 填表单位 lines, headers, notes.
XLSX_HEADER_ROWS = 50
XLSX_MAX_COLUMNS = 256
# openpyxl reads every shared string and every style record when it opens a file,
# before a single row can be checked against the deadline (about 15 µs and 60 µs
# each), so their number is capped: 100,000 cell formats took 6 s to open.
XLSX_MAX_STRINGS = 300_000
XLSX_MAX_STYLES = 70_000  # Excel itself allows 64,000 cell formats
IMAGE_MAX_BYTES = 8 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000
IMAGE_MAX_SIDE = 2400

Image.MAX_IMAGE_PIXELS = IMAGE_MAX_PIXELS

TOO_LARGE = _("文件过大（%(size)s），上限为 %(limit)s。")
WRONG_TYPE = _("文件类型不正确：只接受 %(kinds)s 文件。")
EXTENSION_MISMATCH = _("文件扩展名与文件内容不符，请上传真正的 %(kinds)s 文件。")
NOT_XLSX = _("这不是有效的 Excel（.xlsx）文件。旧版 .xls 请先在 Excel 中另存为 .xlsx。")
ZIP_BOMB = _("该 Excel 文件解压后过大或压缩比异常，已拒绝。")
UNCOMPRESSED_TOO_LARGE = _("该 Excel 文件解压后过大（超过 %(limit)s），已拒绝。")
SHEET_TOO_LARGE = _(
    "工作表声明的数据范围 %(ref)s 过大：一次最多导入 %(rows)s 行、%(columns)s 列。"
    "请删除多余的行和列，或分成几个文件导入。"
)
SHEET_TOO_MANY_ROWS = _("工作表超过 %(limit)s 行：一次最多导入 %(limit)s 行，请分成几个文件导入。")
TOO_MANY_STRINGS = _("该 Excel 文件中的文字条目过多（超过 %(limit)s 条），已拒绝。")
TOO_MANY_STYLES = _(
    "该 Excel 文件中的单元格格式过多（超过 %(limit)s 种），已拒绝。"
    "请把数据复制到新建的工作簿后再上传。"
)
PARSE_TIMEOUT = _(
    "读取文件超过 %(seconds)s 秒，已停止，未导入任何数据。请删除多余的行列或分成几个文件导入。"
)
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

# Local element names the streaming pass counts, by what they cost openpyxl.
_STRING_TAGS = frozenset({"si", "r"})  # shared strings and their rich-text runs
_STYLE_TAGS = frozenset({"xf", "font", "fill", "border", "numFmt", "dxf", "cellStyle"})
_WATCHED_TAGS = frozenset({"row", "dimension", *_STRING_TAGS, *_STYLE_TAGS})


@dataclass(frozen=True)
class ImportLimits:
    """What one import may hold; read from the settings when a file is checked."""

    rows: int  # data rows (IMPORT_MAX_ROWS)
    seconds: int  # time to validate and read the rows (IMPORT_MAX_SECONDS)

    @classmethod
    def current(cls) -> ImportLimits:
        return cls(rows=settings.IMPORT_MAX_ROWS, seconds=settings.IMPORT_MAX_SECONDS)

    @property
    def sheet_rows(self) -> int:
        return self.rows + XLSX_HEADER_ROWS


class Deadline:
    """The parse time limit, checked between chunks and between rows."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.at:
            raise ValidationError(PARSE_TIMEOUT, code="timeout", params={"seconds": self.seconds})


def _too_many_rows(limits: ImportLimits) -> ValidationError:
    return ValidationError(SHEET_TOO_MANY_ROWS, code="too_many_rows", params={"limit": limits.rows})


def _check_dimension(ref: str, limits: ImportLimits) -> None:
    """The range a sheet declares is what openpyxl pads every row and the row count to."""
    from openpyxl.utils.cell import range_boundaries

    try:
        _min_col, _min_row, max_col, max_row = range_boundaries(ref)
    except (ValueError, TypeError) as exc:  # openpyxl would fail on it when opening
        raise ValidationError(NOT_XLSX, code="not_xlsx") from exc
    if (max_row or 0) > limits.sheet_rows or (max_col or 0) > XLSX_MAX_COLUMNS:
        raise ValidationError(
            SHEET_TOO_LARGE,
            code="dimension",
            params={"ref": ref[:40], "rows": limits.rows, "columns": XLSX_MAX_COLUMNS},
        )


def _refuse_dtd(*args: Any) -> NoReturn:
    raise ValidationError(NOT_XLSX, code="not_xlsx")


class _PartScan:
    """One pass of expat over a part: ``<dimension>`` checked, rows, strings and styles counted.

    Every part is scanned, not only those named as worksheets: openpyxl reads a
    sheet from wherever the workbook's relationships point and matches elements by
    name whatever the root is, so a check on file names or root elements could be
    sidestepped. openpyxl uses the same expat, so a part expat gives up on (a
    picture, a damaged part) cannot yield more rows to openpyxl than were counted.
    The handlers refuse what defusedxml refuses: DTDs, entity declarations and
    external entities.
    """

    def __init__(self, limits: ImportLimits) -> None:
        self.limits = limits
        self.rows = self.strings = self.styles = 0
        self.broken = False
        # Qualified name -> watched local name or "": the handler runs for every
        # element, so the name is split once per distinct name, not per element.
        self._local: dict[str, str] = {}
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = self._start
        parser.StartDoctypeDeclHandler = _refuse_dtd
        parser.EntityDeclHandler = _refuse_dtd
        parser.UnparsedEntityDeclHandler = _refuse_dtd
        parser.ExternalEntityRefHandler = _refuse_dtd
        self.parser = parser

    def feed(self, data: bytes, final: bool = False) -> None:
        if self.broken:
            return
        try:
            self.parser.Parse(data, final)
        except expat.ExpatError:
            self.broken = True

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        local = self._local.get(name)
        if local is None:
            local = name.rpartition(" ")[2]
            local = self._local[name] = local if local in _WATCHED_TAGS else ""
        if not local:
            return
        if local == "row":
            self.rows += 1
            limit = self.limits.sheet_rows
            if self.rows > limit or self._row_number(attrs) > limit:
                raise _too_many_rows(self.limits)
        elif local == "dimension":
            _check_dimension(attrs.get("ref", ""), self.limits)
        elif local in _STRING_TAGS:
            self.strings += 1
            if self.strings > XLSX_MAX_STRINGS:
                raise ValidationError(
                    TOO_MANY_STRINGS, code="too_many_strings", params={"limit": XLSX_MAX_STRINGS}
                )
        elif local in _STYLE_TAGS:
            self.styles += 1
            if self.styles > XLSX_MAX_STYLES:
                raise ValidationError(
                    TOO_MANY_STYLES, code="too_many_styles", params={"limit": XLSX_MAX_STYLES}
                )

    @staticmethod
    def _row_number(attrs: dict[str, str]) -> int:
        # A row numbered far down makes openpyxl yield every empty row above it.
        try:
            return int(attrs.get("r") or 0)
        except ValueError:
            return 0


def _check_entry(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ImportLimits, deadline: Deadline
) -> None:
    """Stream one entry through the scan (zipfile checks its CRC at the end); refuse a DTD.

    Office files never carry a document type declaration; one in an xlsx can only
    be an entity-expansion or external-entity attack, so it is refused outright
    (defusedxml and openpyxl's lxml parser would also refuse to expand it).
    """
    scan = _PartScan(limits)
    with archive.open(info) as entry:
        head = entry.read(8192)
        if any(marker in head for marker in _DTD_MARKERS):
            raise ValidationError(NOT_XLSX, code="not_xlsx")
        chunk = head
        while chunk:
            scan.feed(chunk)
            deadline.check()
            chunk = entry.read(1 << 20)
        scan.feed(b"", final=True)


def validate_xlsx(upload: Any, *, deadline: Deadline | None = None) -> None:
    """Refuse anything that is not a modest, well-formed xlsx, before openpyxl parses it.

    The zip directory's declared sizes bound what Python's zipfile will ever
    inflate (it stops at the declared size and then checks the CRC), so they are
    checked first; only a file that passes is streamed through once, which
    verifies every entry's CRC (a corrupt deflate stream cannot surface later
    while parsing), refuses any DTD and checks each sheet's declared dimension
    and row count against the import limits.
    """
    limits = ImportLimits.current()
    deadline = deadline or Deadline(limits.seconds)
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
            if total > XLSX_MAX_UNCOMPRESSED:
                raise ValidationError(
                    UNCOMPRESSED_TOO_LARGE,
                    code="zip_bomb",
                    params={"limit": filesizeformat(XLSX_MAX_UNCOMPRESSED)},
                )
            if total / packed > XLSX_MAX_RATIO:
                raise ValidationError(ZIP_BOMB, code="zip_bomb")
            for info in infos:
                if info.flag_bits & 0x1 or info.compress_type not in _XLSX_COMPRESSION:
                    # Encrypted entries or exotic compression: Excel never writes these.
                    raise ValidationError(NOT_XLSX, code="not_xlsx")
            for info in infos:
                _check_entry(archive, info, limits, deadline)
    except _ZIP_ERRORS as exc:
        raise ValidationError(NOT_XLSX, code="not_xlsx") from exc
    finally:
        upload.seek(0)


class BoundedSheet:
    """A read-only worksheet whose rows stop at the row and time limits.

    The checks before opening already bound a well-formed sheet; these catch what
    only shows while reading (rows padded out by openpyxl in a sheet without a
    declared dimension), cut rows at the column limit and turn a read error into
    the usual message. Callers that read rows must expect ``ValidationError``.
    """

    def __init__(self, ws: Any, limits: ImportLimits, deadline: Deadline) -> None:
        self._ws = ws
        self._limits = limits
        self._deadline = deadline

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ws, name)

    def iter_rows(self, *args: Any, **kwargs: Any) -> Iterator[tuple[Any, ...]]:
        rows = self._ws.iter_rows(*args, **kwargs)
        count = 0
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # openpyxl raises many types for a damaged sheet
                raise ValidationError(NOT_XLSX, code="not_xlsx") from exc
            count += 1
            if count > self._limits.sheet_rows:
                raise _too_many_rows(self._limits)
            self._deadline.check()
            # Without a declared dimension openpyxl pads a row out to its last cell
            # (column XFD: 16,384 values); nothing an import reads lies that far right.
            yield row[:XLSX_MAX_COLUMNS]

    @property
    def rows(self) -> Iterator[tuple[Any, ...]]:
        return self.iter_rows()

    @property
    def values(self) -> Iterator[tuple[Any, ...]]:
        return self.iter_rows(values_only=True)

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return self.iter_rows()


class BoundedWorkbook:
    """What :func:`open_xlsx` returns: an openpyxl read-only workbook with bounded sheets."""

    def __init__(self, wb: Any, limits: ImportLimits, deadline: Deadline) -> None:
        self._wb = wb
        self._limits = limits
        self._deadline = deadline

    def __getattr__(self, name: str) -> Any:
        return getattr(self._wb, name)

    def _bound(self, ws: Any) -> BoundedSheet:
        return BoundedSheet(ws, self._limits, self._deadline)

    @property
    def worksheets(self) -> list[BoundedSheet]:
        return [self._bound(ws) for ws in self._wb.worksheets]

    @property
    def active(self) -> BoundedSheet:
        return self._bound(self._wb.active)

    def __getitem__(self, name: str) -> BoundedSheet:
        return self._bound(self._wb[name])

    def close(self) -> None:
        self._wb.close()


def open_xlsx(upload: IO[bytes]) -> BoundedWorkbook:
    """Validate, then open read-only with values (not formulas), rows bounded."""
    from openpyxl import load_workbook

    limits = ImportLimits.current()
    deadline = Deadline(limits.seconds)
    validate_xlsx(upload, deadline=deadline)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about Excel features it drops (data validation, defined
            # names…); they do not make a file invalid.
            warnings.simplefilter("ignore", UserWarning)
            wb = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a corrupt file
        raise ValidationError(NOT_XLSX, code="not_xlsx") from exc
    try:
        deadline.check()
    except ValidationError:
        wb.close()
        raise
    return BoundedWorkbook(wb, limits, deadline)


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
    # The uploader's file name is often the person's name or ID number: it goes no further.
    return ContentFile(out.getvalue(), name="photo.jpg")


_EXTENSION = re.compile(r"\.[a-z0-9]{1,8}$")


@deconstructible
class RandomName:
    """An ``upload_to`` that stores a file as ``<prefix>/<year>/<32 hex digits><ext>``.

    Only the (lower-cased) extension of the uploaded name is kept: file names such as
    ``210202198503121218.jpg`` would otherwise reach the disk, pages and logs. The
    prefix also tells :mod:`unionvol.files` which model owns a stored file.
    """

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix.strip("/")

    def __call__(self, instance: Any, filename: str) -> str:
        match = _EXTENSION.search((filename or "").lower())
        extension = match.group(0) if match else ""
        return f"{self.prefix}/{timezone.localdate():%Y}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomName) and other.prefix == self.prefix

    def __hash__(self) -> int:
        return hash(self.prefix)


def random_name(prefix: str) -> RandomName:
    """``models.ImageField(upload_to=random_name("volunteers/photos"))``."""
    return RandomName(prefix)
