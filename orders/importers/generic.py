"""CSV or XLSX exports of other platforms, read through a mapping saved by staff.

The mapping names, for each canonical field, the header that holds it in the file:
``{"order_id": "Order No.", "created_at": "Date", "line_value": "Total", ...}``. It needs at
least ``order_id``, ``created_at`` and one of ``line_value`` / ``unit_price``. Statuses are read
with the union of every platform's table plus the plain English words; a file without a
status column is read as paid orders.
"""

from __future__ import annotations

from collections.abc import Mapping

from . import statuses
from .base import (
    Column,
    ConvertContext,
    Converter,
    ExportFormat,
    ImportRefused,
    OrderLine,
    RowProblem,
)
from .common import (
    LineIds,
    Memo,
    TimeReader,
    cached,
    content_type_of,
    derived_line_id,
    require_time,
)
from .values import Cell, clean_text, parse_amount, parse_count, parse_id, parse_money

__all__ = ["FIELD_KINDS", "generic_format"]

# The fields a mapping may name, with the parser each needs.
FIELD_KINDS = {
    "order_id": "id",
    "line_id": "id",
    "sku_id": "id",
    "seller_sku": "id",
    "product_id": "id",
    "product_name": "text",
    "variation": "text",
    "quantity": "count",
    "returned_quantity": "count",
    "unit_price": "money",
    "line_value": "money",
    "refund_amount": "money",
    "status": "text",
    "created_at": "time",
    "paid_at": "time",
    "cancelled_at": "time",
    "currency": "text",
    "buyer_ref": "text",
    "province": "text",
    "city": "text",
    "shipping_provider": "text",
    "live_room_id": "id",
    "creator_handle": "text",
    "content_type": "text",
    "order_amount": "money",
    "shipping_fee": "money",
    "order_refund_amount": "money",
}
REQUIRED = ("order_id", "created_at")
REQUIRED_ANY = (("line_value", "unit_price"),)


def generic_format(column_mapping: Mapping[str, str]) -> ExportFormat:
    """Return the layout described by a saved ``{canonical field: header}`` mapping."""
    unknown = sorted(set(column_mapping) - set(FIELD_KINDS))
    if unknown:
        raise ImportRefused(
            f"The column mapping names unknown fields: {', '.join(unknown)}. Known fields: "
            f"{', '.join(FIELD_KINDS)}."
        )
    columns = tuple(
        Column(name, (str(header),), FIELD_KINDS[name])
        for name, header in column_mapping.items()
        if header
    )
    mapped = {column.name for column in columns}
    missing = [name for name in REQUIRED if name not in mapped]
    if not mapped & {"line_value", "unit_price"}:
        missing.append("line_value or unit_price")
    if missing:
        raise ImportRefused(
            f"The column mapping must name a column for: {', '.join(missing)}.",
            missing_columns=missing,
        )
    return ExportFormat(
        code="generic",
        platform="other",
        label="CSV with a saved column mapping",
        columns=columns,
        required=tuple(sorted(mapped)),
        make_converter=make_converter,
    )


def _status(raw: str) -> str:
    status = statuses.lookup(statuses.GENERIC_STATUSES, raw)
    # Unknown ones are kept, not dropped: staff map the raw text once (orders.services.statuses).
    return statuses.UNKNOWN if status is None else status


def make_converter(ctx: ConvertContext) -> Converter:
    """Return the function turning one mapped row into an ``OrderLine``."""
    at = ctx.at
    i = {name: at(name) for name in FIELD_KINDS}
    times = {
        name: TimeReader(ctx.zone, month_first=ctx.month_first)
        for name in ("created_at", "paid_at", "cancelled_at")
    }
    text = cached(clean_text)
    money = cached(parse_money)
    count = cached(parse_count)
    ids = cached(parse_id)
    status_of = cached(_status)
    kind_of: Memo[Cell, str] = cached(lambda raw: content_type_of(clean_text(raw)))
    line_ids = LineIds()
    has_status, has_quantity = ctx.has("status"), ctx.has("quantity")

    def convert(row_number: int, row: list[Cell]) -> OrderLine:
        order_id = parse_id(row[i["order_id"]])
        if not order_id:
            raise RowProblem("order_id", row[i["order_id"]], "the order ID is empty")
        quantity = count[row[i["quantity"]]] if has_quantity else 1
        line_value, symbol_currency = parse_amount(row[i["line_value"]])
        unit_price, unit_currency = parse_amount(row[i["unit_price"]])
        if line_value is None:
            if unit_price is None:
                raise RowProblem("line_value", row[i["line_value"]], "the line amount is empty")
            line_value = unit_price * quantity
        if unit_price is None:
            unit_price = line_value / quantity if quantity else line_value
        raw_status = text[row[i["status"]]]
        status = status_of[raw_status] if has_status else "paid"
        returned_quantity = count[row[i["returned_quantity"]]]
        if status == "returned" and not returned_quantity:
            returned_quantity = quantity
        sku_id = ids[row[i["sku_id"]]]
        seller_sku = ids[row[i["seller_sku"]]]
        product_name = text[row[i["product_name"]]]
        variation = text[row[i["variation"]]]
        line_key = (
            parse_id(row[i["line_id"]])
            or sku_id
            or seller_sku
            or derived_line_id(product_name, variation)
        )
        raw_created = row[i["created_at"]]
        currency = (
            text[row[i["currency"]]].upper()
            or symbol_currency
            or unit_currency
            or ctx.currency
            or ctx.default_currency
        )
        return OrderLine(
            platform="other",
            row_number=row_number,
            order_id=order_id,
            line_id=line_ids(order_id, line_key),
            sku_id=sku_id,
            seller_sku=seller_sku,
            product_name=product_name,
            variation=variation,
            quantity=quantity,
            returned_quantity=returned_quantity,
            unit_price=unit_price,
            line_value=line_value,
            refund_amount=money[row[i["refund_amount"]]],
            raw_status=raw_status,
            status=status,
            created_at=require_time(times["created_at"][raw_created], "created_at", raw_created),
            paid_at=times["paid_at"][row[i["paid_at"]]],
            cancelled_at=times["cancelled_at"][row[i["cancelled_at"]]],
            currency=currency,
            buyer_ref=text[row[i["buyer_ref"]]],
            province=text[row[i["province"]]],
            city=text[row[i["city"]]],
            shipping_provider=text[row[i["shipping_provider"]]],
            live_room_id=ids[row[i["live_room_id"]]],
            creator_handle=text[row[i["creator_handle"]]],
            content_type=kind_of[row[i["content_type"]]],
            order_amount=money[row[i["order_amount"]]],
            shipping_fee=money[row[i["shipping_fee"]]],
            order_refund_amount=money[row[i["order_refund_amount"]]],
            product_id=ids[row[i["product_id"]]],
        )

    return convert
