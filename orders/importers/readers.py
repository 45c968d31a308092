"""Row sources: stream the cells of a CSV or XLSX file, one row at a time, in file order.

A source yields ``(row_number, cells, bad_cell)``: ``row_number`` is the row as a spreadsheet
shows it (1-based, blank rows counted), ``cells`` a list of cell values and ``bad_cell`` the
position of a cell holding undecodable bytes, or -1. Memory stays bounded whatever the size of
the file: the CSV reader decodes incrementally and openpyxl runs in read-only mode.
"""

from __future__ import annotations

import codecs
import csv
import io
import threading
import warnings
import zipfile
from collections.abc import Generator, Iterator
from typing import IO, cast
from xml.etree.ElementTree import ParseError

from .base import ImportRefused
from .values import Cell

__all__ = [
    "SEEKABLE_ENCODINGS",
    "CsvSource",
    "OffsetRow",
    "Row",
    "Rows",
    "UnseekableRecords",
    "XlsxSource",
    "detect_encoding",
]

# (row number, cells, position of the cell holding undecodable bytes or -1).
Row = tuple[int, list[Cell], int]
# A generator, so that a reader of the first rows only can close it (and the file's decoder).
Rows = Generator[Row, None, None]
# (row number, cells, whether a cell held undecodable bytes, byte offset of the row's record).
OffsetRow = tuple[int, list[str], bool, int]

# Encodings in which a quote, CR or LF byte is always that character, never part of another
# one (UTF-8's multi-byte sequences use bytes from 0x80, GB18030's from 0x30): a record can be
# found, and read, from its byte offset. Not UTF-16.
SEEKABLE_ENCODINGS = frozenset({"utf-8", "utf-8-sig", "gb18030"})

_SAMPLE_BYTES = 64 * 1024
# Excel's row limit: a sheet claiming rows beyond it is damaged or hostile.
_XLSX_MAX_ROWS = 1_048_576
_DELIMITERS = (",", ";", "\t", "|")
# Every byte but the control characters that never appear in text (tab, CR, LF, and the
# form feed and escape that some old exporters leave in, are text here).
_TEXT_BYTES = bytes(range(32, 256)) + b"\t\n\r\x0c\x1b"


class _DecodeErrors(threading.local):
    count = 0


_decode_errors = _DecodeErrors()


def _count_and_replace(error: UnicodeError) -> tuple[str, int]:
    """Replace undecodable bytes with U+FFFD and count them, so the row can be reported."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    _decode_errors.count += 1
    return "\ufffd", error.end


_ERROR_HANDLER = "orders.importers.count_and_replace"
codecs.register_error(_ERROR_HANDLER, _count_and_replace)


def detect_encoding(sample: bytes) -> str:
    """Return the encoding of a text export from its first bytes.

    A BOM decides; otherwise UTF-8 if the sample is valid UTF-8, then GB18030 (a superset of
    GBK, which Douyin sometimes writes), else UTF-8 with undecodable bytes reported per row.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8", "gb18030"):
        try:
            # final=False: a sample cut in the middle of a character is still valid.
            codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    return "utf-8"


class UnseekableRecords(Exception):
    """The file's records cannot be told apart line by line (lone CR line ends): its rows are
    read from the start instead of from byte offsets."""


class CsvSource:
    """Rows of a delimited text file, decoded incrementally."""

    kind = "csv"

    def __init__(self, handle: IO[bytes], size: int) -> None:
        self.handle = handle
        self.size = size
        handle.seek(0)
        sample = handle.read(_SAMPLE_BYTES)
        handle.seek(0)
        self.encoding = detect_encoding(sample)
        self.is_utf16 = self.encoding == "utf-16"
        if not self.is_utf16:
            controls = len(sample.translate(None, delete=_TEXT_BYTES))
            if controls > max(8, len(sample) // 100):
                raise ImportRefused(
                    "The file holds binary data, not text: upload the CSV or XLSX file "
                    "downloaded from the platform."
                )
        text = sample.decode(self.encoding, errors="replace")
        first_line = text.lstrip("\ufeff").split("\n", 1)[0]
        counts = {d: first_line.count(d) for d in _DELIMITERS}
        self.delimiter = max(_DELIMITERS, key=lambda d: counts[d]) if any(counts.values()) else ","
        lines = text.count("\n")
        self._bytes_per_line = len(sample) / lines if lines and len(sample) < size else None
        self._sample_lines = lines

    def estimated_rows(self, header_row: int) -> int | None:
        """Return a cheap estimate of the data rows, for a progress bar."""
        if self._bytes_per_line is None:
            return max(self._sample_lines - header_row, 0)
        return max(int(self.size / self._bytes_per_line) - header_row, 0)

    @property
    def seekable(self) -> bool:
        """Whether a record can be read from its byte offset (see ``SEEKABLE_ENCODINGS``)."""
        return self.encoding in SEEKABLE_ENCODINGS

    def rows(self, *, start_offset: int | None = None, first_number: int = 1) -> Rows:
        """Yield every row from the first, or from the record at byte ``start_offset`` (one
        ``offset_rows`` gave, in a seekable encoding) numbered ``first_number``."""
        if start_offset is not None and not self.seekable:
            raise ValueError(f"a {self.encoding} file cannot be read from a byte offset")
        self.handle.seek(start_offset or 0)
        stream = io.TextIOWrapper(
            self.handle, encoding=self.encoding, errors=_ERROR_HANDLER, newline=""
        )
        try:
            # Cast once per file: csv gives lists of str, which are lists of cells (list[str] is
            # no list[Cell] to mypy only because a list is invariant).
            reader = cast("Iterator[list[Cell]]", csv.reader(stream, delimiter=self.delimiter))
            errors = _decode_errors
            seen = errors.count
            number = first_number - 1 if start_offset is not None else 0
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    raise ImportRefused(
                        f"The file cannot be read as CSV after row {number:,} ({error})."
                    ) from None
                number += 1
                if errors.count != seen:
                    # Decoding runs ahead of parsing: the replaced bytes belong to this row or
                    # a later one, so rows are checked until every replacement is accounted for.
                    texts = cast("list[str]", cells)  # a CSV row: text only
                    bad = next((i for i, cell in enumerate(texts) if "\ufffd" in cell), -1)
                    if bad >= 0:
                        seen += sum(cell.count("\ufffd") for cell in texts)
                        yield number, cells, bad
                        continue
                yield number, cells, -1
        finally:
            stream.detach()

    def offset_rows(self) -> Generator[OffsetRow, None, None]:
        """Yield every row with the byte offset where its record starts (a seekable encoding).

        The csv module parses the records, fed one line (up to LF) at a time: it asks for the
        next line only while a record is open (a quoted field holding newlines), so the end of
        the last line it took is the end of the record. Raises ``UnseekableRecords`` for lone
        CR line ends, which only a reader of universal newlines splits.
        """
        if not self.seekable:
            raise ValueError(f"a {self.encoding} file cannot be read from a byte offset")
        handle = self.handle
        handle.seek(0)
        consumed = 0
        undecodable = False

        def lines() -> Iterator[str]:
            nonlocal consumed, undecodable
            encoding = self.encoding
            for raw in handle:
                consumed += len(raw)
                try:
                    text = raw.decode(encoding)
                except UnicodeDecodeError:
                    text = raw.decode(encoding, errors="replace")
                    undecodable = True
                # The BOM is only at the start: the rest decodes as plain UTF-8.
                encoding = "utf-8" if encoding == "utf-8-sig" else encoding
                yield text

        reader = csv.reader(lines(), delimiter=self.delimiter)
        number = 0
        start = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise UnseekableRecords(str(error)) from None
            number += 1
            yield number, cells, undecodable, start
            start = consumed
            undecodable = False


class XlsxSource:
    """Rows of the worksheets of an XLSX workbook, read with openpyxl in read-only mode."""

    kind = "xlsx"

    def __init__(self, handle: IO[bytes], size: int) -> None:
        # Imported here: CSV imports never pay its import cost. openpyxl ships no types and
        # types-openpyxl is not a dependency: its workbook, sheets and cells are Any here.
        import openpyxl  # type: ignore[import-untyped]

        self.handle = handle
        self.size = size
        handle.seek(0)
        try:
            with warnings.catch_warnings():
                # Platform files often lack a default style; openpyxl warns and copes.
                warnings.simplefilter("ignore")
                self.workbook = openpyxl.load_workbook(
                    handle, read_only=True, data_only=True, keep_links=False, keep_vba=False
                )
        except ImportRefused:
            raise
        except Exception as error:  # openpyxl raises many kinds for damaged files
            raise ImportRefused(f"The workbook cannot be opened ({error}).") from None
        self.sheet = self.workbook.worksheets[0] if self.workbook.worksheets else None

    @property
    def sheet_names(self) -> list[str]:
        """Return the worksheet titles in workbook order."""
        return [sheet.title for sheet in self.workbook.worksheets]

    def use_sheet(self, title: str) -> None:
        """Read the worksheet called ``title`` from now on."""
        self.sheet = self.workbook[title]

    def rows(self) -> Rows:
        """Yield every row of the current worksheet from the first."""
        if self.sheet is None:
            return
        sheet = self.sheet
        # Declared dimensions are metadata the file states about itself: a wrong one would cut
        # rows off or pad millions of empty ones, so they are ignored.
        sheet.reset_dimensions()
        try:
            for number, cells in enumerate(
                sheet.iter_rows(max_row=_XLSX_MAX_ROWS, values_only=True), start=1
            ):
                yield number, list(cells), -1
        except (ParseError, zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError) as error:
            raise ImportRefused(f"The workbook is damaged and cannot be read ({error}).") from None

    def estimated_rows(self, header_row: int) -> int | None:
        """Return a cheap estimate of the data rows from the start of the sheet's XML."""
        # openpyxl's private attributes: the sheet's member and the workbook's open zip file.
        path: str | None = getattr(self.sheet, "_worksheet_path", None)
        if not path:
            return None
        archive: zipfile.ZipFile | None = getattr(self.workbook, "_archive", None)
        if archive is None:
            return None
        try:
            info = archive.getinfo(path)
            with archive.open(info) as stream:
                head = stream.read(_SAMPLE_BYTES * 4)
        except (KeyError, zipfile.BadZipFile, OSError):
            return None
        rows = head.count(b"<row ") + head.count(b"<row>")
        if not rows:
            return None
        if len(head) < info.file_size:
            rows = int(rows * info.file_size / len(head))
        return max(rows - header_row, 0)

    def close(self) -> None:
        """Release the workbook's zip file."""
        self.workbook.close()
