"""TikTok Shop order export (Seller Center > Orders > Export), CSV or XLSX.

One row per SKU line; order-level columns repeat on every line. Headers are English whatever
the UI language, statuses follow the UI language. ``(Order ID, SKU ID)`` identifies a line.
``Order Refund Amount`` holds the refund of the line it is on (the whole line for a cancelled
order), so it is read as the line's refund. Only 2026 exports carry a creator link
(``Order Channel``, ``Creator Handle``); the live room id comes from the affiliate export.
"""

from __future__ import annotations

from . import statuses
from .base import Column, ConvertContext, Converter, ExportFormat, OrderLine, RowProblem
from .common import LineIds, Memo, TimeReader, cached, content_type_of, require_time, unit_value
from .values import Cell, clean_text, parse_count, parse_id, parse_money

__all__ = ["TIKTOK_ORDERS"]

COLUMNS = (
    Column("order_id", ("Order ID",), "id"),
    Column("order_status", ("Order Status",)),
    Column("order_substatus", ("Order Substatus",)),
    Column("return_type", ("Cancelation/Return Type", "Cancellation/Return Type")),
    Column("sku_id", ("SKU ID",), "id"),
    Column("seller_sku", ("Seller SKU",), "id"),
    Column("product_name", ("Product Name",)),
    Column("variation", ("Variation",)),
    Column("quantity", ("Quantity",), "count"),
    Column("returned_quantity", ("Sku Quantity of return", "SKU Quantity of Return"), "count"),
    Column("unit_price", ("SKU Unit Original Price",), "money"),
    Column("subtotal_before_discount", ("SKU Subtotal Before Discount",), "money"),
    Column("platform_discount", ("SKU Platform Discount",), "money"),
    Column("seller_discount", ("SKU Seller Discount",), "money"),
    Column("line_value", ("SKU Subtotal After Discount",), "money"),
    Column("shipping_fee", ("Shipping Fee After Discount",), "money"),
    Column("order_amount", ("Order Amount",), "money"),
    Column("refund_amount", ("Order Refund Amount",), "money"),
    Column("created_at", ("Created Time",), "time"),
    Column("paid_at", ("Paid Time",), "time"),
    Column("shipped_at", ("Shipped Time",), "time"),
    Column("delivered_at", ("Delivered Time",), "time"),
    Column("cancelled_at", ("Cancelled Time",), "time"),
    Column("cancel_reason", ("Cancel Reason",)),
    Column("shipping_provider", ("Shipping Provider Name",)),
    Column("buyer_ref", ("Buyer Username", "Buyer Nickname")),
    Column("province", ("Province", "State")),
    Column("city", ("District", "Regency and City", "City", "Districts")),
    Column("payment_method", ("Payment Method",)),
    Column("order_channel", ("Order Channel",)),
    Column("creator_handle", ("Creator Handle", "Creator Username")),
    Column("live_room_id", ("LIVE ID", "Live Room ID", "LIVE Room ID"), "id"),
)
REQUIRED = ("order_id", "order_status", "sku_id", "quantity", "line_value", "created_at")

_ADVANCED = {"paid": "shipped", "shipped": "delivered"}


def _order_status(raw_status: str, raw_substatus: str) -> str:
    """Return the normalised status of an order from its status and substatus."""
    status = statuses.lookup(statuses.TIKTOK_STATUSES, raw_status)
    if status is None:
        # Kept, not dropped: staff map the raw text once (orders.services.statuses).
        return statuses.UNKNOWN
    substatus = statuses.lookup(statuses.TIKTOK_SUBSTATUSES, raw_substatus)
    # "Completed / Delivered" is delivered and still open to returns; "Completed / Completed"
    # is final. A substatus one step ahead of the status (shipped, delivered) wins too.
    if status == "completed" and substatus == "delivered":
        return "delivered"
    if substatus is not None and _ADVANCED.get(status) == substatus:
        return substatus
    return status


def make_converter(ctx: ConvertContext) -> Converter:
    """Return the function turning one TikTok row into an ``OrderLine``."""
    at = ctx.at
    i_order, i_status, i_sub, i_return = (
        at("order_id"),
        at("order_status"),
        at("order_substatus"),
        at("return_type"),
    )
    i_sku, i_seller_sku, i_name, i_variation = (
        at("sku_id"),
        at("seller_sku"),
        at("product_name"),
        at("variation"),
    )
    i_quantity, i_returned = at("quantity"), at("returned_quantity")
    i_unit, i_before, i_platform, i_seller, i_value = (
        at("unit_price"),
        at("subtotal_before_discount"),
        at("platform_discount"),
        at("seller_discount"),
        at("line_value"),
    )
    i_shipping, i_amount, i_refund = at("shipping_fee"), at("order_amount"), at("refund_amount")
    i_created, i_paid, i_shipped, i_delivered, i_cancelled = (
        at("created_at"),
        at("paid_at"),
        at("shipped_at"),
        at("delivered_at"),
        at("cancelled_at"),
    )
    i_reason, i_provider, i_buyer = at("cancel_reason"), at("shipping_provider"), at("buyer_ref")
    i_province, i_city, i_payment = at("province"), at("city"), at("payment_method")
    i_channel, i_creator, i_live = at("order_channel"), at("creator_handle"), at("live_room_id")

    zone, month_first = ctx.zone, ctx.month_first
    created_time = TimeReader(zone, month_first=month_first)
    paid_time = TimeReader(zone, month_first=month_first)
    shipped_time = TimeReader(zone, month_first=month_first)
    delivered_time = TimeReader(zone, month_first=month_first)
    cancelled_time = TimeReader(zone, month_first=month_first)
    text = cached(clean_text)
    money = cached(parse_money)
    count = cached(parse_count)
    ids = cached(parse_id)
    channel_kind: Memo[Cell, str] = cached(lambda raw: content_type_of(clean_text(raw)))
    status_of: Memo[tuple[str, str], str] = cached(lambda key: _order_status(*key))
    return_kind: Memo[Cell, str | None] = cached(
        lambda raw: statuses.lookup(statuses.TIKTOK_RETURN_TYPES, clean_text(raw))
    )
    line_ids = LineIds()
    currency = ctx.currency or ctx.default_currency

    def convert(row_number: int, row: list[Cell]) -> OrderLine:
        order_id = parse_id(row[i_order])
        if not order_id:
            raise RowProblem("order_id", row[i_order], "the order ID is empty")
        sku_id = ids[row[i_sku]]
        seller_sku = ids[row[i_seller_sku]]
        product_name = text[row[i_name]]
        quantity = count[row[i_quantity]]
        returned_quantity = count[row[i_returned]]
        before = money[row[i_before]]
        platform_discount = money[row[i_platform]]
        seller_discount = money[row[i_seller]]
        line_value = money[row[i_value]]
        unit_price = money[row[i_unit]]
        if line_value is None:
            if before is None and unit_price is not None:
                before = unit_price * quantity
            if before is None:
                raise RowProblem("line_value", row[i_value], "the line amount is empty")
            line_value = before - (platform_discount or 0) - (seller_discount or 0)
        if unit_price is None:
            unit_price = unit_value(before if before is not None else line_value, quantity)
        refund = money[row[i_refund]]
        raw_status = text[row[i_status]]
        status = status_of[(raw_status, text[row[i_sub]])]
        if (
            status != "cancelled"
            and (returned_quantity or (refund is not None and refund > 0))
            and return_kind[row[i_return]] == "return"
        ):
            status = "returned"
        raw_created = row[i_created]
        return OrderLine(
            platform="tiktok_shop",
            row_number=row_number,
            order_id=order_id,
            line_id=line_ids(order_id, sku_id or seller_sku or product_name),
            sku_id=sku_id,
            seller_sku=seller_sku,
            product_name=product_name,
            variation=text[row[i_variation]],
            quantity=quantity,
            returned_quantity=returned_quantity,
            unit_price=unit_price,
            line_value=line_value,
            refund_amount=refund,
            raw_status=raw_status,
            status=status,
            created_at=require_time(created_time[raw_created], "created_at", raw_created),
            paid_at=paid_time[row[i_paid]],
            cancelled_at=cancelled_time[row[i_cancelled]],
            currency=currency,
            buyer_ref=text[row[i_buyer]],
            province=text[row[i_province]],
            city=text[row[i_city]],
            shipping_provider=text[row[i_provider]],
            live_room_id=ids[row[i_live]],
            creator_handle=text[row[i_creator]],
            content_type=channel_kind[row[i_channel]],
            order_amount=money[row[i_amount]],
            shipping_fee=money[row[i_shipping]],
            order_refund_amount=None,
            shipped_at=shipped_time[row[i_shipped]],
            delivered_at=delivered_time[row[i_delivered]],
            subtotal_before_discount=before,
            platform_discount=platform_discount,
            seller_discount=seller_discount,
            cancel_reason=text[row[i_reason]],
            payment_method=text[row[i_payment]],
        )

    return convert


TIKTOK_ORDERS = ExportFormat(
    code="tiktok_orders",
    platform="tiktok_shop",
    label="TikTok Shop orders",
    columns=COLUMNS,
    required=REQUIRED,
    make_converter=make_converter,
)
