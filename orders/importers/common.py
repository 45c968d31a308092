"""Small helpers shared by the row converters of every format.

They exist for speed as much as for reuse: values that repeat down a file (order-level times on
every line of an order, product names, provinces, statuses) are parsed once and remembered.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Hashable
from decimal import Decimal
from typing import TypeVar
from zoneinfo import ZoneInfo

from .base import RowProblem
from .values import UTC, Cell, header_key, parse_local_datetime, to_utc

__all__ = [
    "LineIds",
    "Memo",
    "TimeReader",
    "cached",
    "content_type_of",
    "derived_line_id",
    "require_time",
    "unit_value",
]

_CACHE_LIMIT = 16384
_RECENT_LIMIT = 256

_K = TypeVar("_K", bound=Hashable)
_V = TypeVar("_V")


class TimeReader(dict[Cell, "dt.datetime | None"]):
    """Parse one time column into aware UTC times, used as ``reader[raw]``.

    Order-level times repeat on every line of an order and empty times on most rows, so parsed
    values are kept in a small memo that is emptied when full (only recent values matter).
    Naive times are converted with the zone's offset, computed once per year when the zone
    keeps one offset all year (Vietnam, China): a subtraction instead of a zone lookup per cell.
    """

    __slots__ = ("_fixed_offsets", "month_first", "zone")

    def __init__(self, zone: ZoneInfo, *, month_first: bool = False) -> None:
        super().__init__()
        self.zone = zone
        self.month_first = month_first
        self._fixed_offsets: dict[int, dt.timedelta | None] = {}

    def __missing__(self, raw: Cell) -> dt.datetime | None:
        moment = parse_local_datetime(raw, month_first=self.month_first)
        if moment is not None:
            if moment.tzinfo is None:
                year = moment.year
                try:
                    offset = self._fixed_offsets[year]
                except KeyError:
                    offset = self._fixed_offsets[year] = _fixed_offset(self.zone, year)
                if offset is None:
                    moment = to_utc(moment, self.zone)
                else:
                    moment = (moment - offset).replace(tzinfo=UTC)
            else:
                moment = moment.astimezone(UTC)
        if len(self) >= _RECENT_LIMIT:
            self.clear()
        self[raw] = moment
        return moment


def _fixed_offset(zone: ZoneInfo, year: int) -> dt.timedelta | None:
    """Return the zone's UTC offset if it is the same all ``year``, else ``None``.

    Sampled on the 1st and 15th of every month: daylight saving time and Ramadan suspensions
    last weeks, so any change of offset shows in the samples.
    """
    if not 1 <= year <= 9998:
        return None
    offsets = {
        zone.utcoffset(dt.datetime(year, month, day)) for month in range(1, 13) for day in (1, 15)
    }
    return offsets.pop() if len(offsets) == 1 else None


class Memo(dict[_K, _V]):
    """A bounded memo of a one-argument parser, used as ``memo[raw]``.

    Values repeat down an export (product names, provinces, statuses, prices, quantities): a
    dict lookup replaces the parse. Past ``limit`` entries new values are parsed but not kept,
    so memory stays bounded whatever the file.
    """

    __slots__ = ("limit", "parse")

    def __init__(self, parse: Callable[[_K], _V], limit: int = _CACHE_LIMIT) -> None:
        super().__init__()
        self.parse = parse
        self.limit = limit

    def __missing__(self, raw: _K) -> _V:
        value = self.parse(raw)
        if len(self) < self.limit:
            self[raw] = value
        return value


def cached(function: Callable[[_K], _V], limit: int = _CACHE_LIMIT) -> Memo[_K, _V]:
    """Return a ``Memo`` of ``function`` (``cached(clean_text)``: cell text, trimmed and NFC)."""
    return Memo(function, limit)


class LineIds:
    """Make line ids unique inside an order, whose lines follow one another in exports.

    A second line with the same key in one order (the same SKU sold at two prices, a free gift)
    gets ``#2``, ``#3``... in file order, which is stable between exports of the same orders.
    """

    __slots__ = ("_order", "_seen")

    def __init__(self) -> None:
        self._order: str | None = None
        self._seen: set[str] = set()

    def __call__(self, order_id: str, line_id: str) -> str:
        if order_id != self._order:
            self._order = order_id
            self._seen = {line_id}
            return line_id
        if line_id not in self._seen:
            self._seen.add(line_id)
            return line_id
        number = 2
        while f"{line_id}#{number}" in self._seen:
            number += 1
        unique = f"{line_id}#{number}"
        self._seen.add(unique)
        return unique


def derived_line_id(*parts: str) -> str:
    """Return a short stable key for a line whose export gives no line identifier."""
    text = "\x1f".join(header_key(part) for part in parts)
    return "k" + hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:20]


_CONTENT_TYPES = {
    header_key(raw): kind
    for raw, kind in {
        "live": "live",
        "livestream": "live",
        "live stream": "live",
        "live streaming": "live",
        "phát trực tiếp": "live",
        "trực tiếp": "live",
        "直播": "live",
        "video": "video",
        "short video": "video",
        "短视频": "video",
        "视频": "video",
        "showcase": "showcase",
        "product card": "showcase",
        "product showcase": "showcase",
        "shop tab": "showcase",
        "trưng bày": "showcase",
        "thẻ sản phẩm": "showcase",
        "tủ trưng bày": "showcase",
        "商品卡": "showcase",
        "橱窗": "showcase",
    }.items()
}


def content_type_of(raw: str) -> str:
    """Return ``live``, ``video``, ``showcase``, ``other`` or ``""`` for a content type cell."""
    key = header_key(raw)
    if not key:
        return ""
    kind = _CONTENT_TYPES.get(key)
    if kind:
        return kind
    if "live" in key or "直播" in key or "trực tiếp" in key:
        return "live"
    if "video" in key:
        return "video"
    return "other"


def require_time(value: dt.datetime | None, field_name: str, raw: object) -> dt.datetime:
    """Return ``value``, or refuse the row when a required time is empty."""
    if value is None:
        raise RowProblem(field_name, raw, "the time is empty")
    return value


def unit_value(line_value: Decimal, quantity: int) -> Decimal:
    """Return the value of one unit of a line (for a missing unit price)."""
    if quantity > 0:
        return line_value / quantity
    return line_value
