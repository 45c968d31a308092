"""Shopee order export (Kênh Người Bán > Đơn hàng > Xuất), XLSX ``Order.all.<from>_<to>.xlsx``.

One row per product line, order fields repeated. Headers are localised (Vietnamese, or English
in Singapore, Malaysia and the Philippines), some stored decomposed (NFD); the currency is only
in header suffixes such as ``(VND)``. Every cell is text, numbers included (``'390000.00'``).
The export gives no line id: the line key is derived from the product and variation names,
which Shopee snapshots at order time. ``Người Mua`` is the buyer's real username (unmasked): it
is passed on only as ``buyer_ref``, to be hashed. There is no live or creator column.
"""

from __future__ import annotations

from . import statuses
from .base import Column, ConvertContext, Converter, ExportFormat, OrderLine, RowProblem
from .common import LineIds, Memo, TimeReader, cached, derived_line_id, require_time
from .values import Cell, clean_text, parse_count, parse_id, parse_money

__all__ = ["SHOPEE_ORDERS"]

COLUMNS = (
    Column("order_id", ("Mã đơn hàng", "Order ID"), "id"),
    Column("created_at", ("Ngày đặt hàng", "Order Creation Date"), "time"),
    Column("order_status", ("Trạng Thái Đơn Hàng", "Order Status")),
    Column("cancel_reason", ("Lý do hủy", "Lý do huỷ", "Cancel reason")),
    Column("shipping_provider", ("Đơn Vị Vận Chuyển", "Shipping Option")),
    Column("shipped_at", ("Ngày gửi hàng", "Ship Time"), "time"),
    Column("delivered_at", ("Thời gian giao hàng", "Order Delivered Time"), "time"),
    Column("return_status", ("Trạng thái Trả hàng/Hoàn tiền", "Return / Refund Status")),
    Column("parent_sku", ("SKU sản phẩm", "Parent SKU Reference No."), "id"),
    Column("product_name", ("Tên sản phẩm", "Product Name")),
    Column("variation_sku", ("SKU phân loại hàng", "SKU Reference No."), "id"),
    Column("variation", ("Tên phân loại hàng", "Variation Name")),
    Column("unit_price", ("Giá gốc", "Original Price"), "money"),
    Column("seller_discount", ("Tổng số tiền được người bán trợ giá", "Seller Rebate"), "money"),
    Column("deal_price", ("Giá ưu đãi", "Deal Price"), "money"),
    Column("quantity", ("Số lượng", "Quantity"), "count"),
    Column(
        "returned_quantity",
        ("Số lượng sản phẩm được hoàn trả", "Returned quantity", "Returned Quantity"),
        "count",
    ),
    Column("line_value", ("Tổng giá bán (sản phẩm)", "Product Subtotal"), "money"),
    Column("order_amount", ("Tổng giá trị đơn hàng", "Order Total Amount"), "money"),
    Column(
        "shipping_fee",
        ("Phí vận chuyển mà người mua trả", "Buyer Paid Shipping Fee"),
        "money",
    ),
    Column(
        "buyer_paid", ("Tổng số tiền người mua thanh toán", "Grand Total", "Total Amount"), "money"
    ),
    # Listed so that the per-line total of newer files, which differs from the order total
    # only in case, is claimed by its own name and never mistaken for the order total.
    Column("line_buyer_paid", ("Tổng số tiền Người mua thanh toán",), "money"),
    Column("paid_at", ("Thời gian đơn hàng được thanh toán", "Order Paid Time"), "time"),
    Column("payment_method", ("Phương thức thanh toán", "Payment Method")),
    Column("buyer_ref", ("Người Mua", "Username (Buyer)")),
    Column("province", ("Tỉnh/Thành phố", "Province")),
    Column("city", ("TP / Quận / Huyện", "City")),
)
REQUIRED = ("order_id", "created_at", "order_status", "product_name", "quantity")
REQUIRED_ANY = (("line_value", "deal_price"),)


def _status(raw_status: str) -> str:
    # Unknown ones are kept, not dropped: staff map the raw text once (orders.services.statuses).
    status = statuses.shopee_status(raw_status)
    return statuses.UNKNOWN if status is None else status


def make_converter(ctx: ConvertContext) -> Converter:
    """Return the function turning one Shopee row into an ``OrderLine``."""
    at = ctx.at
    i_order, i_created, i_status, i_reason = (
        at("order_id"),
        at("created_at"),
        at("order_status"),
        at("cancel_reason"),
    )
    i_provider, i_shipped, i_delivered, i_return = (
        at("shipping_provider"),
        at("shipped_at"),
        at("delivered_at"),
        at("return_status"),
    )
    i_parent_sku, i_name, i_variation_sku, i_variation = (
        at("parent_sku"),
        at("product_name"),
        at("variation_sku"),
        at("variation"),
    )
    i_unit, i_seller, i_deal, i_quantity, i_returned, i_value = (
        at("unit_price"),
        at("seller_discount"),
        at("deal_price"),
        at("quantity"),
        at("returned_quantity"),
        at("line_value"),
    )
    i_amount, i_shipping, i_buyer_paid, i_paid = (
        at("order_amount"),
        at("shipping_fee"),
        at("buyer_paid"),
        at("paid_at"),
    )
    i_payment, i_buyer, i_province, i_city = (
        at("payment_method"),
        at("buyer_ref"),
        at("province"),
        at("city"),
    )
    created_time = TimeReader(ctx.zone, month_first=ctx.month_first)
    paid_time = TimeReader(ctx.zone, month_first=ctx.month_first)
    shipped_time = TimeReader(ctx.zone, month_first=ctx.month_first)
    delivered_time = TimeReader(ctx.zone, month_first=ctx.month_first)
    text = cached(clean_text)
    money = cached(parse_money)
    count = cached(parse_count)
    ids = cached(parse_id)
    status_of = cached(_status)
    return_state_of: Memo[Cell, str] = cached(
        lambda raw: statuses.shopee_return_state(clean_text(raw))
    )
    line_ids = LineIds()
    currency = ctx.currency or ctx.default_currency

    def convert(row_number: int, row: list[Cell]) -> OrderLine:
        order_id = parse_id(row[i_order])
        if not order_id:
            raise RowProblem("order_id", row[i_order], "the order ID is empty")
        product_name = text[row[i_name]]
        variation = text[row[i_variation]]
        variation_sku = ids[row[i_variation_sku]]
        parent_sku = ids[row[i_parent_sku]]
        quantity = count[row[i_quantity]]
        returned_quantity = count[row[i_returned]]
        deal_price = money[row[i_deal]]
        line_value = money[row[i_value]]
        if line_value is None:
            if deal_price is None:
                raise RowProblem("line_value", row[i_value], "the line amount is empty")
            line_value = deal_price * quantity
        unit_price = money[row[i_unit]]
        if unit_price is None:
            unit_price = deal_price if deal_price is not None else line_value / max(quantity, 1)
        raw_status = text[row[i_status]]
        status = status_of[raw_status]
        return_state = return_state_of[row[i_return]]
        pending_return_quantity = 0
        if status == "cancelled":
            pass  # a cancelled line loses its whole value; its return counts change nothing
        elif return_state == "refused":
            returned_quantity = 0
        elif return_state == "granted":
            status = "returned"
            # A granted refund whose count Shopee left at 0 covers the whole line.
            returned_quantity = returned_quantity or quantity
        elif return_state == "pending" or returned_quantity:
            # Shopee fills the count as soon as a return is requested: until it is granted
            # it takes nothing off net GMV, and is shown apart as "returns pending".
            pending_return_quantity = returned_quantity or quantity
            returned_quantity = 0
        order_amount = money[row[i_amount]]
        if order_amount is None:
            order_amount = money[row[i_buyer_paid]]
        raw_created = row[i_created]
        line_key = derived_line_id(product_name, variation)
        return OrderLine(
            platform="shopee",
            row_number=row_number,
            order_id=order_id,
            line_id=line_ids(order_id, line_key),
            sku_id="",
            seller_sku=variation_sku or parent_sku,
            product_name=product_name,
            variation=variation,
            quantity=quantity,
            returned_quantity=returned_quantity,
            pending_return_quantity=pending_return_quantity,
            unit_price=unit_price,
            line_value=line_value,
            refund_amount=None,
            raw_status=raw_status,
            status=status,
            created_at=require_time(created_time[raw_created], "created_at", raw_created),
            paid_at=paid_time[row[i_paid]],
            cancelled_at=None,
            currency=currency,
            buyer_ref=text[row[i_buyer]],
            province=text[row[i_province]],
            city=text[row[i_city]],
            shipping_provider=text[row[i_provider]],
            order_amount=order_amount,
            shipping_fee=money[row[i_shipping]],
            order_refund_amount=None,
            shipped_at=shipped_time[row[i_shipped]],
            delivered_at=delivered_time[row[i_delivered]],
            seller_discount=money[row[i_seller]],
            cancel_reason=text[row[i_reason]],
            payment_method=text[row[i_payment]],
        )

    return convert


SHOPEE_ORDERS = ExportFormat(
    code="shopee_orders",
    platform="shopee",
    label="Shopee orders",
    columns=COLUMNS,
    required=REQUIRED,
    required_any=REQUIRED_ANY,
    make_converter=make_converter,
)
