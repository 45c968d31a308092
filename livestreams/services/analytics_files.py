"""Reading the platforms' live analytics exports (#13): TikTok LIVE analytics workbooks, Douyin
live review workbooks, and any CSV or XLSX whose columns staff name themselves.

One row per live: a month of a channel is a few dozen rows, so a file is read whole, in
memory, with firm limits on its size. Cells are read from text (CSV) or from what openpyxl
gives (numbers, times, durations); every parser raises ValueError with a short reason that
the import shows beside the row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeAlias
from zoneinfo import ZoneInfo

# openpyxl ships no types (and types-openpyxl is not a dependency): its objects are Any here.
import openpyxl  # type: ignore[import-untyped]
from django.utils.translation import gettext as _

from .metrics import FIGURE_FIELDS

Cell: TypeAlias = (
    str | int | float | Decimal | dt.datetime | dt.date | dt.time | dt.timedelta | None
)

# A live analytics file has one row per live (a month of a channel is a few KB); a bigger one
# is not such a file. Kept under Django's 2.5 MB form limit once base64-encoded, since a file
# whose columns staff must name travels back with the columns form.
MAX_BYTES = 1024 * 1024
MAX_ROWS = 5000
# A workbook from a platform unpacks to a few hundred KB; far more is a zip bomb.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ZIP_MEMBERS = 200
# Banner rows (title, date range) stand above the header of TikTok's workbook.
HEADER_SEARCH_ROWS = 10

LAUNCHED_AT = "launched_at"
# The columns a file may give: its launch time and the audience figures SessionMetrics holds.
COLUMNS = (LAUNCHED_AT, *FIGURE_FIELDS)


class Layout(StrEnum):
    TIKTOK_LIVE = "tiktok_live"
    DOUYIN_REVIEW = "douyin_review"
    MAPPED = "mapped"


# Header (normalised: NFKC, lower case, single spaces) -> column, per documented layout
# (../shared/formats/README.md, "Live analytics exports"). Douyin's full header is not
# documented: its start time and the interaction columns are the names its live review
# commonly uses, and where a file differs staff name the columns themselves.
HEADERS: dict[Layout, dict[str, str]] = {
    Layout.TIKTOK_LIVE: {
        "launched time": LAUNCHED_AT,
        "views": "views",
        "viewers": "unique_viewers",
        "pcu": "peak_concurrent_viewers",
        "acu": "average_concurrent_viewers",
        "likes": "likes",
        "comments": "comments",
        "shares": "shares",
        "new followers": "new_followers",
        "product clicks": "product_clicks",
        "avg. viewing duration": "average_watch_seconds",
    },
    Layout.DOUYIN_REVIEW: {
        "开播时间": LAUNCHED_AT,
        "直播开始时间": LAUNCHED_AT,
        "观看次数": "views",
        "直播间观看人数": "unique_viewers",
        "最高在线人数": "peak_concurrent_viewers",
        "平均在线人数": "average_concurrent_viewers",
        "点赞次数": "likes",
        "评论次数": "comments",
        "分享次数": "shares",
        "新增粉丝数": "new_followers",
        "商品点击人数": "product_clicks",
        "人均观看时长": "average_watch_seconds",
    },
}
# Two known headers in one row make it the header row of that layout.
MIN_KNOWN_HEADERS = 2

EMPTY_MARKERS = frozenset({"", "-", "--", "—", "–", "n/a", "na", "null", "none"})


class AnalyticsFileRefused(Exception):
    """The file cannot be read at all (not a table, too big, damaged); `message` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ColumnsNeeded(Exception):
    """The layout is not recognised (or lacks a launch time): staff must say which column is
    which. `headers` are the file's column names, `guess` the columns recognised so far."""

    def __init__(self, headers: list[str], guess: dict[str, str], message: str) -> None:
        super().__init__(message)
        self.headers = headers
        self.guess = guess
        self.message = message


@dataclass
class AnalyticsRow:
    """One live of the file: its launch time (aware) and the figures it gives (None where the
    cell is empty), or the reasons it could not be read."""

    number: int
    launched_at: dt.datetime | None = None
    figures: dict[str, int | None] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@dataclass
class AnalyticsFile:
    layout: Layout
    columns: dict[str, str]  # column (LAUNCHED_AT or a figure) -> the file's header
    rows: list[AnalyticsRow]


def normalise_header(value: Cell) -> str:
    text = unicodedata.normalize("NFKC", str(value or "")).strip().lower()
    return " ".join(text.split()).rstrip(":")


# --- single values


def _text(value: Cell) -> str | None:
    """The cell as stripped text, None when it says "nothing"."""
    text = unicodedata.normalize("NFKC", str(value)).strip().strip("\t").strip()
    return None if text.lower() in EMPTY_MARKERS else text


_MULTIPLIERS = {"万": 10_000, "w": 10_000, "亿": 100_000_000, "千": 1000, "k": 1000, "m": 1_000_000}


def _decimal(text: str, *, grouping_allowed: bool) -> Decimal:
    """A number written with either comma or dot for thousands or decimals (`12,345`,
    `1.234.567`, `1,5`, `1.2`). One separator followed by exactly three digits groups
    thousands when the value is a count."""
    text = text.replace(" ", "").replace("\u202f", "").replace("'", "")
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        text = text.replace(group_mark, "").replace(decimal_mark, ".")
    else:
        for mark in (",", "."):
            if mark not in text:
                continue
            head, _sep, tail = text.rpartition(mark)
            if text.count(mark) > 1 or (grouping_allowed and len(tail) == 3 and head):
                text = text.replace(mark, "")
            else:
                text = text.replace(mark, ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("“%(value)s” is not a number") % {"value": text}) from None
    if not number.is_finite():
        raise ValueError(_("“%(value)s” is not a number") % {"value": text})
    return number


def parse_count(value: Cell) -> int | None:
    """A count (views, likes...): `12,345`, `1.2万` (12,000), `3.4K`, a number cell; None
    when empty. Fractions (an average number of viewers) are rounded."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(_("“%(value)s” is not a number") % {"value": value})
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    elif isinstance(value, str):
        text = _text(value)
        if text is None:
            return None
        if text.endswith("%"):
            raise ValueError(_("“%(value)s” is a rate, not a count") % {"value": text})
        multiplier = _MULTIPLIERS.get(text[-1].lower(), 1)
        if multiplier != 1:
            text = text[:-1].strip()
        number = _decimal(text, grouping_allowed=multiplier == 1) * multiplier
    else:
        raise ValueError(_("“%(value)s” is not a number") % {"value": value})
    if number < 0:
        raise ValueError(_("“%(value)s” is negative") % {"value": value})
    return int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))


_DURATION_UNITS = {
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
    "小时": 3600,
    "时": 3600,
    "giờ": 3600,
    "m": 60,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "分钟": 60,
    "分": 60,
    "phút": 60,
    "s": 1,
    "sec": 1,
    "secs": 1,
    "second": 1,
    "seconds": 1,
    "秒": 1,
    "giây": 1,
}
_DURATION_PART = re.compile(r"(\d+(?:[.,]\d+)?)\s*([^\d\s.,]+)")


def parse_seconds(value: Cell) -> int | None:
    """A duration in seconds: `00:01:23`, `1:23`, `1m 23s`, `1分23秒`, `83` (seconds), or a
    time or duration cell; None when empty."""
    if value is None:
        return None
    if isinstance(value, dt.timedelta):
        return round(value.total_seconds())
    if isinstance(value, dt.time):
        return value.hour * 3600 + value.minute * 60 + value.second
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return parse_count(value)
    if not isinstance(value, str):
        raise ValueError(_("“%(value)s” is not a duration") % {"value": value})
    text = _text(value)
    if text is None:
        return None
    if ":" in text:
        parts = text.split(":")
        if len(parts) > 3 or not all(part.strip().isdigit() for part in parts):
            raise ValueError(_("“%(value)s” is not a duration") % {"value": text})
        seconds = 0
        for part in parts:
            seconds = seconds * 60 + int(part)
        return seconds
    if re.fullmatch(r"\d+(?:[.,]\d+)?", text):
        return parse_count(text)
    total = Decimal(0)
    rest = text.lower()
    for amount, unit in _DURATION_PART.findall(rest):
        if unit not in _DURATION_UNITS:
            raise ValueError(_("“%(value)s” is not a duration") % {"value": text})
        total += Decimal(amount.replace(",", ".")) * _DURATION_UNITS[unit]
    if not total and not _DURATION_PART.search(rest):
        raise ValueError(_("“%(value)s” is not a duration") % {"value": text})
    return int(total.quantize(Decimal(1), rounding=ROUND_HALF_UP))


_TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y.%m.%d %H:%M:%S",
    "%Y.%m.%d %H:%M",
    # Vietnamese and most of the world: day first.
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    # US shops: month first, with AM/PM.
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
)


def parse_launch_time(value: Cell, zone: ZoneInfo) -> dt.datetime:
    """When the live began, aware; a time without a zone is read in the channel's zone."""
    moment: dt.datetime | None = None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str) and (text := _text(value)) is not None:
        text = " ".join(text.replace("T", " ").split())
        for time_format in _TIME_FORMATS:
            try:
                moment = dt.datetime.strptime(text, time_format)
            except ValueError:
                continue
            break
        else:
            try:
                moment = dt.datetime.fromisoformat(text)
            except ValueError:
                raise ValueError(
                    _("“%(value)s” is not a date and time") % {"value": text}
                ) from None
    if moment is None:
        raise ValueError(_("The launch time is empty"))
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment


# --- files


def _check_workbook(content: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise AnalyticsFileRefused(_("The workbook is damaged and cannot be opened.")) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS or (
            sum(member.file_size for member in members) > MAX_UNPACKED_BYTES
        ):
            raise AnalyticsFileRefused(_("The workbook unpacks to far more than an export."))


def _workbook_rows(content: bytes) -> list[list[Cell]]:
    _check_workbook(content)
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(content), read_only=True, data_only=True, keep_links=False
        )
    except Exception as error:  # openpyxl raises many kinds for damaged files
        raise AnalyticsFileRefused(
            _("The workbook cannot be opened (%(error)s).") % {"error": error}
        ) from None
    try:
        sheet = workbook.worksheets[0]
        # Declared dimensions are what the file says of itself: ignored, as in order imports.
        sheet.reset_dimensions()
        rows = []
        for cells in sheet.iter_rows(max_row=MAX_ROWS + HEADER_SEARCH_ROWS + 1, values_only=True):
            rows.append(list(cells))
        return rows
    finally:
        workbook.close()


def _csv_rows(content: bytes) -> list[list[Cell]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Douyin's tools sometimes write GBK; GB 18030 reads it and every other character.
        try:
            text = content.decode("gb18030")
        except UnicodeDecodeError:
            raise AnalyticsFileRefused(_("The file is neither UTF-8 nor GBK text.")) from None
    if "\x00" in text:
        raise AnalyticsFileRefused(_("The file is not a CSV or XLSX table."))
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [list(row) for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as error:
        raise AnalyticsFileRefused(
            _("The CSV cannot be read (%(error)s).") % {"error": error}
        ) from None


# Files staff may pick by mistake, refused by their first bytes rather than read as text.
_NOT_TABLES = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")


def read_rows(content: bytes) -> list[list[Cell]]:
    """Every row of the file (the first sheet of a workbook), as cells."""
    if len(content) > MAX_BYTES:
        raise AnalyticsFileRefused(
            _("The file is larger than %(size)d MB: a live analytics export is far smaller.")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )
    if content.startswith(b"PK\x03\x04"):
        rows = _workbook_rows(content)
    elif content.startswith(_NOT_TABLES):
        raise AnalyticsFileRefused(_("The file is not a CSV or XLSX table."))
    elif content.startswith(b"\xd0\xcf\x11\xe0"):
        raise AnalyticsFileRefused(
            _("Old Excel .xls workbooks cannot be read: save the file as .xlsx or .csv.")
        )
    else:
        rows = _csv_rows(content)
    if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
        raise AnalyticsFileRefused(
            _("The file has more than %(rows)d rows: a live analytics export has one per live.")
            % {"rows": MAX_ROWS}
        )
    return rows


def _filled(row: list[Cell]) -> list[str]:
    return [str(cell).strip() for cell in row if cell is not None and str(cell).strip()]


def _recognise(rows: list[list[Cell]]) -> tuple[int, Layout, dict[str, int]] | None:
    """The header row, its layout and the column of each field, when a documented layout is
    found among the first rows."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = [normalise_header(cell) for cell in row]
        best: tuple[int, Layout, dict[str, int]] | None = None
        for layout, known in HEADERS.items():
            positions: dict[str, int] = {}
            for position, name in enumerate(names):
                column = known.get(name)
                if column is not None and column not in positions:
                    positions[column] = position
            if len(positions) >= MIN_KNOWN_HEADERS and (
                best is None or len(positions) > len(best[2])
            ):
                best = (index, layout, positions)
        if best is not None:
            return best
    return None


def _header_row_for_mapping(rows: list[list[Cell]], columns: dict[str, str]) -> int | None:
    wanted = {normalise_header(name) for name in columns.values()}
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if wanted <= {normalise_header(cell) for cell in row}:
            return index
    return None


def _likely_header_row(rows: list[list[Cell]]) -> int:
    """For a file nobody recognised: the first row with three or more names (banner rows
    above a header hold one or two), else the first row with anything in it."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if len(_filled(row)) >= 3:
            return index
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if _filled(row):
            return index
    raise AnalyticsFileRefused(_("The file is empty."))


def _headers(row: list[Cell]) -> list[str]:
    seen: list[str] = []
    for cell in row:
        name = str(cell).strip() if cell is not None else ""
        if name and name not in seen:
            seen.append(name)
    return seen


def read_analytics(
    content: bytes, *, zone: ZoneInfo, columns: dict[str, str] | None = None
) -> AnalyticsFile:
    """The lives of an analytics export. With `columns` (field -> the file's header, from
    staff) the file is read that way; without, a documented layout must be recognised, else
    ColumnsNeeded says what the file holds. AnalyticsFileRefused for what is no table."""
    rows = read_rows(content)
    if columns:
        unknown = set(columns) - set(COLUMNS)
        if unknown:
            raise ValueError(f"Unknown columns {sorted(unknown)}.")
        header_index = _header_row_for_mapping(rows, columns)
        if header_index is None:
            headers = _headers(rows[_likely_header_row(rows)])
            raise ColumnsNeeded(
                headers, {}, _("The columns chosen are not all in this file: choose again.")
            )
        names = [normalise_header(cell) for cell in rows[header_index]]
        positions = {
            column: names.index(normalise_header(header)) for column, header in columns.items()
        }
        layout = Layout.MAPPED
    else:
        recognised = _recognise(rows)
        if recognised is None:
            headers = _headers(rows[_likely_header_row(rows)])
            raise ColumnsNeeded(
                headers,
                {},
                _("This is not a layout we know: say which column holds what."),
            )
        header_index, layout, positions = recognised
        header_row = rows[header_index]
        if LAUNCHED_AT not in positions:
            raise ColumnsNeeded(
                _headers(header_row),
                {
                    column: str(header_row[position]).strip()
                    for column, position in positions.items()
                },
                _("The file gives no launch time we know: say which column holds it."),
            )
    header_row = rows[header_index]
    found = {column: str(header_row[position]).strip() for column, position in positions.items()}
    lives = [
        _read_row(number, row, positions, zone)
        for number, row in enumerate(rows[header_index + 1 :], start=header_index + 2)
        if _filled(row)
    ]
    return AnalyticsFile(layout=layout, columns=found, rows=lives)


def _read_row(
    number: int, row: list[Cell], positions: dict[str, int], zone: ZoneInfo
) -> AnalyticsRow:
    result = AnalyticsRow(number=number)
    for column, position in positions.items():
        value = row[position] if position < len(row) else None
        try:
            if column == LAUNCHED_AT:
                result.launched_at = parse_launch_time(value, zone)
            elif column == "average_watch_seconds":
                result.figures[column] = parse_seconds(value)
            else:
                result.figures[column] = parse_count(value)
        except ValueError as error:
            result.errors.append(f"{column}: {error}")
    return result
