"""Open an uploaded export: check it, find its layout, and stream its rows as records."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import IO, TypeAlias
from zoneinfo import ZoneInfo

from .base import (
    ConvertContext,
    ExportFormat,
    ImportRefused,
    Item,
    RowError,
    RowProblem,
    header_currency,
)
from .common import TimeReader
from .detect import FORMATS, Detection, detect_format
from .generic import generic_format
from .readers import CsvSource, UnseekableRecords, XlsxSource
from .safety import DEFAULT_MAX_BYTES, check_csv_bytes, check_xlsx, sniff_kind
from .values import Cell, clean_text, parse_count, parse_id, parse_local_datetime, parse_money

__all__ = ["ExportReader", "ExportScan", "ExportSource", "RowRange", "open_export"]

# What open_export reads: a path, the file's bytes, or a binary file object.
ExportSource: TypeAlias = str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes]

# The header is looked for in the first rows only: a few banner rows at most precede it.
_HEADER_SEARCH_ROWS = 10
_SHOWN_VALUE_LENGTH = 200
_PARSERS: dict[str, Callable[[Cell], object]] = {
    "id": parse_id,
    "money": parse_money,
    "count": parse_count,
    "text": clean_text,
}


@dataclass(frozen=True, slots=True)
class RowRange:
    """Rows ``start_row`` to ``end_row`` (inclusive, numbered as ``iter_items`` numbers them),
    and the byte offset of ``start_row``'s record when a reader can seek to it."""

    start_row: int
    end_row: int
    start_offset: int | None = None


@dataclass(frozen=True, slots=True)
class ExportScan:
    """What one cheap pass over an export tells before any row is converted.

    ``data_rows`` is the number of records ``iter_items`` yields and ``last_row`` the number
    of the last; ``newest`` the newest time the file's rows carry (its export time);
    ``ranges`` the file cut into ranges of whole orders (empty unless asked for).
    """

    data_rows: int
    last_row: int
    newest: dt.datetime | None
    ranges: tuple[RowRange, ...] = ()


class ExportReader:
    """An opened export whose layout is known; ``iter_items`` streams its records.

    ``format`` is the layout code (``tiktok_orders``, ``tiktok_affiliate``, ``douyin_orders``,
    ``shopee_orders``, ``lazada_orders`` or ``generic``), ``platform`` the platform code,
    ``estimated_rows`` a cheap estimate of the data rows for a progress bar (or ``None``).
    Close it (or use it as a context manager) to release the file it opened.
    """

    def __init__(
        self,
        *,
        spec: ExportFormat,
        detection: Detection,
        source: CsvSource | XlsxSource,
        handle: IO[bytes],
        owns_handle: bool,
        zone: ZoneInfo,
        default_currency: str | None,
        month_first: bool,
    ) -> None:
        self._spec = spec
        self._detection = detection
        self._source = source
        self._handle = handle
        self._owns_handle = owns_handle
        self._zone = zone
        self._month_first = month_first
        self.format: str = spec.code
        self.platform: str = spec.platform
        self.label: str = spec.label
        self.header_row: int = detection.header_row
        self.header: tuple[str, ...] = tuple(detection.headers)
        self.columns: dict[str, str] = {
            name: detection.headers[position] for name, position in detection.index.items()
        }
        self.currency: str | None = header_currency(detection.headers)
        self.default_currency = default_currency
        self.kind: str = source.kind
        self.encoding: str | None = getattr(source, "encoding", None)
        self.sheet_name: str | None = (
            source.sheet.title
            if isinstance(source, XlsxSource) and source.sheet is not None
            else None
        )
        self.estimated_rows: int | None = source.estimated_rows(detection.header_row)

    def __enter__(self) -> ExportReader:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release the workbook and the file opened by ``open_export``."""
        if isinstance(self._source, XlsxSource):
            self._source.close()
        if self._owns_handle:
            self._handle.close()

    def iter_items(
        self, *, start_row: int = 0, end_row: int | None = None, seek: RowRange | None = None
    ) -> Iterator[Item]:
        """Yield, in file order, one ``OrderLine``, ``AffiliateLink`` or ``RowError`` per row.

        Rows before ``start_row`` are skipped without being parsed (to resume an interrupted
        import from its checkpoint); reading stops after ``end_row``. ``seek`` (a range from
        ``scan`` with a byte offset) starts reading at its first row's record instead of the
        file's start. Blank rows and the localised description row under the header of TikTok
        XLSX files yield nothing. May raise ``ImportRefused`` part-way through when the rest
        of the file is structurally unreadable (a damaged workbook, a CSV field over 128 KiB
        inside quotes).
        """
        detection = self._detection
        headers = detection.headers
        context = ConvertContext(
            index=dict(detection.index),
            headers=headers,
            zone=self._zone,
            currency=self.currency,
            default_currency=self.default_currency,
            month_first=self._month_first,
        )
        convert = self._spec.make_converter(context)
        width = len(headers)
        filler: Cell = "" if self.kind == "csv" else None
        header_row = detection.header_row
        order_position = detection.index.get("order_id", -1)
        first_data_row = True
        if seek is not None and seek.start_offset is not None:
            if not isinstance(self._source, CsvSource):
                raise ValueError("only a CSV file is read from a byte offset")
            rows = self._source.rows(start_offset=seek.start_offset, first_number=seek.start_row)
            # A range's first row comes after the file's first data row (the first range is
            # read from the start), so it cannot be the description row.
            first_data_row = False
        else:
            rows = self._source.rows()
        for number, cells, bad in rows:
            if end_row is not None and number > end_row:
                rows.close()
                return
            if number <= header_row:
                continue
            if not cells or not any(cells):
                continue
            if first_data_row:
                first_data_row = False
                if _is_description_row(cells, order_position):
                    continue
            if number < start_row:
                continue
            if bad >= 0:
                yield RowError(
                    number,
                    self._header_at(bad),
                    _shown(cells[bad]),
                    f"the cell holds bytes that are not valid {self.encoding} text",
                )
                continue
            if len(cells) < width:
                cells.extend([filler] * (width - len(cells)))
            # Absent optional columns point at position -1: this always-empty last cell.
            cells.append(filler)
            try:
                yield convert(number, cells)
            except RowProblem as problem:
                position = detection.index.get(problem.field_name, -1)
                yield RowError(
                    number,
                    headers[position] if position >= 0 else problem.field_name,
                    _shown(problem.value),
                    problem.reason,
                )
            except (ValueError, ArithmeticError, TypeError) as error:
                yield self._diagnose(number, cells, error)

    def scan(self, *, range_rows: int | None = None) -> ExportScan:
        """Read the file once, converting nothing but the order id and time cells.

        ``newest`` equals the newest time of the records ``iter_items`` yields, parsed by the
        same ``TimeReader`` as the formats' converters, from the same columns: a row the
        converters refuse for a time cell or an empty order id or creation time lends none. (A
        row refused for another cell, a malformed amount, still does: the file holds that
        time.) With ``range_rows``, the rows are cut into ranges of about that many rows, each
        cut where the order id changes (as the import's chunks are), with each range's byte
        offset when the file is a CSV in a seekable encoding.
        """
        detection = self._detection
        index = detection.index
        header_row = detection.header_row
        order_position = index.get("order_id", -1)
        # Order lines need their creation time (every order converter refuses a row without
        # it); affiliate links do not.
        created_position = index.get("created_at", -1) if self.format != "tiktok_affiliate" else -1
        times = [
            (index[column.name], TimeReader(self._zone, month_first=self._month_first))
            for column in self._spec.columns
            if column.kind == "time" and index.get(column.name, -1) >= 0
        ]
        seekable = (
            range_rows is not None and isinstance(self._source, CsvSource) and self._source.seekable
        )
        try:
            return self._scan(
                self._offset_rows() if seekable else self._plain_rows(),
                header_row=header_row,
                order_position=order_position,
                created_position=created_position,
                times=times,
                range_rows=range_rows,
            )
        except UnseekableRecords:
            return self._scan(
                self._plain_rows(),
                header_row=header_row,
                order_position=order_position,
                created_position=created_position,
                times=times,
                range_rows=range_rows,
            )

    def _plain_rows(self) -> Iterator[tuple[int, list[Cell], bool, int | None]]:
        for number, cells, bad in self._source.rows():
            yield number, cells, bad >= 0, None

    def _offset_rows(self) -> Iterator[tuple[int, list[Cell], bool, int | None]]:
        assert isinstance(self._source, CsvSource)
        for number, cells, bad, offset in self._source.offset_rows():
            yield number, list(cells), bad, offset

    @staticmethod
    def _scan(
        rows: Iterable[tuple[int, list[Cell], bool, int | None]],
        *,
        header_row: int,
        order_position: int,
        created_position: int,
        times: list[tuple[int, TimeReader]],
        range_rows: int | None,
    ) -> ExportScan:
        newest: dt.datetime | None = None
        data_rows = 0
        # Starts (row number, byte offset) of the ranges; each ends before the next starts.
        starts: list[tuple[int, int | None]] = []
        in_range = 0
        last_order = order = ""
        last_raw: Cell = None
        last_row = 0
        first_data_row = True
        for number, cells, bad, offset in rows:
            if number <= header_row or not cells or not any(cells):
                continue
            if first_data_row:
                first_data_row = False
                if _is_description_row(cells, order_position):
                    continue
            data_rows += 1
            last_row = number
            width = len(cells)
            raw = cells[order_position] if 0 <= order_position < width else None
            if raw != last_raw:
                last_raw = raw
                try:
                    order = parse_id(raw)
                except (ValueError, TypeError):
                    order = ""
            if range_rows is not None:
                if not starts:
                    # The first range is read from the file's start (no offset needed).
                    starts.append((number, None))
                elif in_range >= range_rows and order and not bad and order != last_order:
                    starts.append((number, offset))
                    in_range = 0
                in_range += 1
            if bad or not order:
                continue  # a row error: no order id, no times
            last_order = order
            try:
                moments = {
                    position: reader[cells[position]]
                    for position, reader in times
                    if position < width
                }
            except (ValueError, ArithmeticError, TypeError):
                continue  # the converter refuses the row for this cell
            if created_position >= 0 and moments.get(created_position) is None:
                continue  # an order line without its creation time is refused
            for moment in moments.values():
                if moment is not None and (newest is None or moment > newest):
                    newest = moment
        ranges = tuple(
            RowRange(
                start_row=start,
                end_row=starts[position + 1][0] - 1 if position + 1 < len(starts) else last_row,
                start_offset=start_offset,
            )
            for position, (start, start_offset) in enumerate(starts)
        )
        return ExportScan(data_rows=data_rows, last_row=last_row, newest=newest, ranges=ranges)

    def _header_at(self, position: int) -> str:
        headers = self._detection.headers
        return headers[position] if 0 <= position < len(headers) else f"column {position + 1}"

    def _diagnose(self, number: int, cells: list[Cell], error: Exception) -> RowError:
        """Find the cell that made a row fail by parsing its cells one at a time."""
        index = self._detection.index
        for column in self._spec.columns:
            position = index.get(column.name, -1)
            if position < 0:
                continue
            raw = cells[position]
            try:
                if column.kind == "time":
                    parse_local_datetime(raw, month_first=self._month_first)
                else:
                    _PARSERS[column.kind](raw)
            except (ValueError, ArithmeticError, TypeError) as cell_error:
                return RowError(number, self._header_at(position), _shown(raw), str(cell_error))
        return RowError(number, "", "", f"the row cannot be read ({error})")


def _shown(value: object) -> str:
    """Return a cell value as shown in an error report: trimmed, never huge."""
    if value is None:
        return ""
    text = str(value).strip()
    if len(text) > _SHOWN_VALUE_LENGTH:
        return text[:_SHOWN_VALUE_LENGTH] + "…"
    return text


def _is_description_row(cells: list[Cell], order_position: int) -> bool:
    """Return whether a row describes the columns (TikTok XLSX) instead of holding an order."""
    if order_position < 0 or order_position >= len(cells):
        return False
    value = cells[order_position]
    return isinstance(value, str) and " " in value.strip()


def _binary_handle(source: ExportSource, limit: int) -> tuple[IO[bytes], bool]:
    """Return a seekable binary file for ``source`` and whether it was opened here."""
    if isinstance(source, (str, os.PathLike)):
        return open(source, "rb"), True  # noqa: SIM115 (closed by ExportReader.close)
    if isinstance(source, (bytes, bytearray, memoryview)):
        return io.BytesIO(bytes(source)), True
    if not hasattr(source, "read"):
        raise TypeError("open_export() needs a path or a binary file object")
    if isinstance(source, io.TextIOBase):
        raise TypeError("open_export() needs a file opened in binary mode")
    seekable = getattr(source, "seekable", None)
    if seekable is not None and seekable():
        return source, False
    # A stream that cannot seek is spooled (to disk past 8 MiB), never read past the limit.
    spooled = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    copied = 0
    while chunk := source.read(1024 * 1024):
        copied += len(chunk)
        if copied > limit:
            spooled.close()
            raise ImportRefused(_too_large(limit))
        spooled.write(chunk)
    spooled.seek(0)
    return spooled, True


def _too_large(limit: int) -> str:
    return f"The file is larger than the {limit / 1024 / 1024:,.0f} MB accepted."


def _candidate_rows(source: CsvSource | XlsxSource) -> list[tuple[int, list[str]]]:
    """Return the first non-blank rows, as text, where the header may be."""
    rows = source.rows()
    try:
        return [
            (number, ["" if cell is None else str(cell) for cell in cells])
            for number, cells, _bad in itertools.islice(rows, _HEADER_SEARCH_ROWS)
            if cells and any(cell not in (None, "") for cell in cells)
        ]
    finally:
        rows.close()


def open_export(
    path_or_file: ExportSource,
    *,
    time_zone: str,
    default_currency: str | None = None,
    max_bytes: int | None = None,
    column_mapping: Mapping[str, str] | None = None,
    expected_platform: str | None = None,
    month_first: bool = False,
) -> ExportReader:
    """Check an uploaded export, recognise its layout and return a reader for its rows.

    ``path_or_file`` is a path, bytes, or a binary file object (left open; a stream that cannot
    seek is spooled first). ``time_zone`` (a zoneinfo name) is the zone of the naive times in
    the file. ``default_currency`` is the channel's currency, used when the file does not say
    it. ``max_bytes`` limits the file size (``None``: ``DEFAULT_MAX_BYTES``, 1 GiB).
    ``column_mapping`` (``{canonical field: header}``) reads a file of another platform with a
    saved mapping. ``expected_platform`` refuses files of any other platform. ``month_first``
    reads ambiguous slashed dates as month/day (US shops without AM/PM).

    Raises ``ImportRefused`` at once for oversized, binary, hostile, damaged or unrecognised
    files, before any row is read; nothing else about the rows is checked until
    ``iter_items``.
    """
    zone = ZoneInfo(time_zone)
    limit = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
    handle, owned = _binary_handle(path_or_file, limit)
    source: CsvSource | XlsxSource | None = None
    try:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        handle.seek(0)
        if size == 0:
            raise ImportRefused("The file is empty.")
        if size > limit:
            raise ImportRefused(_too_large(limit))
        kind = sniff_kind(handle.read(8))
        if kind == "xlsx":
            check_xlsx(handle)
            source = XlsxSource(handle, size)
        else:
            source = CsvSource(handle, size)
            check_csv_bytes(handle, utf16=source.is_utf16)
        if column_mapping is not None:
            formats: tuple[ExportFormat, ...] = (generic_format(column_mapping),)
            expected_platform = None
        else:
            formats = FORMATS
        detection = _detect(source, formats, expected_platform)
        return ExportReader(
            spec=detection.format,
            detection=detection,
            source=source,
            handle=handle,
            owns_handle=owned,
            zone=zone,
            default_currency=default_currency,
            month_first=month_first,
        )
    except BaseException:
        if isinstance(source, XlsxSource):
            source.close()
        if owned:
            handle.close()
        raise


def _detect(
    source: CsvSource | XlsxSource,
    formats: tuple[ExportFormat, ...],
    expected_platform: str | None,
) -> Detection:
    """Find the layout; in a workbook, in the first worksheet that holds a known one."""
    if isinstance(source, CsvSource):
        return detect_format(_candidate_rows(source), formats, expected_platform=expected_platform)
    first_refusal: ImportRefused | None = None
    for title in source.sheet_names:
        source.use_sheet(title)
        try:
            return detect_format(
                _candidate_rows(source), formats, expected_platform=expected_platform
            )
        except ImportRefused as refusal:
            first_refusal = first_refusal or refusal
    if first_refusal is None:
        raise ImportRefused("The workbook has no worksheet.")
    source.use_sheet(source.sheet_names[0])
    raise first_refusal
