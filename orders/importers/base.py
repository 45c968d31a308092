"""The canonical records every export is turned into, and the description of a file layout."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .values import Cell, nfc

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "PLATFORMS",
    "AffiliateLink",
    "Column",
    "ConvertContext",
    "ExportFormat",
    "ImportRefused",
    "Item",
    "OrderLine",
    "RowError",
    "RowProblem",
    "header_exact_key",
    "resolve_columns",
]

PLATFORMS = ("tiktok_shop", "douyin", "shopee", "lazada", "other")


class ImportRefused(Exception):
    """The whole file is refused; ``reason`` says why in one English sentence.

    For a file whose layout is not recognised, ``missing_columns`` names the columns of the
    closest known layout that the file lacks.
    """

    def __init__(self, reason: str, *, missing_columns: Sequence[str] = ()) -> None:
        super().__init__(reason)
        self.reason = reason
        self.missing_columns: list[str] = list(missing_columns)


class RowProblem(ValueError):
    """Raised by a row converter for a value that is readable but not acceptable."""

    def __init__(self, field_name: str, value: object, reason: str) -> None:
        super().__init__(reason)
        self.field_name = field_name
        self.value = value
        self.reason = reason


@dataclass(frozen=True, slots=True)
class OrderLine:
    """One line item of an order, the same whatever platform exported it.

    Money is in the currency of the channel (``currency`` when the file says it). Order-level
    values (``order_amount``, ``shipping_fee``, ``order_refund_amount``) repeat on every line of
    the order: never sum them across lines. Buyer names, phones and addresses are never read.
    """

    platform: str
    row_number: int
    order_id: str
    line_id: str
    sku_id: str
    seller_sku: str
    product_name: str
    variation: str
    quantity: int
    returned_quantity: int
    unit_price: Decimal | None
    line_value: Decimal
    refund_amount: Decimal | None
    raw_status: str
    status: str
    created_at: dt.datetime
    paid_at: dt.datetime | None = None
    cancelled_at: dt.datetime | None = None
    currency: str | None = None
    buyer_ref: str = ""
    province: str = ""
    city: str = ""
    shipping_provider: str = ""
    live_room_id: str = ""
    creator_handle: str = ""
    content_type: str = ""
    order_amount: Decimal | None = None
    shipping_fee: Decimal | None = None
    order_refund_amount: Decimal | None = None
    product_id: str = ""
    shipped_at: dt.datetime | None = None
    delivered_at: dt.datetime | None = None
    subtotal_before_discount: Decimal | None = None
    platform_discount: Decimal | None = None
    seller_discount: Decimal | None = None
    line_shipping_fee: Decimal | None = None
    creator_id: str = ""
    attribution_pending: bool = False
    cancel_reason: str = ""
    payment_method: str = ""
    # Units of a return request not granted yet (Shopee): never taken off net GMV.
    pending_return_quantity: int = 0


@dataclass(frozen=True, slots=True)
class AffiliateLink:
    """One line of a TikTok affiliate export: which content and creator sold an order line."""

    row_number: int
    order_id: str
    sku_id: str
    content_type: str
    content_id: str
    creator_handle: str
    product_id: str = ""
    seller_sku: str = ""
    quantity: int | None = None
    payment_amount: Decimal | None = None
    currency: str | None = None
    created_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class RowError:
    """A row that could not be read; the other rows of the file are still read."""

    row_number: int
    column: str
    value: str
    reason: str


Item = OrderLine | AffiliateLink | RowError


@dataclass(frozen=True, slots=True)
class Column:
    """A canonical field and the header names it has had across versions and languages.

    ``kind`` names the value parser (used to point at the culprit when a row fails):
    ``id``, ``text``, ``money``, ``count`` or ``time``.
    """

    name: str
    headers: tuple[str, ...]
    kind: str = "text"


@dataclass(slots=True)
class ConvertContext:
    """What a row converter needs to know about the file it reads."""

    index: dict[str, int]
    headers: list[str]
    zone: ZoneInfo
    currency: str | None
    default_currency: str | None
    month_first: bool = False
    options: Mapping[str, object] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        """Return whether the file has the column for field ``name``."""
        return self.index.get(name, -1) >= 0

    def at(self, name: str) -> int:
        """Return the position of field ``name``, or -1 (an always-empty cell) if absent."""
        return self.index.get(name, -1)


# Turns one data row (its number and its cells, padded to the header's width plus one empty
# cell at -1 for absent columns) into a record; raises RowProblem or ValueError for a bad row.
Converter = Callable[[int, list[Cell]], Item]


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """A known file layout: its columns, which are required, and how to read a row."""

    code: str
    platform: str
    label: str
    columns: tuple[Column, ...]
    required: tuple[str, ...]
    make_converter: Callable[[ConvertContext], Converter]
    # Alternatives: at least one field of each group must be present.
    required_any: tuple[tuple[str, ...], ...] = ()

    def column(self, name: str) -> Column:
        """Return the column description of field ``name``."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    def missing(self, index: Mapping[str, int]) -> list[str]:
        """Return the display names of the required columns that ``index`` lacks."""
        missing = [self.column(n).headers[0] for n in self.required if index.get(n, -1) < 0]
        for group in self.required_any:
            if all(index.get(n, -1) < 0 for n in group):
                missing.append(" or ".join(self.column(n).headers[0] for n in group))
        return missing


# A currency written as a header suffix: "Tổng giá trị đơn hàng (VND)", "Total Discount(PHP)".
_CURRENCY_SUFFIX = re.compile(r"\s*\(([A-Z]{3})\)\s*$")


def header_exact_key(header: object) -> str:
    """Return a header for exact comparison: NFC, trimmed, single-spaced, no currency suffix."""
    text = " ".join(nfc(str(header or "")).replace("\ufeff", "").split())
    text = _CURRENCY_SUFFIX.sub("", text)
    return text.rstrip("*").rstrip()


def header_currency(headers: Sequence[object]) -> str | None:
    """Return the currency named in header suffixes such as ``(VND)``, if any."""
    for header in headers:
        match = _CURRENCY_SUFFIX.search(nfc(str(header or "")))
        if match:
            return match.group(1)
    return None


def resolve_columns(headers: Sequence[object], columns: Sequence[Column]) -> dict[str, int]:
    """Map each field to the position of its header in ``headers``.

    Headers match by name, never by position: first exactly (after NFC and whitespace
    normalisation), then ignoring case. The exact pass first matters for Shopee files that hold
    two headers differing only in case (an order total and a per-line total).
    """
    exact: dict[str, int] = {}
    loose: dict[str, list[int]] = {}
    for position, header in enumerate(headers):
        key = header_exact_key(header)
        if not key:
            continue
        exact.setdefault(key, position)
        loose.setdefault(key.casefold(), []).append(position)
    index: dict[str, int] = {}
    used: set[int] = set()
    for column in columns:
        for alias in column.headers:
            found = exact.get(header_exact_key(alias))
            if found is not None and found not in used:
                index[column.name] = found
                used.add(found)
                break
    for column in columns:
        if column.name in index:
            continue
        for alias in column.headers:
            candidates = loose.get(header_exact_key(alias).casefold(), ())
            found = next((p for p in candidates if p not in used), None)
            if found is not None:
                index[column.name] = found
                used.add(found)
                break
    return index
