"""Checks run on an uploaded file before any parser touches it.

Each check is cheap (a magic number, the zip central directory, the first bytes of each zip
member, one linear scan of a CSV with C-level byte searches) and refuses with a sentence that
staff can act on. They exist because openpyxl spent 46 s on a 0.38 MB zip bomb before its
first row, and because a CSV parser happily reads NUL bytes and 10 MB "fields".
"""

from __future__ import annotations

import zipfile
from typing import IO

from .base import ImportRefused

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_COMPRESSION_RATIO",
    "MAX_LINE_BYTES",
    "MAX_ZIP_MEMBERS",
    "check_csv_bytes",
    "check_xlsx",
    "sniff_kind",
]

# The largest upload read when the caller gives no limit: far above a year of one channel.
DEFAULT_MAX_BYTES = 1024 * 1024 * 1024
# Real exports compress about 12:1; a zip bomb compresses hundreds or thousands to one.
MAX_COMPRESSION_RATIO = 100
# Members smaller than this may compress well (empty styles, repeated XML) without harm.
_RATIO_FLOOR_BYTES = 1024 * 1024
# A workbook from a platform has about ten members; thousands are an attack on the reader.
MAX_ZIP_MEMBERS = 1000
# openpyxl holds the shared strings table in memory, so its size is capped on its own.
MAX_SHARED_STRINGS_BYTES = 256 * 1024 * 1024
# A row of a real export is under 2 KB. csv refuses fields over 128 KiB anyway, so a longer
# line is refused up front rather than half-way through the import.
MAX_LINE_BYTES = 128 * 1024
_SCAN_CHUNK = 1024 * 1024

_MAGIC = (
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an old Excel .xls workbook or a password-protected file",
    ),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ", "an xz archive"),
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a program"),
)
_ARCHIVE_SUFFIXES = (
    ".zip",
    ".xlsx",
    ".xlsm",
    ".xlsb",
    ".xls",
    ".docx",
    ".docm",
    ".pptx",
    ".jar",
    ".7z",
    ".rar",
    ".gz",
    ".tgz",
    ".bz2",
    ".xz",
    ".tar",
    ".cab",
)
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_CONTENT_TYPES_LIMIT = 1024 * 1024


def sniff_kind(head: bytes) -> str:
    """Return ``"xlsx"`` or ``"csv"`` from a file's first bytes, refusing other formats."""
    if not head:
        raise ImportRefused("The file is empty.")
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith((b"PK\x05\x06", b"PK\x07\x08")):
        raise ImportRefused("The file is an empty or split zip archive, not an export.")
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise ImportRefused(
                f"The file is {what}, not an order export: upload the CSV or XLSX file "
                "downloaded from the platform."
            )
    return "csv"


def check_csv_bytes(handle: IO[bytes], *, utf16: bool) -> None:
    """Scan a text export once for NUL bytes and absurdly long lines; refuse either.

    The scan reads 1 MiB chunks and looks at them through windows of ``MAX_LINE_BYTES`` with
    C-level searches: a line inside one window is short enough, and a line crossing windows is
    measured exactly by counting the bytes since the last newline. A 100 MB file takes tens of
    milliseconds and no more memory than one chunk.
    """
    handle.seek(0)
    since_newline = 0
    offset = 0
    while True:
        chunk = handle.read(_SCAN_CHUNK)
        if not chunk:
            break
        if not utf16 and b"\x00" in chunk:
            position = offset + chunk.index(b"\x00")
            raise ImportRefused(
                f"The file contains NUL bytes (first at byte {position:,}): it is binary or "
                "damaged, not a text export."
            )
        for start in range(0, len(chunk), MAX_LINE_BYTES):
            end = min(start + MAX_LINE_BYTES, len(chunk))
            last = chunk.rfind(b"\n", start, end)
            if last < 0:
                since_newline += end - start
            else:
                since_newline += chunk.find(b"\n", start, end) - start
                if since_newline <= MAX_LINE_BYTES:
                    since_newline = end - last - 1
            if since_newline > MAX_LINE_BYTES:
                raise ImportRefused(
                    f"The file has a line longer than {MAX_LINE_BYTES // 1024} KiB near byte "
                    f"{offset + start:,}: real exports have short rows, so the file is damaged "
                    "or hostile."
                )
        offset += len(chunk)
    handle.seek(0)


def check_xlsx(handle: IO[bytes]) -> None:
    """Refuse workbooks that would hurt openpyxl, reading only the zip's directory and heads.

    Refused: damaged or encrypted archives, too many members, compression over
    ``MAX_COMPRESSION_RATIO`` (a zip bomb), nested archives, macros (VBA projects, Excel 4
    macro sheets, macro-enabled content types) and XML declaring a DTD (entity attacks).
    """
    handle.seek(0)
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise ImportRefused(
            f"The workbook is damaged: its zip structure is invalid ({error})."
        ) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise ImportRefused(
                f"The workbook holds {len(members):,} parts (at most {MAX_ZIP_MEMBERS:,} are "
                "accepted): it is not an export from a platform."
            )
        names = {member.filename for member in members}
        if "[Content_Types].xml" not in names or not any(
            name.startswith("xl/") and name.endswith("workbook.xml") for name in names
        ):
            raise ImportRefused("The zip file is not an Excel workbook (.xlsx).")
        total = compressed = 0
        for member in members:
            _check_member(member)
            total += member.file_size
            compressed += member.compress_size
        if total > MAX_COMPRESSION_RATIO * max(compressed, 1):
            raise ImportRefused(
                f"The workbook expands {total // max(compressed, 1):,} times when opened "
                f"(at most {MAX_COMPRESSION_RATIO} accepted): it looks like a zip bomb."
            )
        for member in members:
            if member.file_size:
                _check_member_head(archive, member)


def _check_member(member: zipfile.ZipInfo) -> None:
    name = member.filename.lower()
    if member.flag_bits & 0x1:
        raise ImportRefused("The workbook is encrypted: export it again without a password.")
    # Binary parts are VBA projects or ActiveX controls; printer settings are the harmless one.
    is_binary_part = name.endswith(".bin") and "printersettings" not in name
    if is_binary_part or "macrosheets/" in name:
        raise ImportRefused(
            "The workbook contains macros: upload the export exactly as the platform "
            "produced it (.xlsx without macros)."
        )
    if name.endswith(_ARCHIVE_SUFFIXES) or "/embeddings/" in "/" + name:
        raise ImportRefused(
            f"The workbook contains another archive or embedded file ({member.filename}): "
            "platform exports never do."
        )
    if member.file_size > _RATIO_FLOOR_BYTES and member.file_size > MAX_COMPRESSION_RATIO * max(
        member.compress_size, 1
    ):
        raise ImportRefused(
            f"A part of the workbook ({member.filename}) expands "
            f"{member.file_size // max(member.compress_size, 1):,} times when opened: it looks "
            "like a zip bomb."
        )
    if name.endswith("sharedstrings.xml") and member.file_size > MAX_SHARED_STRINGS_BYTES:
        raise ImportRefused("The workbook's text table is too large to be read safely.")


def _check_member_head(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Read the first bytes of a member: nested archives and DTDs show there."""
    name = member.filename.lower()
    # The content types list is read whole (it is small) because it names macro-enabled parts.
    size = _CONTENT_TYPES_LIMIT if name == "[content_types].xml" else 4096
    try:
        with archive.open(member) as stream:
            head = stream.read(size)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as error:
        raise ImportRefused(
            f"The workbook part {member.filename} cannot be read ({error})."
        ) from None
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")):
        raise ImportRefused(
            f"The workbook contains another archive ({member.filename}): platform exports never do."
        )
    if name.endswith(_XML_SUFFIXES) or name == "[content_types].xml":
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = head.decode("utf-16", errors="ignore").encode("ascii", errors="ignore")
        else:
            text = head
        upper = text.upper()
        if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper or not _root_element_first(text):
            raise ImportRefused(
                f"The workbook part {member.filename} declares a DTD, which real exports never "
                "do and which is used by XML entity attacks."
            )
        if name == "[content_types].xml" and b"macroenabled" in text.lower():
            raise ImportRefused(
                "The workbook is macro-enabled: upload the export exactly as the platform "
                "produced it (.xlsx without macros)."
            )


def _root_element_first(text: bytes) -> bool:
    """Return whether the XML's first markup, after its declaration and comments, is an element.

    A DTD can only come before the root element, so this closes the gap of a DTD pushed past
    the bytes read by long comments or processing instructions.
    """
    position = 0
    while True:
        position = text.find(b"<", position)
        if position < 0:
            return False
        if text.startswith(b"<?", position):
            end = text.find(b"?>", position)
        elif text.startswith(b"<!--", position):
            end = text.find(b"-->", position)
        else:
            return not text.startswith(b"<!", position)
        if end < 0:
            return False
        position = end + 2
