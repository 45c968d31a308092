"""TikTok Shop affiliate orders export (Affiliate Center > Orders > Export), CSV.

The per-live link for TikTok: for an order line sold through a LIVE, ``Content Type`` is
``Livestream`` (Vietnamese UI ``Phát trực tiếp``) and ``Content ID`` is the LIVE room id, with
the creator's username. Headers are localised; the Vietnamese file is UTF-8 without a BOM and
its ids carry no protective tab. Join to the order export on (order id, SKU id).
"""

from __future__ import annotations

from .base import AffiliateLink, Column, ConvertContext, Converter, ExportFormat, RowProblem
from .common import Memo, TimeReader, cached, content_type_of
from .values import Cell, clean_text, parse_count, parse_id, parse_money

__all__ = ["TIKTOK_AFFILIATE"]

COLUMNS = (
    Column("order_id", ("Order ID", "ID đơn hàng"), "id"),
    Column("product_id", ("Product ID", "ID sản phẩm"), "id"),
    Column("sku_id", ("SKU ID", "Id Sku", "ID SKU"), "id"),
    Column("seller_sku", ("Seller SKU", "Sku người bán"), "id"),
    Column("payment_amount", ("Payment Amount", "Số tiền thanh toán"), "money"),
    Column("currency", ("Currency", "Đơn vị tiền tệ")),
    Column("quantity", ("Quantity", "Số lượng"), "count"),
    Column("creator_handle", ("Creator Username", "Tên người dùng nhà sáng tạo")),
    Column("content_type", ("Content Type", "Loại nội dung")),
    Column("content_id", ("Content ID", "Id nội dung", "ID nội dung"), "id"),
    Column("created_at", ("Time Created", "Created Time", "Thời gian đã tạo"), "time"),
)
REQUIRED = ("order_id", "sku_id", "creator_handle", "content_type", "content_id")


def make_converter(ctx: ConvertContext) -> Converter:
    """Return the function turning one affiliate row into an ``AffiliateLink``."""
    at = ctx.at
    i_order, i_product, i_sku, i_seller_sku = (
        at("order_id"),
        at("product_id"),
        at("sku_id"),
        at("seller_sku"),
    )
    i_payment, i_currency, i_quantity = at("payment_amount"), at("currency"), at("quantity")
    i_creator, i_type, i_content, i_created = (
        at("creator_handle"),
        at("content_type"),
        at("content_id"),
        at("created_at"),
    )
    text = cached(clean_text)
    money = cached(parse_money)
    count = cached(parse_count)
    ids = cached(parse_id)
    kind_of: Memo[Cell, str] = cached(lambda raw: content_type_of(clean_text(raw)))
    created_time = TimeReader(ctx.zone, month_first=ctx.month_first)
    has_quantity = ctx.has("quantity")

    def convert(row_number: int, row: list[Cell]) -> AffiliateLink:
        order_id = parse_id(row[i_order])
        if not order_id:
            raise RowProblem("order_id", row[i_order], "the order ID is empty")
        currency = text[row[i_currency]].upper()
        return AffiliateLink(
            row_number=row_number,
            order_id=order_id,
            sku_id=ids[row[i_sku]],
            content_type=kind_of[row[i_type]],
            content_id=ids[row[i_content]],
            creator_handle=text[row[i_creator]],
            product_id=ids[row[i_product]],
            seller_sku=ids[row[i_seller_sku]],
            quantity=count[row[i_quantity]] if has_quantity else None,
            payment_amount=money[row[i_payment]],
            currency=currency or ctx.default_currency,
            created_at=created_time[row[i_created]],
        )

    return convert


TIKTOK_AFFILIATE = ExportFormat(
    code="tiktok_affiliate",
    platform="tiktok_shop",
    label="TikTok Shop affiliate orders",
    columns=COLUMNS,
    required=REQUIRED,
    make_converter=make_converter,
)
