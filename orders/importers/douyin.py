"""Douyin 抖店 order export, CSV (UTF-8 with BOM, sometimes GBK), China time, CNY.

One row per sub-order (``子订单编号``, the line id); ``主订单编号`` is the order. Ids and text
are quoted with a leading tab and ``-`` means empty. ``订单应付金额`` is what the buyer pays for
the sub-order (the line value) and ``运费`` the order's shipping, repeated on each sub-order.
Live attribution: ``流量体裁`` = ``直播`` with ``达人ID`` / ``达人昵称``; an export taken the
same day says ``数据将于第二天更新`` instead, and must be imported again the next day.
"""

from __future__ import annotations

from . import statuses
from .base import Column, ConvertContext, Converter, ExportFormat, OrderLine, RowProblem
from .common import LineIds, Memo, TimeReader, cached, content_type_of, require_time, unit_value
from .values import Cell, clean_text, header_key, parse_count, parse_id, parse_money

__all__ = ["DOUYIN_ORDERS"]

COLUMNS = (
    Column("order_id", ("主订单编号", "订单编号"), "id"),
    Column("line_id", ("子订单编号",), "id"),
    Column("product_name", ("选购商品", "商品名称")),
    Column("variation", ("商品规格",)),
    Column("quantity", ("商品数量",), "count"),
    Column("product_id", ("商品ID",), "id"),
    Column("sku_id", ("SKU ID", "商品SKU ID", "SKUID"), "id"),
    Column("seller_sku", ("商家编码", "货号", "商品编码"), "id"),
    Column("unit_price", ("商品单价", "商品金额"), "money"),
    Column("line_value", ("订单应付金额", "商家收入金额"), "money"),
    Column("shipping_fee", ("运费",), "money"),
    Column("discount_total", ("优惠总金额",), "money"),
    Column("platform_discount", ("平台优惠",), "money"),
    Column("seller_discount", ("商家优惠",), "money"),
    Column("payment_method", ("支付方式",)),
    Column("province", ("省",)),
    Column("city", ("市",)),
    Column("created_at", ("订单提交时间", "下单时间"), "time"),
    Column("paid_at", ("支付完成时间", "支付时间"), "time"),
    Column("shipped_at", ("发货时间",), "time"),
    Column("traffic_source", ("流量来源",)),
    Column("order_status", ("订单状态",)),
    Column("creator_id", ("达人ID",), "id"),
    Column("creator_handle", ("达人昵称",)),
    Column("after_sale", ("售后状态",)),
    Column("cancel_reason", ("取消原因",)),
    Column("traffic_genre", ("流量体裁",)),
    Column("shipping_provider", ("快递公司", "物流公司")),
    Column("buyer_ref", ("买家ID", "用户ID", "买家昵称"), "id"),
    Column("live_room_id", ("直播间ID", "直播ID"), "id"),
)
REQUIRED = ("order_id", "line_id", "product_name", "quantity", "created_at", "order_status")
REQUIRED_ANY = (("line_value", "unit_price"),)

# What 流量体裁 says in an export taken before Douyin has attributed the day's traffic.
_PENDING = header_key("数据将于第二天更新")


def _status(raw_status: str, raw_after_sale: str) -> str:
    status = statuses.lookup(statuses.DOUYIN_STATUSES, raw_status)
    if status is None:
        # Kept, not dropped: staff map the raw text once (orders.services.statuses).
        return statuses.UNKNOWN
    if status != "cancelled" and header_key(raw_after_sale) in statuses.DOUYIN_AFTER_SALE_REFUNDED:
        return "returned"
    return status


def make_converter(ctx: ConvertContext) -> Converter:
    """Return the function turning one Douyin row into an ``OrderLine``."""
    at = ctx.at
    i_order, i_line, i_name, i_variation = (
        at("order_id"),
        at("line_id"),
        at("product_name"),
        at("variation"),
    )
    i_quantity, i_product, i_sku, i_seller_sku = (
        at("quantity"),
        at("product_id"),
        at("sku_id"),
        at("seller_sku"),
    )
    i_unit, i_value, i_shipping = at("unit_price"), at("line_value"), at("shipping_fee")
    i_discount, i_platform, i_seller = (
        at("discount_total"),
        at("platform_discount"),
        at("seller_discount"),
    )
    i_payment, i_province, i_city = at("payment_method"), at("province"), at("city")
    i_created, i_paid, i_shipped = at("created_at"), at("paid_at"), at("shipped_at")
    i_source, i_status, i_after_sale, i_reason = (
        at("traffic_source"),
        at("order_status"),
        at("after_sale"),
        at("cancel_reason"),
    )
    i_creator_id, i_creator, i_genre, i_provider, i_buyer, i_live = (
        at("creator_id"),
        at("creator_handle"),
        at("traffic_genre"),
        at("shipping_provider"),
        at("buyer_ref"),
        at("live_room_id"),
    )
    created_time = TimeReader(ctx.zone, month_first=ctx.month_first)
    paid_time = TimeReader(ctx.zone, month_first=ctx.month_first)
    shipped_time = TimeReader(ctx.zone, month_first=ctx.month_first)
    text = cached(clean_text)
    money = cached(parse_money)
    count = cached(parse_count)
    ids = cached(parse_id)
    kind_of: Memo[Cell, str] = cached(lambda raw: content_type_of(clean_text(raw)))
    status_of: Memo[tuple[str, str], str] = cached(lambda key: _status(*key))
    line_ids = LineIds()
    # Douyin sells in yuan only; the file never names its currency.
    currency = ctx.currency or "CNY"

    def convert(row_number: int, row: list[Cell]) -> OrderLine:
        order_id = parse_id(row[i_order])
        if not order_id:
            raise RowProblem("order_id", row[i_order], "the order ID is empty")
        line_id = parse_id(row[i_line])
        if not line_id:
            raise RowProblem("line_id", row[i_line], "the sub-order ID is empty")
        quantity = count[row[i_quantity]]
        unit_price = money[row[i_unit]]
        discount = money[row[i_discount]]
        line_value = money[row[i_value]]
        if line_value is None:
            if unit_price is None:
                raise RowProblem("line_value", row[i_value], "the line amount is empty")
            line_value = unit_price * quantity - (discount or 0)
        if unit_price is None:
            unit_price = unit_value(line_value + (discount or 0), quantity)
        raw_status = text[row[i_status]]
        status = status_of[(raw_status, text[row[i_after_sale]])]
        genre = text[row[i_genre]]
        pending = header_key(genre) == _PENDING
        content_type = "" if pending else kind_of[genre]
        if not content_type or content_type == "other":
            # 流量来源 is filled the same day; 流量体裁 is the settled value when present.
            content_type = kind_of[row[i_source]] or content_type
        raw_created = row[i_created]
        return OrderLine(
            platform="douyin",
            row_number=row_number,
            order_id=order_id,
            line_id=line_ids(order_id, line_id),
            sku_id=ids[row[i_sku]],
            seller_sku=ids[row[i_seller_sku]],
            product_name=text[row[i_name]],
            variation=text[row[i_variation]],
            quantity=quantity,
            returned_quantity=quantity if status == "returned" else 0,
            unit_price=unit_price,
            line_value=line_value,
            refund_amount=None,
            raw_status=raw_status,
            status=status,
            created_at=require_time(created_time[raw_created], "created_at", raw_created),
            paid_at=paid_time[row[i_paid]],
            cancelled_at=None,
            currency=currency,
            buyer_ref=ids[row[i_buyer]],
            province=text[row[i_province]],
            city=text[row[i_city]],
            shipping_provider=text[row[i_provider]],
            live_room_id=ids[row[i_live]],
            creator_handle=text[row[i_creator]],
            content_type=content_type,
            order_amount=None,
            shipping_fee=money[row[i_shipping]],
            order_refund_amount=None,
            product_id=ids[row[i_product]],
            shipped_at=shipped_time[row[i_shipped]],
            platform_discount=money[row[i_platform]],
            seller_discount=money[row[i_seller]],
            creator_id=ids[row[i_creator_id]],
            attribution_pending=pending,
            cancel_reason=text[row[i_reason]],
            payment_method=text[row[i_payment]],
        )

    return convert


DOUYIN_ORDERS = ExportFormat(
    code="douyin_orders",
    platform="douyin",
    label="Douyin orders",
    columns=COLUMNS,
    required=REQUIRED,
    required_any=REQUIRED_ANY,
    make_converter=make_converter,
)
