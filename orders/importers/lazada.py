"""Lazada order export, XLSX, camelCase headers whatever the language.

One row per UNIT: ``orderItemId`` is the line id, every line has quantity 1, and an order line
of three units is three rows. ``orderNumber`` is the order. ``paidPrice`` is what the buyer paid
for the unit (the line value), ``unitPrice`` the price before discounts, discounts are negative.
``shippingFee`` and ``refundAmount`` belong to the item on whose row they are, so they are given
as ``line_shipping_fee`` and ``refund_amount``. Buyer names, phones and addresses fill a third
of the columns and are never read; there is no buyer id and no creator column.
"""

from __future__ import annotations

from . import statuses
from .base import Column, ConvertContext, Converter, ExportFormat, OrderLine, RowProblem
from .common import LineIds, TimeReader, cached, require_time
from .values import Cell, clean_text, parse_id, parse_money

__all__ = ["LAZADA_ORDERS"]

COLUMNS = (
    Column("line_id", ("orderItemId",), "id"),
    Column("product_id", ("lazadaId",), "id"),
    Column("seller_sku", ("sellerSku",), "id"),
    Column("sku_id", ("lazadaSku", "shopSku"), "id"),
    Column("created_at", ("createTime", "createdAt"), "time"),
    Column("order_id", ("orderNumber",), "id"),
    Column("delivered_at", ("deliveredDate",), "time"),
    Column("city", ("shippingCity",)),
    Column("province", ("shippingRegion", "shippingProvince")),
    Column("payment_method", ("payMethod",)),
    Column("line_value", ("paidPrice",), "money"),
    Column("unit_price", ("unitPrice",), "money"),
    Column("seller_discount", ("sellerDiscountTotal",), "money"),
    Column("platform_discount", ("platformDiscountTotal",), "money"),
    Column("line_shipping_fee", ("shippingFee",), "money"),
    Column("product_name", ("itemName",)),
    Column("variation", ("variation",)),
    Column("shipping_provider", ("shippingProvider",)),
    Column("order_status", ("status",)),
    Column("refund_amount", ("refundAmount",), "money"),
    Column("buyer_ref", ("buyerId", "customerId"), "id"),
    Column("currency", ("currency",)),
)
REQUIRED = ("line_id", "order_id", "created_at", "order_status", "product_name", "line_value")


def _status(raw_status: str) -> str:
    status = statuses.lookup(statuses.LAZADA_STATUSES, raw_status)
    # Unknown ones are kept, not dropped: staff map the raw text once (orders.services.statuses).
    return statuses.UNKNOWN if status is None else status


def make_converter(ctx: ConvertContext) -> Converter:
    """Return the function turning one Lazada row (one unit) into an ``OrderLine``."""
    at = ctx.at
    i_line, i_product, i_seller_sku, i_sku = (
        at("line_id"),
        at("product_id"),
        at("seller_sku"),
        at("sku_id"),
    )
    i_created, i_order, i_delivered, i_city, i_province = (
        at("created_at"),
        at("order_id"),
        at("delivered_at"),
        at("city"),
        at("province"),
    )
    i_payment, i_value, i_unit, i_seller, i_platform, i_shipping = (
        at("payment_method"),
        at("line_value"),
        at("unit_price"),
        at("seller_discount"),
        at("platform_discount"),
        at("line_shipping_fee"),
    )
    i_name, i_variation, i_provider, i_status, i_refund, i_buyer, i_currency = (
        at("product_name"),
        at("variation"),
        at("shipping_provider"),
        at("order_status"),
        at("refund_amount"),
        at("buyer_ref"),
        at("currency"),
    )
    created_time = TimeReader(ctx.zone, month_first=ctx.month_first)
    delivered_time = TimeReader(ctx.zone, month_first=ctx.month_first)
    text = cached(clean_text)
    money = cached(parse_money)
    ids = cached(parse_id)
    status_of = cached(_status)
    line_ids = LineIds()

    def convert(row_number: int, row: list[Cell]) -> OrderLine:
        order_id = parse_id(row[i_order])
        if not order_id:
            raise RowProblem("order_id", row[i_order], "the order number is empty")
        item_id = parse_id(row[i_line])
        if not item_id:
            raise RowProblem("line_id", row[i_line], "the order item ID is empty")
        line_value = money[row[i_value]]
        unit_price = money[row[i_unit]]
        if line_value is None:
            if unit_price is None:
                raise RowProblem("line_value", row[i_value], "the paid price is empty")
            line_value = unit_price
        if unit_price is None:
            unit_price = line_value
        # Discounts are written as negative numbers; ours are positive amounts taken off.
        seller_discount = money[row[i_seller]]
        platform_discount = money[row[i_platform]]
        raw_status = text[row[i_status]]
        status = status_of[raw_status]
        refund = money[row[i_refund]]
        # Lazada marks every unit of a returned order "returned"; the units actually refunded
        # are those with a refund amount (when the file has the column).
        returned = status == "returned" and (refund is None or refund > 0)
        raw_created = row[i_created]
        return OrderLine(
            platform="lazada",
            row_number=row_number,
            order_id=order_id,
            line_id=line_ids(order_id, item_id),
            sku_id=ids[row[i_sku]],
            seller_sku=ids[row[i_seller_sku]],
            product_name=text[row[i_name]],
            variation=text[row[i_variation]],
            quantity=1,
            returned_quantity=1 if returned else 0,
            unit_price=unit_price,
            line_value=line_value,
            refund_amount=refund,
            raw_status=raw_status,
            status=status,
            created_at=require_time(created_time[raw_created], "created_at", raw_created),
            paid_at=None,
            cancelled_at=None,
            currency=text[row[i_currency]].upper() or ctx.currency or ctx.default_currency,
            buyer_ref=ids[row[i_buyer]],
            province=text[row[i_province]],
            city=text[row[i_city]],
            shipping_provider=text[row[i_provider]],
            product_id=ids[row[i_product]],
            delivered_at=delivered_time[row[i_delivered]],
            subtotal_before_discount=unit_price,
            seller_discount=abs(seller_discount) if seller_discount is not None else None,
            platform_discount=abs(platform_discount) if platform_discount is not None else None,
            line_shipping_fee=money[row[i_shipping]],
            payment_method=text[row[i_payment]],
        )

    return convert


LAZADA_ORDERS = ExportFormat(
    code="lazada_orders",
    platform="lazada",
    label="Lazada orders",
    columns=COLUMNS,
    required=REQUIRED,
    make_converter=make_converter,
)
